import GRDB

/// The ledger schema. Migrations are append-only: never edit a shipped one, add a new one.
/// The golden of the resulting schema is `fixtures/schema/current.sql`.
enum Migrations {
    /// The migrations' names, in order: every engine applies the same list (a test compares them).
    static var names: [String] { migrator.migrations }
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("2026-11-28-v1-ledger") { db in
            try db.execute(sql: """
            CREATE TABLE import_batch (
                id INTEGER PRIMARY KEY,
                file_name TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                format TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                new_count INTEGER NOT NULL DEFAULT 0,
                duplicate_count INTEGER NOT NULL DEFAULT 0,
                filtered_count INTEGER NOT NULL DEFAULT 0,
                problem_count INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE txn (
                id INTEGER PRIMARY KEY,
                day INTEGER NOT NULL,              -- days since 1970-01-01 (SaldoCore.Day.ordinal)
                timestamp TEXT,
                time_zone TEXT,
                payee TEXT,
                platform TEXT,
                client TEXT,
                description TEXT NOT NULL,
                kind TEXT NOT NULL,
                external_id TEXT,
                dedup_key TEXT UNIQUE,
                source_file TEXT,                  -- NULL: the batch's file
                source_line INTEGER,
                source_record INTEGER,
                batch_id INTEGER REFERENCES import_batch(id),
                -- The postings, in order, as a JSON array of
                -- [account id, currency, amount in minor units, cost currency, cost in minor units]
                -- (the last two only for a conversion leg). Kept inline: an import of a million
                -- rows then writes a million rows, not four. The posting view below unpacks them.
                postings TEXT NOT NULL,
                has_cost INTEGER NOT NULL DEFAULT 0,
                derived INTEGER NOT NULL DEFAULT 0   -- 1: some amounts were computed from a rate (Transaction.isDerived)
            );
            CREATE INDEX txn_day ON txn(day);
            CREATE INDEX txn_with_cost ON txn(day) WHERE has_cost = 1;
            CREATE VIEW posting AS
                SELECT t.id AS txn_id, CAST(j.key AS INTEGER) AS seq,
                       a.path AS account, json_extract(j.value, '$[1]') AS currency,
                       json_extract(j.value, '$[2]') AS amount, json_extract(j.value, '$[3]') AS cost_currency,
                       json_extract(j.value, '$[4]') AS cost_amount
                FROM txn t, json_each(t.postings) j JOIN account a ON a.id = json_extract(j.value, '$[0]');
            CREATE TABLE account (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE
            );
            -- Postings without a conversion cost, summed per day, account, currency, kind, platform
            -- and client: kept in step with txn by every import (same database transaction), so
            -- reports over millions of transactions read thousands of rows.
            CREATE TABLE daily_total (
                day INTEGER NOT NULL,
                account_id INTEGER NOT NULL REFERENCES account(id),
                currency TEXT NOT NULL,
                kind TEXT NOT NULL,
                platform TEXT NOT NULL,            -- '' when unknown
                client TEXT NOT NULL,              -- '' when unknown
                amount INTEGER NOT NULL,
                postings INTEGER NOT NULL,
                PRIMARY KEY (day, account_id, currency, kind, platform, client)
            ) WITHOUT ROWID;
            CREATE TABLE balance_check (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES import_batch(id),
                account TEXT NOT NULL,
                day INTEGER NOT NULL,
                currency TEXT NOT NULL,
                stated INTEGER NOT NULL,
                computed INTEGER NOT NULL,
                source_file TEXT,
                source_line INTEGER
            );
            CREATE TABLE invoice (
                id INTEGER PRIMARY KEY,
                dedup_key TEXT NOT NULL UNIQUE,
                number TEXT NOT NULL,
                type_code TEXT NOT NULL,
                kind TEXT NOT NULL,
                direction TEXT NOT NULL,
                issue_day INTEGER NOT NULL,
                due_day INTEGER,
                seller_name TEXT NOT NULL,
                seller_tax_id TEXT,
                seller_country TEXT,
                buyer_name TEXT NOT NULL,
                buyer_tax_id TEXT,
                buyer_country TEXT,
                currency TEXT NOT NULL,
                net INTEGER NOT NULL,
                tax INTEGER NOT NULL,
                withholding INTEGER NOT NULL,
                total INTEGER NOT NULL,
                prepaid INTEGER NOT NULL,
                payable INTEGER NOT NULL,
                tax_accounting_currency TEXT,
                tax_accounting_amount INTEGER,
                corrects_number TEXT,
                status TEXT NOT NULL,
                format TEXT NOT NULL,
                source_file TEXT,
                problems TEXT NOT NULL DEFAULT '',
                txn_id INTEGER REFERENCES txn(id),
                batch_id INTEGER REFERENCES import_batch(id)
            );
            CREATE TABLE invoice_payment (
                invoice_id INTEGER NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
                txn_id INTEGER NOT NULL REFERENCES txn(id) ON DELETE CASCADE,
                amount INTEGER NOT NULL,           -- minor units of the invoice currency
                method TEXT NOT NULL,              -- auto | manual | rejected (the user unlinked an automatic match)
                explanation TEXT NOT NULL,
                PRIMARY KEY (invoice_id, txn_id)
            );
            -- Key columns first: SQLite 3.40's integrity_check misreads NOT NULL columns declared
            -- between the key columns of a WITHOUT ROWID table (found by the killed-write test).
            CREATE TABLE rate (
                day INTEGER NOT NULL,
                base TEXT NOT NULL,
                quote TEXT NOT NULL,
                source TEXT NOT NULL,
                rate TEXT NOT NULL,                -- exact decimal text: quote units per one base unit
                PRIMARY KEY (day, base, quote, source)
            ) WITHOUT ROWID;
            CREATE TABLE setting (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """)
        }
        // Conversion legs whose other leg was not in the same file: booked on their own against
        // equity:conversions:unmatched, kept here with what links them to their other leg, until a
        // later import pairs them (`paired_key`: the pairing transaction's dedup key).
        m.registerMigration("2026-12-05-v2-conversion-legs") { db in
            try db.execute(sql: """
            CREATE TABLE conversion_leg (
                txn_key TEXT PRIMARY KEY,          -- the leg's own transaction (txn.dedup_key)
                institution TEXT NOT NULL,
                leg_id TEXT,
                reference TEXT,
                day INTEGER NOT NULL,
                seconds INTEGER NOT NULL,          -- -1 when the row had no time
                currency TEXT NOT NULL,
                gross INTEGER NOT NULL,
                net INTEGER NOT NULL,
                source_file TEXT,
                source_line INTEGER,
                paired_key TEXT
            ) WITHOUT ROWID;
            CREATE INDEX conversion_leg_open ON conversion_leg (institution) WHERE paired_key IS NULL;
            """)
        }
        // The dedup key's unique index becomes a named index instead of the column's UNIQUE
        // constraint, so that an import into an empty ledger can build it once at the end (sorted)
        // instead of inserting a million random keys one by one. The table is rebuilt with its rows;
        // foreign keys are checked before the migration commits (GRDB's deferred checks).
        m.registerMigration("2026-12-05-v3-dedup-index") { db in
            try db.execute(sql: """
            CREATE TABLE txn_new (
                id INTEGER PRIMARY KEY,
                day INTEGER NOT NULL,              -- days since 1970-01-01 (SaldoCore.Day.ordinal)
                timestamp TEXT,
                time_zone TEXT,
                payee TEXT,
                platform TEXT,
                client TEXT,
                description TEXT NOT NULL,
                kind TEXT NOT NULL,
                external_id TEXT,
                dedup_key TEXT,
                source_file TEXT,                  -- NULL: the batch's file
                source_line INTEGER,
                source_record INTEGER,
                batch_id INTEGER REFERENCES import_batch(id),
                -- The postings, in order, as a JSON array of
                -- [account id, currency, amount in minor units, cost currency, cost in minor units]
                -- (the last two only for a conversion leg). Kept inline: an import of a million
                -- rows then writes a million rows, not four. The posting view below unpacks them.
                postings TEXT NOT NULL,
                has_cost INTEGER NOT NULL DEFAULT 0,
                derived INTEGER NOT NULL DEFAULT 0   -- 1: some amounts were computed from a rate (Transaction.isDerived)
            );
            INSERT INTO txn_new SELECT * FROM txn;
            DROP VIEW posting;
            DROP TABLE txn;
            ALTER TABLE txn_new RENAME TO txn;
            CREATE UNIQUE INDEX txn_dedup_key ON txn(dedup_key);
            CREATE INDEX txn_day ON txn(day);
            CREATE INDEX txn_with_cost ON txn(day) WHERE has_cost = 1;
            CREATE VIEW posting AS
                SELECT t.id AS txn_id, CAST(j.key AS INTEGER) AS seq,
                       a.path AS account, json_extract(j.value, '$[1]') AS currency,
                       json_extract(j.value, '$[2]') AS amount, json_extract(j.value, '$[3]') AS cost_currency,
                       json_extract(j.value, '$[4]') AS cost_amount
                FROM txn t, json_each(t.postings) j JOIN account a ON a.id = json_extract(j.value, '$[0]');
            """)
        }
        // Browsing transactions (the web app's Transactions page): filters on platform or client
        // with a period count and page on an index, and the amount order pages on the first
        // posting's amount (the same expression as SQLiteLedgerStore.firstAmountSQL) without a sort.
        m.registerMigration("2026-12-06-v4-transaction-browsing") { db in
            try db.execute(sql: """
            CREATE INDEX txn_platform_day ON txn(platform, day);
            CREATE INDEX txn_client_day ON txn(client, day);
            CREATE INDEX txn_first_amount ON txn(COALESCE(json_extract(postings, '$[0][2]'), 0));
            """)
        }
        // The statement files as imported, one copy per distinct file, so that every transaction
        // can show the line it came from (Originals.swift). Written in the import's transaction.
        m.registerMigration("2026-12-06-v5-statement-originals") { db in
            try db.execute(sql: """
            CREATE TABLE statement_original (
                sha256 TEXT PRIMARY KEY,          -- import_batch.sha256 of every batch read from this file
                byte_count INTEGER NOT NULL,
                content BLOB NOT NULL
            );
            """)
        }
        // The amount orders of the transaction browser read a stored column (the first posting's
        // amount in minor units, 0 without postings) with a plain index, instead of an index on a
        // JSON expression over `postings` that every imported row paid for (json_extract per row,
        // per insert). The import writer fills it from the batch's first leg; existing ledgers are
        // backfilled with the expression the old index used.
        m.registerMigration("2026-12-06-v6-first-amount-column") { db in
            try db.execute(sql: """
            ALTER TABLE txn ADD COLUMN first_amount INTEGER NOT NULL DEFAULT 0;
            UPDATE txn SET first_amount = COALESCE(json_extract(postings, '$[0][2]'), 0);
            DROP INDEX txn_first_amount;
            CREATE INDEX txn_first_amount ON txn(first_amount);
            """)
        }
        // PostgreSQL's migration of this name indexes the external ids, for an office's tax reads
        // over thousands of workspaces (PostgresSchema). A SQLite ledger is one freelancer's: its
        // tax read scans the external ids of one ledger (a few milliseconds for 100,000 rows),
        // while one more index would slow every import, whose floor (issue #12) has no room left.
        // The name is kept so that both engines list the same migrations.
        m.registerMigration("2026-12-06-v7-external-id-index") { _ in }
        // Each day total keeps the amounts it sums (DayTotalParts), so that a report converts and
        // rounds each posting alone, as the tax return does, and the two agree to the cent. Rows
        // already there get theirs from the transactions, grouped as the import writer groups them
        // (postings without a conversion cost, by day, account, currency, kind, platform, client).
        m.registerMigration("2026-12-07-v8-day-total-parts") { db in
            try db.execute(sql: """
            ALTER TABLE daily_total ADD COLUMN parts TEXT NOT NULL DEFAULT '';
            UPDATE daily_total SET parts = s.parts FROM (
                SELECT t.day AS day, json_extract(j.value, '$[0]') AS account_id, json_extract(j.value, '$[1]') AS currency,
                       t.kind AS kind, COALESCE(t.platform, '') AS platform, COALESCE(t.client, '') AS client,
                       group_concat(json_extract(j.value, '$[2]'), ',') AS parts
                FROM txn t, json_each(t.postings) j
                WHERE json_extract(j.value, '$[3]') IS NULL
                GROUP BY 1, 2, 3, 4, 5, 6
            ) AS s
            WHERE daily_total.day = s.day AND daily_total.account_id = s.account_id AND daily_total.currency = s.currency
              AND daily_total.kind = s.kind AND daily_total.platform = s.platform AND daily_total.client = s.client;
            """)
        }
        return m
    }
}
