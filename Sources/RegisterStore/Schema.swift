import GRDB

/// The register's schema, one migration per released change. Never edit a
/// shipped migration: tills in the field have run it.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;

                CREATE TABLE location (
                    id INTEGER PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    address TEXT NOT NULL,
                    tax_rule TEXT NOT NULL,
                    tax_numbers TEXT NOT NULL,
                    time_zone TEXT NOT NULL
                );

                CREATE TABLE tax_rule (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    rates TEXT NOT NULL
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
                    -- The name folded (no accents, ligatures or case, single spaces):
                    -- a B-tree range on it lists names that start with the typed text.
                    search_key TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX product_search_key ON product(search_key) WHERE active = 1;

                -- Accent-insensitive prefix search: "cafe" finds "Café".
                CREATE VIRTUAL TABLE product_fts USING fts5(
                    name, category, sku,
                    content = 'product', content_rowid = 'id',
                    tokenize = 'unicode61 remove_diacritics 2',
                    prefix = '1 2 3 4 5 6'
                );
                -- Indexed text folds the ligatures œ/æ (unicode61 does not), so
                -- "oeuf" finds "œuf"; queries are folded the same way.
                CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN
                    INSERT INTO product_fts(rowid, name, category, sku)
                    VALUES (new.id, replace(replace(replace(replace(new.name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), replace(replace(replace(replace(new.category, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), new.sku);
                END;
                CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN
                    INSERT INTO product_fts(product_fts, rowid, name, category, sku)
                    VALUES ('delete', old.id, replace(replace(replace(replace(old.name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), replace(replace(replace(replace(old.category, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), old.sku);
                END;
                CREATE TRIGGER product_fts_update AFTER UPDATE OF name, category, sku ON product BEGIN
                    INSERT INTO product_fts(product_fts, rowid, name, category, sku)
                    VALUES ('delete', old.id, replace(replace(replace(replace(old.name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), replace(replace(replace(replace(old.category, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), old.sku);
                    INSERT INTO product_fts(rowid, name, category, sku)
                    VALUES (new.id, replace(replace(replace(replace(new.name, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), replace(replace(replace(replace(new.category, 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE'), new.sku);
                END;

                CREATE TABLE user (
                    id INTEGER PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    store_id INTEGER NOT NULL,
                    pin_hash TEXT NOT NULL,
                    active INTEGER NOT NULL DEFAULT 1
                );

                -- On-hand as central last reported it, for this store and the warehouse.
                CREATE TABLE stock_snapshot (
                    location_id INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    on_hand INTEGER NOT NULL,
                    PRIMARY KEY (location_id, product_id)
                ) WITHOUT ROWID;

                -- The outbox is the register's journal: gap-free sequence, hash chain.
                CREATE TABLE outbox (
                    sequence INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    delivered INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX outbox_pending ON outbox(sequence) WHERE delivered = 0;

                CREATE TABLE sale (
                    id TEXT PRIMARY KEY,
                    receipt_number TEXT NOT NULL UNIQUE,
                    store_id INTEGER NOT NULL,
                    register_id TEXT NOT NULL,
                    cashier_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    subtotal_cents INTEGER NOT NULL,
                    tax_cents INTEGER NOT NULL,
                    total_cents INTEGER NOT NULL,
                    rounding_cents INTEGER NOT NULL,
                    change_cents INTEGER NOT NULL,
                    event_sequence INTEGER NOT NULL REFERENCES outbox(sequence)
                );
                CREATE INDEX sale_created ON sale(created_at);

                CREATE TABLE sale_line (
                    sale_id TEXT NOT NULL REFERENCES sale(id),
                    line_no INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    name TEXT NOT NULL,
                    unit_price_cents INTEGER NOT NULL,
                    tax_class TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    PRIMARY KEY (sale_id, line_no)
                ) WITHOUT ROWID;

                CREATE TABLE sale_return (
                    id TEXT PRIMARY KEY,
                    receipt_number TEXT NOT NULL UNIQUE,
                    original_sale_id TEXT NOT NULL REFERENCES sale(id),
                    store_id INTEGER NOT NULL,
                    register_id TEXT NOT NULL,
                    cashier_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    subtotal_cents INTEGER NOT NULL,
                    tax_cents INTEGER NOT NULL,
                    total_cents INTEGER NOT NULL,
                    rounding_cents INTEGER NOT NULL,
                    event_sequence INTEGER NOT NULL REFERENCES outbox(sequence)
                );
                CREATE INDEX sale_return_original ON sale_return(original_sale_id);

                CREATE TABLE return_line (
                    return_id TEXT NOT NULL REFERENCES sale_return(id),
                    line_no INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    sku TEXT NOT NULL,
                    name TEXT NOT NULL,
                    unit_price_cents INTEGER NOT NULL,
                    tax_class TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    PRIMARY KEY (return_id, line_no)
                ) WITHOUT ROWID;

                -- Taxes of sales and returns (document_id is a sale or a return id).
                CREATE TABLE document_tax (
                    document_id TEXT NOT NULL,
                    code TEXT NOT NULL,
                    rate_micros INTEGER NOT NULL,
                    taxable_classes TEXT NOT NULL,
                    base_cents INTEGER NOT NULL,
                    amount_cents INTEGER NOT NULL,
                    PRIMARY KEY (document_id, code)
                ) WITHOUT ROWID;

                -- Payments of sales and refunds of returns.
                CREATE TABLE tender (
                    document_id TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    amount_cents INTEGER NOT NULL,
                    given_cents INTEGER,
                    change_cents INTEGER NOT NULL,
                    reference TEXT,
                    PRIMARY KEY (document_id, position)
                ) WITHOUT ROWID;

                CREATE TABLE stock_movement (
                    id INTEGER PRIMARY KEY,
                    location_id INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    quantity INTEGER NOT NULL,
                    reason TEXT NOT NULL,
                    reference TEXT NOT NULL,
                    event_sequence INTEGER NOT NULL REFERENCES outbox(sequence),
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX stock_movement_product ON stock_movement(product_id, event_sequence);
                CREATE INDEX stock_movement_sequence ON stock_movement(event_sequence);

                CREATE TABLE restock_request (
                    id TEXT PRIMARY KEY,
                    store_id INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    state TEXT NOT NULL,
                    note TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-bulk-catalog-load") { db in
            // A first pull brings the whole catalog at once: indexing it row by
            // row through the triggers is several times slower than one FTS5
            // 'rebuild'. While meta.bulk_catalog_load is set the triggers stand
            // aside and the loader rebuilds the index itself.
            let fold = { (column: String) in
                "replace(replace(replace(replace(\(column), 'œ', 'oe'), 'Œ', 'OE'), 'æ', 'ae'), 'Æ', 'AE')"
            }
            try db.execute(sql: """
                DROP TRIGGER product_fts_insert;
                DROP TRIGGER product_fts_delete;
                DROP TRIGGER product_fts_update;
                CREATE TRIGGER product_fts_insert AFTER INSERT ON product
                WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_catalog_load') BEGIN
                    INSERT INTO product_fts(rowid, name, category, sku)
                    VALUES (new.id, \(fold("new.name")), \(fold("new.category")), new.sku);
                END;
                CREATE TRIGGER product_fts_delete AFTER DELETE ON product
                WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_catalog_load') BEGIN
                    INSERT INTO product_fts(product_fts, rowid, name, category, sku)
                    VALUES ('delete', old.id, \(fold("old.name")), \(fold("old.category")), old.sku);
                END;
                CREATE TRIGGER product_fts_update AFTER UPDATE OF name, category, sku ON product
                WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_catalog_load') BEGIN
                    INSERT INTO product_fts(product_fts, rowid, name, category, sku)
                    VALUES ('delete', old.id, \(fold("old.name")), \(fold("old.category")), old.sku);
                    INSERT INTO product_fts(rowid, name, category, sku)
                    VALUES (new.id, \(fold("new.name")), \(fold("new.category")), new.sku);
                END;
                """)
        }
        migrator.registerMigration("v3-cash-session") { db in
            // A drawer from its float to its count. Sales and returns belong to the
            // session whose opening_sequence they follow (the outbox's last
            // sequence when it opened); the close is journaled at close_sequence.
            try db.execute(sql: """
                CREATE TABLE cash_session (
                    id TEXT PRIMARY KEY,
                    opened_at INTEGER NOT NULL,
                    opened_by INTEGER NOT NULL,
                    float_cents INTEGER NOT NULL CHECK (float_cents >= 0),
                    opening_sequence INTEGER NOT NULL,
                    closed_at INTEGER,
                    closed_by INTEGER,
                    counted_cents INTEGER CHECK (counted_cents >= 0),
                    close_sequence INTEGER REFERENCES outbox(sequence),
                    CHECK ((closed_at IS NULL) = (close_sequence IS NULL)
                       AND (closed_at IS NULL) = (counted_cents IS NULL)
                       AND (closed_at IS NULL) = (closed_by IS NULL))
                );
                -- All open sessions share the key 1: a second one is a constraint
                -- violation, whatever code writes it (the database is one register's).
                CREATE UNIQUE INDEX cash_session_one_open ON cash_session((closed_at IS NULL)) WHERE closed_at IS NULL;
                """)
        }
        // Issue 14: the PIN lockout is per person and survives a restart.
        migrator.registerMigration("v4-pin-attempts") { db in
            try db.execute(sql: """
                CREATE TABLE pin_attempt (
                    user_id INTEGER PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    locked_until INTEGER
                );
                """)
        }
        // Issue 15: carts kept across a restart and parked; what sells most; the store's quick keys.
        migrator.registerMigration("v5-carts-and-quick-keys") { db in
            try db.execute(sql: """
                -- 'current' is the cart on screen (one at most), saved as it changes, so a
                -- restart of the till gives it back; 'parked' are sales put aside.
                CREATE TABLE held_cart (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('current', 'parked')),
                    cashier_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    lines TEXT NOT NULL
                );
                CREATE UNIQUE INDEX held_cart_one_current ON held_cart(kind) WHERE kind = 'current';

                -- Units this till sold of each product: search ranks what sells most first.
                CREATE TABLE product_sold (
                    product_id INTEGER PRIMARY KEY,
                    units INTEGER NOT NULL
                );
                INSERT INTO product_sold(product_id, units)
                    SELECT product_id, sum(quantity) FROM sale_line GROUP BY product_id;

                -- The store's quick keys, chosen at central: position 1… → product.
                CREATE TABLE quick_key (
                    position INTEGER PRIMARY KEY,
                    product_id INTEGER NOT NULL
                );
                """)
        }
        // Issue 16: promotions from central, applied here offline (the store's discount limit is a meta key).
        migrator.registerMigration("v6-promotions") { db in
            try db.execute(sql: """
                CREATE TABLE promotion (
                    id INTEGER PRIMARY KEY,
                    definition TEXT NOT NULL
                );
                """)
        }
        // Issue 17: products made for the day, declared as waste at close.
        migrator.registerMigration("v7-fresh-products") { db in
            try db.execute(sql: "ALTER TABLE product ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0")
        }
        // Issue 17: a count under way (one at a time), kept here so it survives a restart and works offline.
        migrator.registerMigration("v8-stock-count") { db in
            try db.execute(sql: """
                CREATE TABLE stock_count (
                    id TEXT PRIMARY KEY,
                    scope TEXT NOT NULL,
                    started_at INTEGER NOT NULL,
                    started_by INTEGER NOT NULL
                );
                CREATE TABLE stock_count_line (
                    count_id TEXT NOT NULL REFERENCES stock_count(id) ON DELETE CASCADE,
                    product_id INTEGER NOT NULL,
                    book INTEGER NOT NULL,
                    counted INTEGER NOT NULL,
                    first_counted_at INTEGER NOT NULL,
                    PRIMARY KEY (count_id, product_id)
                );
                """)
        }
        migrator.registerMigration("v9-transfers") { db in
            // Transfers from or to this store, as central last said and as this till moved them on.
            try db.execute(sql: """
                CREATE TABLE stock_transfer (
                    id TEXT PRIMARY KEY,
                    from_store_id INTEGER NOT NULL,
                    to_store_id INTEGER NOT NULL,
                    product_id INTEGER NOT NULL,
                    requested INTEGER NOT NULL,
                    shipped INTEGER,
                    received INTEGER,
                    damaged INTEGER,
                    state TEXT NOT NULL,
                    note TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v10-returns-of-other-registers") { db in
            // A return of a sale made at another register or store (issue 24): its original is
            // central's, not in this till's `sale` table. The table is rebuilt without that key
            // (GRDB runs a migration with foreign keys off and checks them all before it commits).
            try db.execute(sql: """
                CREATE TABLE sale_return_new (
                    id TEXT PRIMARY KEY,
                    receipt_number TEXT NOT NULL UNIQUE,
                    original_sale_id TEXT NOT NULL,
                    store_id INTEGER NOT NULL,
                    register_id TEXT NOT NULL,
                    cashier_id INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    subtotal_cents INTEGER NOT NULL,
                    tax_cents INTEGER NOT NULL,
                    total_cents INTEGER NOT NULL,
                    rounding_cents INTEGER NOT NULL,
                    event_sequence INTEGER NOT NULL REFERENCES outbox(sequence)
                );
                INSERT INTO sale_return_new SELECT id, receipt_number, original_sale_id, store_id, register_id, cashier_id, created_at,
                    subtotal_cents, tax_cents, total_cents, rounding_cents, event_sequence FROM sale_return;
                DROP TABLE sale_return;
                ALTER TABLE sale_return_new RENAME TO sale_return;
                CREATE INDEX sale_return_original ON sale_return(original_sale_id);
                """)
        }
        migrator.registerMigration("v11-online-orders") { db in
            // The store's orders for pickup (issue 27), as central last said and as this till moved them on.
            try db.execute(sql: """
                CREATE TABLE online_order (
                    id TEXT PRIMARY KEY,
                    number TEXT NOT NULL,
                    state TEXT NOT NULL,
                    pickup_by INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    payload TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12-printer") { db in
            // The till's receipt printer (issue 29), one row when set, and what waits to be printed:
            // a sale never waits for paper, its receipt waits here until the printer takes it.
            try db.execute(sql: """
                CREATE TABLE printer_setting (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    target TEXT NOT NULL,
                    columns INTEGER NOT NULL CHECK (columns IN (32, 42)),
                    code_page TEXT NOT NULL,
                    receipt_code TEXT NOT NULL
                );
                CREATE TABLE print_job (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'drawer', 'report')),
                    reference TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    printed_at INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT
                );
                CREATE INDEX print_job_waiting ON print_job(id) WHERE printed_at IS NULL;
                """)
        }
        // The till's settings as one typed row (issue 25): they were thirteen strings in `meta`,
        // parsed at every read. `meta` keeps only the catalog load's transient flag.
        migrator.registerMigration("v13-settings-row") { db in
            try db.execute(sql: """
                CREATE TABLE register_setting (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    register_id TEXT,
                    store_id INTEGER,
                    chain_name TEXT NOT NULL DEFAULT '',
                    next_receipt INTEGER NOT NULL DEFAULT 1 CHECK (next_receipt >= 1),
                    applied_mark INTEGER NOT NULL DEFAULT 0 CHECK (applied_mark >= 0),
                    pull_cursor INTEGER NOT NULL DEFAULT 0 CHECK (pull_cursor >= 0),
                    central_url TEXT,
                    central_token TEXT,
                    central_ca_file TEXT,
                    last_sync INTEGER,
                    last_sync_error TEXT,
                    store_policy TEXT CHECK (store_policy IS NULL OR json_valid(store_policy)),
                    loyalty_program TEXT CHECK (loyalty_program IS NULL OR json_valid(loyalty_program))
                );
                INSERT INTO register_setting (id, register_id, store_id, chain_name, next_receipt, applied_mark, pull_cursor,
                                              central_url, central_token, central_ca_file, last_sync, last_sync_error,
                                              store_policy, loyalty_program)
                SELECT 1,
                       (SELECT value FROM meta WHERE key = 'register_id'),
                       CAST((SELECT value FROM meta WHERE key = 'store_id') AS INTEGER),
                       coalesce((SELECT value FROM meta WHERE key = 'chain_name'), ''),
                       coalesce(CAST((SELECT value FROM meta WHERE key = 'next_receipt') AS INTEGER), 1),
                       coalesce(CAST((SELECT value FROM meta WHERE key = 'applied_mark') AS INTEGER), 0),
                       coalesce(CAST((SELECT value FROM meta WHERE key = 'pull_cursor') AS INTEGER), 0),
                       (SELECT value FROM meta WHERE key = 'central_url'),
                       (SELECT value FROM meta WHERE key = 'central_token'),
                       (SELECT value FROM meta WHERE key = 'central_ca_file'),
                       CAST((SELECT value FROM meta WHERE key = 'last_sync') AS INTEGER),
                       (SELECT value FROM meta WHERE key = 'last_sync_error'),
                       (SELECT value FROM meta WHERE key = 'store_policy'),
                       (SELECT value FROM meta WHERE key = 'loyalty_program');
                DELETE FROM meta WHERE key <> 'bulk_catalog_load';
                """)
        }
        // The stock feed apart from the change feed (issue 26): its own cursor, which starts where
        // the till's snapshot stands (the change feed's cursor, which carried the stock until now).
        migrator.registerMigration("v14-stock-cursor") { db in
            try db.execute(sql: """
                ALTER TABLE register_setting ADD COLUMN stock_cursor INTEGER NOT NULL DEFAULT 0 CHECK (stock_cursor >= 0);
                UPDATE register_setting SET stock_cursor = pull_cursor;
                """)
        }
        return migrator
    }
}
