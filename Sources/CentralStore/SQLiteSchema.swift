import CentralModel
import GRDB

/// Central's SQLite schema. Every row that registers pull carries a
/// `change_seq` from one counter: writes are serialised on SQLite, so change
/// numbers are assigned in commit order and a cursor never skips a row.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO change_counter(id, value) VALUES (1, 0);

                CREATE TABLE location (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    address TEXT NOT NULL,
                    tax_rule TEXT NOT NULL,
                    tax_numbers TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                );
                CREATE TABLE tax_rule (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    rates TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE product (
                    id INTEGER PRIMARY KEY,
                    sku TEXT NOT NULL UNIQUE,
                    barcode TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    category TEXT NOT NULL,
                    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
                    tax_class TEXT NOT NULL,
                    reorder_point INTEGER NOT NULL,
                    overstock_threshold INTEGER NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1,
                    search_key TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                );
                CREATE INDEX product_change ON product(change_seq);

                CREATE TABLE app_user (
                    id INTEGER PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    pin_hash TEXT NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1,
                    -- Shared by every central instance: the throttle holds across them.
                    failed_logins INTEGER NOT NULL DEFAULT 0,
                    locked_until INTEGER,
                    change_seq INTEGER NOT NULL
                );
                CREATE INDEX app_user_change ON app_user(change_seq);

                CREATE TABLE session (
                    token_digest TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES app_user(id),
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE register (
                    id TEXT PRIMARY KEY,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    name TEXT NOT NULL,
                    token_digest TEXT NOT NULL UNIQUE,
                    applied_through INTEGER NOT NULL DEFAULT 0,
                    last_hash TEXT NOT NULL,
                    revoked INTEGER NOT NULL DEFAULT 0,
                    audit_flag TEXT
                ) WITHOUT ROWID;

                -- Every register's journal as received: the chain can be re-verified at any time.
                CREATE TABLE event (
                    register_id TEXT NOT NULL REFERENCES register(id),
                    sequence INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    PRIMARY KEY (register_id, sequence)
                ) WITHOUT ROWID;

                -- Sales and returns, for the reports.
                CREATE TABLE document (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    receipt_number TEXT NOT NULL,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    register_id TEXT NOT NULL,
                    event_sequence INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    items INTEGER NOT NULL,
                    subtotal_cents INTEGER NOT NULL,
                    tax_cents INTEGER NOT NULL,
                    total_cents INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX document_day ON document(day, store_id);

                CREATE TABLE document_line (
                    document_id TEXT NOT NULL REFERENCES document(id),
                    line_no INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    name TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (document_id, line_no)
                ) WITHOUT ROWID;

                CREATE TABLE stock (
                    location_id INTEGER NOT NULL REFERENCES location(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    on_hand INTEGER NOT NULL,
                    change_seq INTEGER NOT NULL,
                    PRIMARY KEY (location_id, product_id)
                ) WITHOUT ROWID;
                CREATE INDEX stock_change ON stock(location_id, change_seq);

                -- The ledger: every change of on-hand, with what caused it.
                CREATE TABLE stock_movement (
                    id INTEGER PRIMARY KEY,
                    location_id INTEGER NOT NULL REFERENCES location(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    quantity INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    register_id TEXT,
                    event_sequence INTEGER,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX stock_movement_location ON stock_movement(location_id, product_id);

                CREATE TABLE restock_request (
                    id TEXT PRIMARY KEY,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    state TEXT NOT NULL,
                    note TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    change_seq INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX restock_request_store ON restock_request(store_id, change_seq);
                """)
        }
        // A WITHOUT ROWID row longer than about a quarter of a page spills into
        // an overflow page of its own: events of 1–2 kB took 4.4 kB each and
        // two page writes. As a rowid table, several events share a page.
        migrator.registerMigration("v2-event-rowid") { db in
            try db.execute(sql: """
                CREATE TABLE event_rowid (
                    register_id TEXT NOT NULL REFERENCES register(id),
                    sequence INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    PRIMARY KEY (register_id, sequence)
                );
                INSERT INTO event_rowid SELECT register_id, sequence, id, type, created_at, payload, previous_hash, hash
                    FROM event ORDER BY register_id, sequence;
                DROP TABLE event;
                ALTER TABLE event_rowid RENAME TO event;
                """)
        }
        // ADR 0013: a return names its original sale (central checks returns
        // against it), and what central's state disagrees with is kept as an
        // exception for head office instead of refusing the till's batch.
        migrator.registerMigration("v3-exceptions") { db in
            try db.execute(sql: """
                ALTER TABLE document ADD COLUMN original_id TEXT;
                CREATE INDEX document_original ON document(original_id) WHERE original_id IS NOT NULL;
                CREATE TABLE central_exception (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    register_id TEXT NOT NULL,
                    event_sequence INTEGER NOT NULL,
                    reference TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    resolved_at INTEGER,
                    resolved_by TEXT,
                    resolution TEXT
                );
                CREATE INDEX central_exception_open ON central_exception(resolved_at, store_id);
                """)
        }
        // ADR 0014: a store user's session belongs to the register it was
        // opened from; revoking the register ends it.
        migrator.registerMigration("v4-session-register") { db in
            try db.execute(sql: "ALTER TABLE session ADD COLUMN register_id TEXT REFERENCES register(id)")
        }
        // Issue 15: each store's quick keys, one row per store, pulled by its registers.
        migrator.registerMigration("v5-quick-keys") { db in
            try db.execute(sql: """
                CREATE TABLE quick_key_set (
                    store_id INTEGER PRIMARY KEY REFERENCES location(id),
                    product_ids TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                );
                """)
        }
        // Issue 16: promotions (their definition as the tills get it) and each store's discount limit.
        migrator.registerMigration("v6-promotions") { db in
            try db.execute(sql: """
                CREATE TABLE promotion (
                    id INTEGER PRIMARY KEY,
                    definition TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                );
                CREATE INDEX promotion_change ON promotion(change_seq);
                -- The store's limits (DiscountPolicy) as the tills get them.
                CREATE TABLE store_setting (
                    store_id INTEGER PRIMARY KEY REFERENCES location(id),
                    policy TEXT NOT NULL,
                    change_seq INTEGER NOT NULL
                );
                -- Each discount of each document line: reports by store, promotion, reason, cashier, approver.
                CREATE TABLE document_discount (
                    document_id TEXT NOT NULL REFERENCES document(id),
                    line_no INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    reason TEXT,
                    promotion_id INTEGER,
                    label TEXT,
                    cashier_id INTEGER NOT NULL,
                    approved_by INTEGER,
                    amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (document_id, line_no, position)
                ) WITHOUT ROWID;
                """)
        }
        // Issue 17: each line of each stock adjustment, for waste and shrinkage reports.
        migrator.registerMigration("v7-adjustments") { db in
            try db.execute(sql: """
                CREATE TABLE stock_adjustment_line (
                    adjustment_id TEXT NOT NULL,
                    product_id INTEGER NOT NULL,
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    register_id TEXT NOT NULL,
                    event_sequence INTEGER NOT NULL,
                    day INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    sku TEXT NOT NULL,
                    name TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    value_cents INTEGER NOT NULL,
                    by_user INTEGER NOT NULL,
                    approved_by INTEGER,
                    PRIMARY KEY (adjustment_id, product_id)
                ) WITHOUT ROWID;
                CREATE INDEX stock_adjustment_day ON stock_adjustment_line(day, store_id);
                -- Made for the day: unsold at close, declared as waste.
                ALTER TABLE product ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v8-transfers-and-costs") { db in
            try db.execute(sql: """
                -- Goods between two stores (issue 17): requested, shipped (in transit), received.
                CREATE TABLE stock_transfer (
                    id TEXT PRIMARY KEY,
                    from_store_id INTEGER NOT NULL REFERENCES location(id),
                    to_store_id INTEGER NOT NULL REFERENCES location(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    requested INTEGER NOT NULL,
                    shipped INTEGER,
                    received INTEGER,
                    damaged INTEGER,
                    state TEXT NOT NULL,
                    note TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    change_seq INTEGER NOT NULL,
                    CHECK (from_store_id <> to_store_id)
                ) WITHOUT ROWID;
                CREATE INDEX stock_transfer_from ON stock_transfer(from_store_id, change_seq);
                CREATE INDEX stock_transfer_to ON stock_transfer(to_store_id, change_seq);
                -- What a unit costs the chain, when known; losses are valued at it too.
                ALTER TABLE product ADD COLUMN cost_cents INTEGER CHECK (cost_cents >= 0);
                ALTER TABLE stock_adjustment_line ADD COLUMN cost_cents INTEGER;
                """)
        }
        migrator.registerMigration("v9-aggregates") { db in
            // Per-day totals kept by ingest (ADR 0017), and each document's taxes by code.
            try db.execute(sql: """
                CREATE TABLE document_tax (
                    document_id TEXT NOT NULL REFERENCES document(id),
                    code TEXT NOT NULL,
                    amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (document_id, code)
                ) WITHOUT ROWID;
                CREATE TABLE agg_store_day (
                    store_id INTEGER NOT NULL, day INTEGER NOT NULL, kind TEXT NOT NULL,
                    documents INTEGER NOT NULL, items INTEGER NOT NULL, subtotal_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
                    PRIMARY KEY (day, store_id, kind)
                ) WITHOUT ROWID;
                CREATE TABLE agg_product_day (
                    day INTEGER NOT NULL, product_id INTEGER NOT NULL, kind TEXT NOT NULL,
                    quantity INTEGER NOT NULL, amount_cents INTEGER NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (day, product_id, kind)
                ) WITHOUT ROWID;
                CREATE TABLE agg_tax_day (
                    store_id INTEGER NOT NULL, day INTEGER NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (day, store_id, kind, code)
                ) WITHOUT ROWID;
                CREATE TABLE agg_discount_day (
                    store_id INTEGER NOT NULL, day INTEGER NOT NULL, document_kind TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
                    promotion_id INTEGER NOT NULL, cashier_id INTEGER NOT NULL, approved_by INTEGER NOT NULL,
                    count INTEGER NOT NULL, amount_cents INTEGER NOT NULL, label TEXT NOT NULL,
                    PRIMARY KEY (day, store_id, document_kind, kind, reason, promotion_id, cashier_id, approved_by)
                ) WITHOUT ROWID;
                -- Taxes of the documents recorded before this version, from their journaled payloads.
                INSERT INTO document_tax(document_id, code, amount_cents)
                SELECT d.id, json_extract(t.value, '$.code'), sum(json_extract(t.value, '$.amountCents'))
                FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence,
                     json_each(e.payload, '$.taxes') AS t
                GROUP BY d.id, json_extract(t.value, '$.code');
                """)
            for statement in AggregateSQL.rebuild(only: ["agg_store_day", "agg_product_day", "agg_tax_day", "agg_discount_day"]) {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v10-week-aggregates") { db in
            // A period reads its whole weeks and a few days, whatever its length (ADR 0017).
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS agg_product_week (
                    week INTEGER NOT NULL, product_id INTEGER NOT NULL, kind TEXT NOT NULL,
                    quantity INTEGER NOT NULL, amount_cents INTEGER NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL,
                    PRIMARY KEY (week, product_id, kind)
                ) WITHOUT ROWID;
                CREATE TABLE agg_store_week (
                    week INTEGER NOT NULL, store_id INTEGER NOT NULL, kind TEXT NOT NULL,
                    documents INTEGER NOT NULL, items INTEGER NOT NULL, subtotal_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
                    PRIMARY KEY (week, store_id, kind)
                ) WITHOUT ROWID;
                CREATE TABLE agg_chain_day (
                    day INTEGER NOT NULL, kind TEXT NOT NULL,
                    documents INTEGER NOT NULL, items INTEGER NOT NULL, subtotal_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
                    PRIMARY KEY (day, kind)
                ) WITHOUT ROWID;
                CREATE TABLE agg_tax_week (
                    week INTEGER NOT NULL, store_id INTEGER NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (week, store_id, kind, code)
                ) WITHOUT ROWID;
                """)
            for statement in AggregateSQL.rebuild(only: ["agg_product_week", "agg_store_week", "agg_chain_day", "agg_tax_week"]) {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v11-quarantine") { db in
            // No till ever stops (issue 23): the clock rule's mark per register, and
            // head office's decision on a quarantined event (applied, corrected, voided).
            try db.execute(sql: """
                ALTER TABLE register ADD COLUMN clock_mark INTEGER NOT NULL DEFAULT 0;
                UPDATE register SET clock_mark = COALESCE((SELECT max(created_at) FROM event WHERE event.register_id = register.id), 0);
                ALTER TABLE central_exception ADD COLUMN decision TEXT;
                """)
        }
        migrator.registerMigration("v13-event-received-at") { db in
            // Both times (issue 23): the till's (`created_at`, as printed on the receipt) and central's.
            try db.execute(sql: "ALTER TABLE event ADD COLUMN received_at INTEGER")
        }
        migrator.registerMigration("v12-session-epoch") { db in
            // Logouts counted, so that sessions can be cached under the data version (issue 26).
            try db.execute(sql: """
                CREATE TABLE session_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO session_epoch(id, value) VALUES (1, 0);
                """)
        }
        migrator.registerMigration("v14-receipt-number-index") { db in
            // A return at another register finds the sale by its receipt number (issue 24).
            try db.execute(sql: "CREATE INDEX document_receipt ON document(receipt_number)")
        }
        migrator.registerMigration("v15-customers-and-loyalty") { db in
            // Issue 27: customers, their points ledger (the balance is its sum), head office's
            // program, and what was done with a person's data (exported, erased: Law 25).
            try db.execute(sql: """
                CREATE TABLE customer (
                    id INTEGER PRIMARY KEY,
                    card_number TEXT NOT NULL UNIQUE,
                    name TEXT,
                    email TEXT,
                    phone TEXT,
                    language TEXT NOT NULL,
                    loyalty_consent_at INTEGER,
                    marketing_consent_at INTEGER,
                    created_at INTEGER NOT NULL,
                    store_id INTEGER REFERENCES location(id),
                    erased_at INTEGER
                );
                CREATE UNIQUE INDEX customer_email ON customer(email) WHERE email IS NOT NULL;
                CREATE INDEX customer_phone ON customer(phone) WHERE phone IS NOT NULL;
                CREATE TABLE loyalty_entry (
                    id INTEGER PRIMARY KEY,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    kind TEXT NOT NULL,
                    points INTEGER NOT NULL,
                    reference TEXT,
                    reason TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX loyalty_entry_customer ON loyalty_entry(customer_id);
                -- A sale earns once, a return takes back once, a hold is one row.
                CREATE UNIQUE INDEX loyalty_entry_once ON loyalty_entry(reference, kind) WHERE kind IN ('earned', 'reversed');
                CREATE UNIQUE INDEX loyalty_entry_hold ON loyalty_entry(reference) WHERE kind IN ('held', 'redeemed', 'released');
                CREATE TABLE loyalty_program (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    definition TEXT NOT NULL
                );
                CREATE TABLE customer_record (
                    id INTEGER PRIMARY KEY,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    action TEXT NOT NULL,
                    by_user TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v16-storefront") { db in
            // Issue 27: customers sign in on the web (apart from staff), fill a cart for a store,
            // and check out for pickup; open orders reserve the store's stock.
            try db.execute(sql: """
                ALTER TABLE customer ADD COLUMN password_hash TEXT;
                ALTER TABLE customer ADD COLUMN login_failures INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE customer ADD COLUMN locked_until INTEGER;
                CREATE TABLE customer_session (
                    token_digest TEXT PRIMARY KEY,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    csrf TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE shop_cart_line (
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    quantity INTEGER NOT NULL,
                    PRIMARY KEY (customer_id, store_id, product_id)
                ) WITHOUT ROWID;
                CREATE TABLE online_order (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL,
                    customer_id INTEGER NOT NULL REFERENCES customer(id),
                    store_id INTEGER NOT NULL REFERENCES location(id),
                    state TEXT NOT NULL,
                    total_cents INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    pickup_by INTEGER NOT NULL,
                    sale_id TEXT,
                    change_seq INTEGER NOT NULL
                );
                CREATE INDEX online_order_store ON online_order(store_id, state);
                CREATE INDEX online_order_customer ON online_order(customer_id);
                CREATE UNIQUE INDEX online_order_sale ON online_order(sale_id) WHERE sale_id IS NOT NULL;
                CREATE TABLE online_order_line (
                    order_id TEXT NOT NULL REFERENCES online_order(id),
                    product_id INTEGER NOT NULL REFERENCES product(id),
                    sku TEXT NOT NULL,
                    name TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    unit_price_cents INTEGER NOT NULL,
                    PRIMARY KEY (order_id, product_id)
                );
                CREATE INDEX online_order_line_product ON online_order_line(product_id);
                """)
        }
        migrator.registerMigration("v17-loyalty-program-in-the-feed") { db in
            // Issue 27: tills pull the program to print the points a sale earns.
            try db.execute(sql: "ALTER TABLE loyalty_program ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0")
        }
        return migrator
    }
}
