import CentralModel

/// Central's PostgreSQL schema: the SQLite one (SQLiteSchema.swift) in
/// PostgreSQL's types. Integers and money are BIGINT (cents), flags BOOLEAN.
/// Migrations are numbered; `schema_migration` records the applied ones.
enum PostgresSchema {
    struct Migration {
        var version: Int
        /// One statement each: the extended protocol runs one at a time.
        var statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, statements: [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            // One row: every writer that produces change rows takes its numbers here.
            "CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)",
            "INSERT INTO change_counter(id, value) VALUES (1, 0)",
            """
            CREATE TABLE location (
                id BIGINT PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                address TEXT NOT NULL,
                tax_rule TEXT NOT NULL,
                tax_numbers TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                change_seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE tax_rule (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                rates TEXT NOT NULL,
                change_seq BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE product (
                id BIGINT PRIMARY KEY,
                sku TEXT NOT NULL UNIQUE,
                barcode TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                category TEXT NOT NULL,
                price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
                tax_class TEXT NOT NULL,
                reorder_point BIGINT NOT NULL,
                overstock_threshold BIGINT NOT NULL,
                active BOOLEAN NOT NULL DEFAULT TRUE,
                search_key TEXT NOT NULL,
                change_seq BIGINT NOT NULL
            )
            """,
            "CREATE INDEX product_change ON product(change_seq)",
            """
            CREATE TABLE app_user (
                id BIGINT PRIMARY KEY,
                username TEXT NOT NULL,
                display_name TEXT NOT NULL,
                role TEXT NOT NULL,
                store_id BIGINT NOT NULL REFERENCES location(id),
                pin_hash TEXT NOT NULL,
                active BOOLEAN NOT NULL DEFAULT TRUE,
                -- Shared by every central instance: the throttle holds across them.
                failed_logins BIGINT NOT NULL DEFAULT 0,
                locked_until BIGINT,
                change_seq BIGINT NOT NULL
            )
            """,
            // Usernames are case-insensitive, as SQLite's COLLATE NOCASE makes them.
            "CREATE UNIQUE INDEX app_user_username ON app_user(lower(username))",
            "CREATE INDEX app_user_change ON app_user(change_seq)",
            """
            CREATE TABLE session (
                token_digest TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES app_user(id),
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE register (
                id TEXT PRIMARY KEY,
                store_id BIGINT NOT NULL REFERENCES location(id),
                name TEXT NOT NULL,
                token_digest TEXT NOT NULL UNIQUE,
                applied_through BIGINT NOT NULL DEFAULT 0,
                last_hash TEXT NOT NULL,
                revoked BOOLEAN NOT NULL DEFAULT FALSE,
                audit_flag TEXT
            )
            """,
            """
            CREATE TABLE event (
                register_id TEXT NOT NULL REFERENCES register(id),
                sequence BIGINT NOT NULL,
                id TEXT NOT NULL,
                type TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                payload TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL,
                PRIMARY KEY (register_id, sequence)
            )
            """,
            """
            CREATE TABLE document (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                receipt_number TEXT NOT NULL,
                store_id BIGINT NOT NULL REFERENCES location(id),
                register_id TEXT NOT NULL,
                event_sequence BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                day BIGINT NOT NULL,
                items BIGINT NOT NULL,
                subtotal_cents BIGINT NOT NULL,
                tax_cents BIGINT NOT NULL,
                total_cents BIGINT NOT NULL
            )
            """,
            "CREATE INDEX document_day ON document(day, store_id)",
            """
            CREATE TABLE document_line (
                document_id TEXT NOT NULL REFERENCES document(id),
                line_no BIGINT NOT NULL,
                product_id BIGINT NOT NULL,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity BIGINT NOT NULL,
                amount_cents BIGINT NOT NULL,
                PRIMARY KEY (document_id, line_no)
            )
            """,
            """
            CREATE TABLE stock (
                location_id BIGINT NOT NULL REFERENCES location(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                on_hand BIGINT NOT NULL,
                change_seq BIGINT NOT NULL,
                PRIMARY KEY (location_id, product_id)
            )
            """,
            "CREATE INDEX stock_change ON stock(location_id, change_seq)",
            """
            CREATE TABLE stock_movement (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                location_id BIGINT NOT NULL REFERENCES location(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                quantity BIGINT NOT NULL,
                reason TEXT NOT NULL,
                reference TEXT NOT NULL,
                register_id TEXT,
                event_sequence BIGINT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX stock_movement_location ON stock_movement(location_id, product_id)",
            """
            CREATE TABLE restock_request (
                id TEXT PRIMARY KEY,
                store_id BIGINT NOT NULL REFERENCES location(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                quantity BIGINT NOT NULL CHECK (quantity > 0),
                state TEXT NOT NULL,
                note TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                change_seq BIGINT NOT NULL
            )
            """,
            "CREATE INDEX restock_request_store ON restock_request(store_id, change_seq)",
        ]),
        // ADR 0013: returns name their original sale; exceptions for head office.
        Migration(version: 2, statements: [
            "ALTER TABLE document ADD COLUMN original_id TEXT",
            "CREATE INDEX document_original ON document(original_id) WHERE original_id IS NOT NULL",
            """
            CREATE TABLE central_exception (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                kind TEXT NOT NULL,
                store_id BIGINT NOT NULL REFERENCES location(id),
                register_id TEXT NOT NULL,
                event_sequence BIGINT NOT NULL,
                reference TEXT NOT NULL,
                detail TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                resolved_at BIGINT,
                resolved_by TEXT,
                resolution TEXT
            )
            """,
            "CREATE INDEX central_exception_open ON central_exception(resolved_at, store_id)",
        ]),
        // ADR 0014: sessions bound to the register that opened them.
        Migration(version: 3, statements: [
            "ALTER TABLE session ADD COLUMN register_id TEXT REFERENCES register(id)",
        ]),
        // Issue 15: each store's quick keys, one row per store, pulled by its registers.
        Migration(version: 4, statements: [
            "CREATE TABLE quick_key_set (store_id BIGINT PRIMARY KEY REFERENCES location(id), product_ids TEXT NOT NULL, change_seq BIGINT NOT NULL)",
        ]),
        // Issue 16: promotions (their definition as the tills get it) and each store's discount limit.
        Migration(version: 5, statements: [
            "CREATE TABLE promotion (id BIGINT PRIMARY KEY, definition TEXT NOT NULL, change_seq BIGINT NOT NULL)",
            "CREATE INDEX promotion_change ON promotion(change_seq)",
            "CREATE TABLE store_setting (store_id BIGINT PRIMARY KEY REFERENCES location(id), policy TEXT NOT NULL, change_seq BIGINT NOT NULL)",
            """
            CREATE TABLE document_discount (
                document_id TEXT NOT NULL REFERENCES document(id),
                line_no BIGINT NOT NULL,
                position BIGINT NOT NULL,
                kind TEXT NOT NULL,
                reason TEXT,
                promotion_id BIGINT,
                label TEXT,
                cashier_id BIGINT NOT NULL,
                approved_by BIGINT,
                amount_cents BIGINT NOT NULL,
                PRIMARY KEY (document_id, line_no, position)
            )
            """,
        ]),
        // Issue 17: each line of each stock adjustment, for waste and shrinkage reports.
        Migration(version: 6, statements: [
            """
            CREATE TABLE stock_adjustment_line (
                adjustment_id TEXT NOT NULL,
                product_id BIGINT NOT NULL,
                store_id BIGINT NOT NULL REFERENCES location(id),
                register_id TEXT NOT NULL,
                event_sequence BIGINT NOT NULL,
                day BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity BIGINT NOT NULL,
                value_cents BIGINT NOT NULL,
                by_user BIGINT NOT NULL,
                approved_by BIGINT,
                PRIMARY KEY (adjustment_id, product_id)
            )
            """,
            "CREATE INDEX stock_adjustment_day ON stock_adjustment_line(day, store_id)",
            "ALTER TABLE product ADD COLUMN fresh BOOLEAN NOT NULL DEFAULT false",
        ]),
        // Issue 17: transfers between stores; an optional cost per product, and losses at cost.
        Migration(version: 7, statements: [
            """
            CREATE TABLE stock_transfer (
                id TEXT PRIMARY KEY,
                from_store_id BIGINT NOT NULL REFERENCES location(id),
                to_store_id BIGINT NOT NULL REFERENCES location(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                requested BIGINT NOT NULL,
                shipped BIGINT,
                received BIGINT,
                damaged BIGINT,
                state TEXT NOT NULL,
                note TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                change_seq BIGINT NOT NULL,
                CHECK (from_store_id <> to_store_id)
            )
            """,
            "CREATE INDEX stock_transfer_from ON stock_transfer(from_store_id, change_seq)",
            "CREATE INDEX stock_transfer_to ON stock_transfer(to_store_id, change_seq)",
            "ALTER TABLE product ADD COLUMN cost_cents BIGINT CHECK (cost_cents >= 0)",
            "ALTER TABLE stock_adjustment_line ADD COLUMN cost_cents BIGINT",
        ]),
        // Issue 18: per-day aggregates kept by ingest (ADR 0017), and each document's taxes by code.
        Migration(version: 8, statements: [
            """
            CREATE TABLE document_tax (
                document_id TEXT NOT NULL REFERENCES document(id),
                code TEXT NOT NULL,
                amount_cents BIGINT NOT NULL,
                PRIMARY KEY (document_id, code)
            )
            """,
            """
            CREATE TABLE agg_store_day (
                store_id BIGINT NOT NULL, day BIGINT NOT NULL, kind TEXT NOT NULL,
                documents BIGINT NOT NULL, items BIGINT NOT NULL, subtotal_cents BIGINT NOT NULL, tax_cents BIGINT NOT NULL,
                PRIMARY KEY (day, store_id, kind)
            )
            """,
            """
            CREATE TABLE agg_product_day (
                day BIGINT NOT NULL, product_id BIGINT NOT NULL, kind TEXT NOT NULL,
                quantity BIGINT NOT NULL, amount_cents BIGINT NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL,
                PRIMARY KEY (day, product_id, kind)
            )
            """,
            """
            CREATE TABLE agg_tax_day (
                store_id BIGINT NOT NULL, day BIGINT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, amount_cents BIGINT NOT NULL,
                PRIMARY KEY (day, store_id, kind, code)
            )
            """,
            """
            CREATE TABLE agg_discount_day (
                store_id BIGINT NOT NULL, day BIGINT NOT NULL, document_kind TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
                promotion_id BIGINT NOT NULL, cashier_id BIGINT NOT NULL, approved_by BIGINT NOT NULL,
                count BIGINT NOT NULL, amount_cents BIGINT NOT NULL, label TEXT NOT NULL,
                PRIMARY KEY (day, store_id, document_kind, kind, reason, promotion_id, cashier_id, approved_by)
            )
            """,
            // Taxes of the documents recorded before this version, from their journaled payloads.
            """
            INSERT INTO document_tax(document_id, code, amount_cents)
            SELECT d.id, t->>'code', sum((t->>'amountCents')::bigint)
            FROM document AS d JOIN event AS e ON e.register_id = d.register_id AND e.sequence = d.event_sequence,
                 jsonb_array_elements(e.payload::jsonb -> 'taxes') AS t
            GROUP BY d.id, t->>'code'
            """,
        ] + AggregateSQL.rebuild(only: ["agg_store_day", "agg_product_day", "agg_tax_day", "agg_discount_day"])),
        // Issue 18: per week, and the chain per day: a period reads its whole weeks and a few days.
        Migration(version: 9, statements: [
            """
            CREATE TABLE IF NOT EXISTS agg_product_week (
                week BIGINT NOT NULL, product_id BIGINT NOT NULL, kind TEXT NOT NULL,
                quantity BIGINT NOT NULL, amount_cents BIGINT NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL,
                PRIMARY KEY (week, product_id, kind)
            )
            """,
            """
            CREATE TABLE agg_store_week (
                week BIGINT NOT NULL, store_id BIGINT NOT NULL, kind TEXT NOT NULL,
                documents BIGINT NOT NULL, items BIGINT NOT NULL, subtotal_cents BIGINT NOT NULL, tax_cents BIGINT NOT NULL,
                PRIMARY KEY (week, store_id, kind)
            )
            """,
            """
            CREATE TABLE agg_chain_day (
                day BIGINT NOT NULL, kind TEXT NOT NULL,
                documents BIGINT NOT NULL, items BIGINT NOT NULL, subtotal_cents BIGINT NOT NULL, tax_cents BIGINT NOT NULL,
                PRIMARY KEY (day, kind)
            )
            """,
            """
            CREATE TABLE agg_tax_week (
                week BIGINT NOT NULL, store_id BIGINT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, amount_cents BIGINT NOT NULL,
                PRIMARY KEY (week, store_id, kind, code)
            )
            """,
        ] + AggregateSQL.rebuild(only: ["agg_product_week", "agg_store_week", "agg_chain_day", "agg_tax_week"])),
        // Issue 23: the clock rule's mark per register; head office's decision on a quarantined event.
        Migration(version: 10, statements: [
            "ALTER TABLE register ADD COLUMN clock_mark BIGINT NOT NULL DEFAULT 0",
            "UPDATE register SET clock_mark = COALESCE((SELECT max(created_at) FROM event WHERE event.register_id = register.id), 0)",
            "ALTER TABLE central_exception ADD COLUMN decision TEXT",
        ]),
        // Issue 26: logouts counted, so that sessions can be cached under the data version.
        Migration(version: 11, statements: [
            "CREATE TABLE session_epoch (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL)",
            "INSERT INTO session_epoch(id, value) VALUES (1, 0)",
        ]),
        // Issue 23: both times, the till's (`created_at`, as printed on the receipt) and central's.
        Migration(version: 12, statements: ["ALTER TABLE event ADD COLUMN received_at BIGINT"]),
        // Issue 24: a return at another register finds the sale by its receipt number.
        Migration(version: 13, statements: ["CREATE INDEX document_receipt ON document(receipt_number)"]),
        // Issue 27: customers, their points ledger (the balance is its sum), head office's program,
        // and what was done with a person's data (exported, erased: Law 25).
        Migration(version: 14, statements: [
            """
            CREATE TABLE customer (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                card_number TEXT NOT NULL UNIQUE,
                name TEXT,
                email TEXT,
                phone TEXT,
                language TEXT NOT NULL,
                loyalty_consent_at BIGINT,
                marketing_consent_at BIGINT,
                created_at BIGINT NOT NULL,
                store_id BIGINT REFERENCES location(id),
                erased_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX customer_email ON customer(email) WHERE email IS NOT NULL",
            "CREATE INDEX customer_phone ON customer(phone) WHERE phone IS NOT NULL",
            """
            CREATE TABLE loyalty_entry (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                customer_id BIGINT NOT NULL REFERENCES customer(id),
                kind TEXT NOT NULL,
                points BIGINT NOT NULL,
                reference TEXT,
                reason TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX loyalty_entry_customer ON loyalty_entry(customer_id)",
            "CREATE UNIQUE INDEX loyalty_entry_once ON loyalty_entry(reference, kind) WHERE kind IN ('earned', 'reversed')",
            "CREATE UNIQUE INDEX loyalty_entry_hold ON loyalty_entry(reference) WHERE kind IN ('held', 'redeemed', 'released')",
            "CREATE TABLE loyalty_program (id BIGINT PRIMARY KEY CHECK (id = 1), definition TEXT NOT NULL)",
            """
            CREATE TABLE customer_record (
                id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                customer_id BIGINT NOT NULL REFERENCES customer(id),
                action TEXT NOT NULL,
                by_user TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
        ]),
        // Issue 27: customers sign in on the web (apart from staff), fill a cart for a store,
        // and check out for pickup; open orders reserve the store's stock.
        Migration(version: 15, statements: [
            "ALTER TABLE customer ADD COLUMN password_hash TEXT",
            "ALTER TABLE customer ADD COLUMN login_failures BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE customer ADD COLUMN locked_until BIGINT",
            """
            CREATE TABLE customer_session (
                token_digest TEXT PRIMARY KEY,
                customer_id BIGINT NOT NULL REFERENCES customer(id),
                csrf TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE shop_cart_line (
                customer_id BIGINT NOT NULL REFERENCES customer(id),
                store_id BIGINT NOT NULL REFERENCES location(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                quantity BIGINT NOT NULL,
                PRIMARY KEY (customer_id, store_id, product_id)
            )
            """,
            """
            CREATE TABLE online_order (
                id TEXT PRIMARY KEY,
                number TEXT NOT NULL,
                customer_id BIGINT NOT NULL REFERENCES customer(id),
                store_id BIGINT NOT NULL REFERENCES location(id),
                state TEXT NOT NULL,
                total_cents BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                pickup_by BIGINT NOT NULL,
                sale_id TEXT,
                change_seq BIGINT NOT NULL
            )
            """,
            "CREATE INDEX online_order_store ON online_order(store_id, state)",
            "CREATE INDEX online_order_customer ON online_order(customer_id)",
            "CREATE UNIQUE INDEX online_order_sale ON online_order(sale_id) WHERE sale_id IS NOT NULL",
            """
            CREATE TABLE online_order_line (
                order_id TEXT NOT NULL REFERENCES online_order(id),
                product_id BIGINT NOT NULL REFERENCES product(id),
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity BIGINT NOT NULL,
                unit_price_cents BIGINT NOT NULL,
                PRIMARY KEY (order_id, product_id)
            )
            """,
            "CREATE INDEX online_order_line_product ON online_order_line(product_id)",
        ]),
        // Issue 27: tills pull the program to print the points a sale earns.
        Migration(version: 16, statements: ["ALTER TABLE loyalty_program ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0"]),
    ]
}
