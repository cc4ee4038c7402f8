import Foundation
import PostgresNIO
import SaldoStore

/// The PostgreSQL schema: the SQLite ledger's migrations, by the same names in the same order,
/// written for PostgreSQL and ready for many workspaces (tenants) from the start:
///
/// - `workspace` holds one row per ledger; every per-ledger table has `workspace_id bigint NOT NULL`
///   leading its primary key, its unique indexes and its indexes, and composite foreign keys
///   `(workspace_id, x_id) → parent(workspace_id, id)`.
/// - Row-level security is enabled and forced on every table, with one policy comparing
///   `workspace_id` with the strict `current_setting('app.workspace_id')` (no `missing_ok`: a
///   transaction that did not set the context fails instead of seeing nothing or everything).
/// - The tables belong to the role that runs the migrations (the owner); the store's role gets
///   DML only, and must be neither superuser nor BYPASSRLS.
/// - Text columns use the "C" collation: the same order as SQLite's BINARY one, whatever the
///   database's locale (the conversion legs' key ranges depend on it).
public enum PostgresSchema {
    /// The migrations, in order: the SQLite ledger's names, PostgreSQL's SQL.
    static let migrations: [(name: String, sql: String)] = [
        ("2026-11-28-v1-ledger", """
        CREATE TABLE workspace (
            id bigint PRIMARY KEY CHECK (id > 0),
            data_version bigint NOT NULL DEFAULT 0,   -- moves on every committed write (LedgerStore.dataVersion)
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE import_batch (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            id bigint NOT NULL,
            file_name text COLLATE "C" NOT NULL,
            sha256 text COLLATE "C" NOT NULL,
            format text COLLATE "C" NOT NULL,
            imported_at text COLLATE "C" NOT NULL,
            new_count bigint NOT NULL DEFAULT 0,
            duplicate_count bigint NOT NULL DEFAULT 0,
            filtered_count bigint NOT NULL DEFAULT 0,
            problem_count bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (workspace_id, id)
        );
        CREATE TABLE account (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            id bigint NOT NULL,
            path text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, id),
            UNIQUE (workspace_id, path)
        );
        CREATE TABLE txn (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            id bigint NOT NULL,
            day integer NOT NULL,                    -- days since 1970-01-01 (SaldoCore.Day.ordinal)
            timestamp text COLLATE "C",
            time_zone text COLLATE "C",
            payee text COLLATE "C",
            platform text COLLATE "C",
            client text COLLATE "C",
            description text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            external_id text COLLATE "C",
            dedup_key text COLLATE "C",
            source_file text COLLATE "C",            -- NULL: the batch's file
            source_line bigint,
            source_record bigint,
            batch_id bigint,
            -- The postings as SQLite keeps them: a JSON array of
            -- [account id, currency, amount in minor units, cost currency, cost in minor units].
            postings text NOT NULL,
            has_cost boolean NOT NULL DEFAULT false,
            derived boolean NOT NULL DEFAULT false,
            PRIMARY KEY (workspace_id, id),
            FOREIGN KEY (workspace_id, batch_id) REFERENCES import_batch(workspace_id, id)
        );
        CREATE INDEX txn_day ON txn(workspace_id, day);
        CREATE INDEX txn_with_cost ON txn(workspace_id, day) WHERE has_cost;
        CREATE TABLE daily_total (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            day integer NOT NULL,
            account_id bigint NOT NULL,
            currency text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            platform text COLLATE "C" NOT NULL,
            client text COLLATE "C" NOT NULL,
            amount bigint NOT NULL,
            postings bigint NOT NULL,
            PRIMARY KEY (workspace_id, day, account_id, currency, kind, platform, client),
            FOREIGN KEY (workspace_id, account_id) REFERENCES account(workspace_id, id)
        );
        CREATE TABLE balance_check (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            id bigint NOT NULL,
            batch_id bigint NOT NULL,
            account text COLLATE "C" NOT NULL,
            day integer NOT NULL,
            currency text COLLATE "C" NOT NULL,
            stated bigint NOT NULL,
            computed bigint NOT NULL,
            source_file text COLLATE "C",
            source_line bigint,
            PRIMARY KEY (workspace_id, id),
            FOREIGN KEY (workspace_id, batch_id) REFERENCES import_batch(workspace_id, id)
        );
        CREATE TABLE invoice (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            id bigint NOT NULL,
            dedup_key text COLLATE "C" NOT NULL,
            number text COLLATE "C" NOT NULL,
            type_code text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL,
            direction text COLLATE "C" NOT NULL,
            issue_day integer NOT NULL,
            due_day integer,
            seller_name text COLLATE "C" NOT NULL,
            seller_tax_id text COLLATE "C",
            seller_country text COLLATE "C",
            buyer_name text COLLATE "C" NOT NULL,
            buyer_tax_id text COLLATE "C",
            buyer_country text COLLATE "C",
            currency text COLLATE "C" NOT NULL,
            net bigint NOT NULL,
            tax bigint NOT NULL,
            withholding bigint NOT NULL,
            total bigint NOT NULL,
            prepaid bigint NOT NULL,
            payable bigint NOT NULL,
            tax_accounting_currency text COLLATE "C",
            tax_accounting_amount bigint,
            corrects_number text COLLATE "C",
            status text COLLATE "C" NOT NULL,
            format text COLLATE "C" NOT NULL,
            source_file text COLLATE "C",
            problems text COLLATE "C" NOT NULL DEFAULT '',
            txn_id bigint,
            batch_id bigint,
            PRIMARY KEY (workspace_id, id),
            UNIQUE (workspace_id, dedup_key),
            FOREIGN KEY (workspace_id, txn_id) REFERENCES txn(workspace_id, id),
            FOREIGN KEY (workspace_id, batch_id) REFERENCES import_batch(workspace_id, id)
        );
        CREATE TABLE invoice_payment (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            invoice_id bigint NOT NULL,
            txn_id bigint NOT NULL,
            amount bigint NOT NULL,                  -- minor units of the invoice currency
            method text COLLATE "C" NOT NULL,        -- auto | manual | rejected
            explanation text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, invoice_id, txn_id),
            FOREIGN KEY (workspace_id, invoice_id) REFERENCES invoice(workspace_id, id) ON DELETE CASCADE,
            FOREIGN KEY (workspace_id, txn_id) REFERENCES txn(workspace_id, id) ON DELETE CASCADE
        );
        CREATE TABLE rate (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            day integer NOT NULL,
            base text COLLATE "C" NOT NULL,
            quote text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            rate text COLLATE "C" NOT NULL,          -- exact decimal text: quote units per one base unit
            PRIMARY KEY (workspace_id, day, base, quote, source)
        );
        CREATE TABLE setting (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            key text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            PRIMARY KEY (workspace_id, key)
        );
        """),
        ("2026-12-05-v2-conversion-legs", """
        CREATE TABLE conversion_leg (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            txn_key text COLLATE "C" NOT NULL,
            institution text COLLATE "C" NOT NULL,
            leg_id text COLLATE "C",
            reference text COLLATE "C",
            day integer NOT NULL,
            seconds bigint NOT NULL,
            currency text COLLATE "C" NOT NULL,
            gross bigint NOT NULL,
            net bigint NOT NULL,
            source_file text COLLATE "C",
            source_line bigint,
            paired_key text COLLATE "C",
            PRIMARY KEY (workspace_id, txn_key)
        );
        CREATE INDEX conversion_leg_open ON conversion_leg (workspace_id, institution) WHERE paired_key IS NULL;
        """),
        // SQLite's v3 rebuilt txn to turn the dedup key's UNIQUE into a named index; here the
        // index is simply created (v1 left it out).
        ("2026-12-05-v3-dedup-index", """
        CREATE UNIQUE INDEX txn_dedup_key ON txn(workspace_id, dedup_key);
        """),
        ("2026-12-06-v4-transaction-browsing", """
        CREATE INDEX txn_platform_day ON txn(workspace_id, platform, day);
        CREATE INDEX txn_client_day ON txn(workspace_id, client, day);
        CREATE INDEX txn_first_amount ON txn(workspace_id, (COALESCE(((postings::jsonb) -> 0 ->> 2)::bigint, 0)));
        """),
        // The imported files themselves, once per distinct file (SaldoStore's Originals.swift).
        ("2026-12-06-v5-statement-originals", """
        CREATE TABLE statement_original (
            workspace_id bigint NOT NULL REFERENCES workspace(id),
            sha256 text COLLATE "C" NOT NULL,
            byte_count bigint NOT NULL,
            content bytea NOT NULL,
            PRIMARY KEY (workspace_id, sha256)
        );
        """),
        // SQLite's v6: the browser's amount order reads a stored column with a plain index instead
        // of an index on a JSON expression that every imported row paid for (a jsonb parse per
        // row). Existing rows are backfilled by the owner, which forced row-level security would
        // otherwise limit to one workspace (and, without app.workspace_id set, refuse): it is
        // lifted for the update and forced again below (and by migrate's idempotent pass).
        // Also for the import's speed: a transaction's own `REFERENCES workspace` goes (a
        // foreign-key check, with a row lock, per imported row: 1.3 s of 8.2 s for 200,000 rows),
        // because every transaction belongs to an import batch (now NOT NULL), whose composite key
        // to `import_batch` is checked and which itself references its workspace.
        ("2026-12-06-v6-first-amount-column", """
        ALTER TABLE txn ADD COLUMN first_amount bigint NOT NULL DEFAULT 0;
        ALTER TABLE txn NO FORCE ROW LEVEL SECURITY;
        UPDATE txn SET first_amount = COALESCE(((postings::jsonb) -> 0 ->> 2)::bigint, 0);
        ALTER TABLE txn FORCE ROW LEVEL SECURITY;
        DROP INDEX txn_first_amount;
        CREATE INDEX txn_first_amount ON txn(workspace_id, first_amount);
        ALTER TABLE txn ALTER COLUMN batch_id SET NOT NULL;
        ALTER TABLE txn DROP CONSTRAINT txn_workspace_id_fkey;
        """),
        // Which invoices a transaction carries by number (`bookedReferences`, read by every tax
        // computation): without an index each call read every row of the workspace, 5.7 ms a client
        // and 11.4 s of the server's 2,000-client quarter-end (pg_stat_statements). Partial: rows
        // without an external id are not indexed. SQLite's migration of this name changes nothing
        // (one ledger per file, and its import floor has no room for a seventh index; see there).
        ("2026-12-06-v7-external-id-index", """
        CREATE INDEX txn_external_id ON txn(workspace_id, external_id) WHERE external_id IS NOT NULL;
        """),
        // SQLite's v8: each day total keeps the amounts it sums (SaldoBatch's DayTotalParts), so
        // that a report converts each posting alone, as the tax return does. Existing rows get
        // theirs from the transactions, filled by the owner with row-level security lifted as in v6.
        ("2026-12-07-v8-day-total-parts", """
        ALTER TABLE daily_total ADD COLUMN parts text COLLATE "C" NOT NULL DEFAULT '';
        ALTER TABLE daily_total NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE txn NO FORCE ROW LEVEL SECURITY;
        UPDATE daily_total d SET parts = s.parts FROM (
            SELECT t.workspace_id, t.day, (e ->> 0)::bigint AS account_id, e ->> 1 AS currency, t.kind,
                   COALESCE(t.platform, '') AS platform, COALESCE(t.client, '') AS client, string_agg(e ->> 2, ',') AS parts
            FROM txn t, jsonb_array_elements(t.postings::jsonb) e
            WHERE COALESCE(jsonb_typeof(e -> 3), 'null') = 'null'
            GROUP BY 1, 2, 3, 4, 5, 6, 7
        ) s
        WHERE d.workspace_id = s.workspace_id AND d.day = s.day AND d.account_id = s.account_id AND d.currency = s.currency
          AND d.kind = s.kind AND d.platform = s.platform AND d.client = s.client;
        ALTER TABLE txn FORCE ROW LEVEL SECURITY;
        ALTER TABLE daily_total FORCE ROW LEVEL SECURITY;
        """),
    ]

    /// The migrations' names, in order (the SQLite ledger's list).
    public static var migrationNames: [String] { migrations.map(\.name) }

    /// Tables with a `workspace_id`: each gets row-level security and the app role's grants.
    static let tenantTables = ["import_batch", "account", "txn", "daily_total", "balance_check", "invoice", "invoice_payment",
                               "rate", "setting", "conversion_leg", "statement_original"]

    /// The bulk loader: a role the database administrator may create (`NOLOGIN BYPASSRLS`, granted
    /// to the app role) so that imports COPY rows straight into `txn`, which row-level security
    /// otherwise forbids. The migrations grant it `INSERT` on `txn` and nothing else; the store's
    /// role enters it with `SET LOCAL ROLE` only while an import's COPY is open. What keeps it to
    /// the workspace in context is ``workspaceGuard`` (docs/postgres.md, "Bulk import").
    package static let loaderRole = "saldo_loader"

    /// The constraint on `txn` that holds every writer, the loader included (which row-level
    /// security does not), to the workspace of the transaction's context. `NOT VALID`: the rows
    /// already there were written under the policy, which checks the same; new and changed rows are
    /// checked. Lifted while migrations run (as the owner, without a workspace context).
    static let workspaceGuard = "txn_in_workspace_context"

    /// Whether the connecting role may load through ``loaderRole``: the role exists, the
    /// connecting role is a member (may `SET ROLE` to it), it may insert into `txn`, and the
    /// guard is in place.
    static func loaderUsable(_ tx: PGTx) throws -> Bool {
        try tx.query("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(loaderRole))
                        THEN pg_has_role(session_user, \(loaderRole), 'MEMBER') AND has_table_privilege(\(loaderRole), 'txn', 'INSERT')
                             AND EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'txn'::regclass AND conname = \(workspaceGuard))
                        ELSE false END
            """).first!.decode(Bool.self)
    }

    /// Whether the address's role owns the database schema (and so may apply the migrations).
    public static func connectingRoleOwnsSchema(url: String) throws(StoreError) -> Bool {
        let session = try PGSession(try PostgresLocation(url: url))
        return try session.transaction(workspace: nil, readOnly: true) { tx in
            try tx.query("SELECT pg_get_userbyid(nspowner) = current_user FROM pg_namespace WHERE nspname = current_schema()").first?.decode(Bool.self) ?? false
        }
    }

    /// Applies the migrations not yet applied, as the connecting role (which then owns the tables),
    /// and grants the store's role `appRole` what it needs. Safe to call concurrently: the first
    /// caller migrates under an advisory lock, the others then find nothing to do.
    public static func migrate(ownerURL: String, appRole: String = "saldo_app") throws(StoreError) {
        try migrate(ownerURL: ownerURL, appRole: appRole, upTo: nil, schema: nil)
    }

    /// `upTo`: stop after that migration; `schema`: migrate the tables in that schema (created if
    /// missing) instead of the connection's current one. Tests use both to build a database of an
    /// older version and carry it forward.
    /// Whether every migration of the directory is applied and every table already has its
    /// row-level security (enabled and forced, with a policy) and the app role's access: read from
    /// the catalog only, without taking any lock a reader would wait for.
    static func securityInPlace(_ tx: PGTx, appRole: String) throws -> Bool {
        guard try tx.query("SELECT to_regclass('saldo_directory_migration') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(appRole))").first!.decode(Bool.self) else { return false }
        let directoryDone = Set(try tx.query("SELECT name FROM saldo_directory_migration").map { try $0.decode(String.self) })
        guard DirectorySchema.migrationNames.allSatisfy(directoryDone.contains) else { return false }
        let tables = tenantTables + ["workspace", "organisation", "person", "session", "login_attempt", "audit_event"]
        let list = tables.map { "'\($0)'" }.joined(separator: ", ")   // constant names from this file, not input
        let ready = try tx.query(PostgresQuery(unsafeSQL: """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname IN (\(list))
              AND c.relrowsecurity AND c.relforcerowsecurity
              AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)
              AND has_table_privilege($1, c.oid, 'INSERT')
            """, binds: { var b = PostgresBindings(); b.append(appRole); return b }())).first!.decode(Int.self)
        guard ready == tables.count else { return false }
        // The workspace guard on txn, and the loader's one grant when the administrator made it.
        return try tx.query("""
            SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'txn'::regclass AND conname = \(workspaceGuard))
               AND (NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(loaderRole)) OR has_table_privilege(\(loaderRole), 'txn', 'INSERT'))
            """).first!.decode(Bool.self)
    }

    package static func migrate(ownerURL: String, appRole: String = "saldo_app", upTo last: String?, schema: String?) throws(StoreError) {
        guard appRole.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw .invalid("the database role \"\(appRole)\" is not a plain lower-case name")
        }
        if let schema, schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) == nil {
            throw .invalid("the database schema \"\(schema)\" is not a plain lower-case name")
        }
        let session = try PGSession(try PostgresLocation(url: ownerURL))
        try session.transaction(workspace: nil) { tx in
            if let schema {
                try tx.run("CREATE SCHEMA IF NOT EXISTS \(schema)")
                try tx.run("SET LOCAL search_path TO \(schema)")
            }
            // One migrator at a time (constant key: "saldo" in ASCII).
            try tx.run("SELECT pg_advisory_xact_lock(1935764580)")
            try tx.run("CREATE TABLE IF NOT EXISTS saldo_migration (name text COLLATE \"C\" PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            let done = Set(try tx.query("SELECT name FROM saldo_migration").map { try $0.decode(String.self) })
            let wanted = last.flatMap { l in migrations.firstIndex { $0.name == l } }.map { Array(migrations[...$0]) } ?? migrations
            // Migrations run as the owner without a workspace context: the guard is lifted while
            // they run, and put back below.
            if wanted.contains(where: { !done.contains($0.name) }) {
                try tx.run("ALTER TABLE IF EXISTS txn DROP CONSTRAINT IF EXISTS \(workspaceGuard)")
            }
            for m in wanted where !done.contains(m.name) {
                // One statement at a time (the extended protocol takes one per message).
                for statement in m.sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try tx.run(statement)
                }
                try tx.query("INSERT INTO saldo_migration (name) VALUES (\(m.name))")
            }
            // Nothing to do when every migration (ledger and directory) was already applied and the
            // security is in place: the idempotent block below takes an ACCESS EXCLUSIVE lock on every
            // table (ALTER TABLE, CREATE POLICY), which deadlocked with readers when an office was
            // created while ledgers were being read (seen on CI).
            let appliedNow = wanted.contains { !done.contains($0.name) }
            if !appliedNow, try securityInPlace(tx, appRole: appRole) { return }
            // Row-level security and grants, idempotent: every tenant table, whichever migration made it.
            let existing = Set(try tx.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").map { try $0.decode(String.self) })
            for t in tenantTables where existing.contains(t) {
                try tx.run("ALTER TABLE \(t) ENABLE ROW LEVEL SECURITY")
                try tx.run("ALTER TABLE \(t) FORCE ROW LEVEL SECURITY")
                try tx.run("DROP POLICY IF EXISTS workspace_isolation ON \(t)")
                try tx.run("""
                    CREATE POLICY workspace_isolation ON \(t)
                      USING (workspace_id = current_setting('app.workspace_id')::bigint)
                      WITH CHECK (workspace_id = current_setting('app.workspace_id')::bigint)
                    """)
                try tx.run("GRANT SELECT, INSERT, UPDATE, DELETE ON \(t) TO \(appRole)")
            }
            try tx.run("ALTER TABLE workspace ENABLE ROW LEVEL SECURITY")
            try tx.run("ALTER TABLE workspace FORCE ROW LEVEL SECURITY")
            try tx.run("DROP POLICY IF EXISTS workspace_isolation ON workspace")
            try tx.run("""
                CREATE POLICY workspace_isolation ON workspace
                  USING (id = current_setting('app.workspace_id')::bigint)
                  WITH CHECK (id = current_setting('app.workspace_id')::bigint)
                """)
            // Every writer of txn keeps to the workspace in context, the loader role included.
            if existing.contains("txn") {
                try tx.run("ALTER TABLE txn DROP CONSTRAINT IF EXISTS \(workspaceGuard)")
                try tx.run("ALTER TABLE txn ADD CONSTRAINT \(workspaceGuard) CHECK (workspace_id = current_setting('app.workspace_id')::bigint) NOT VALID")
                if try tx.query("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(loaderRole))").first!.decode(Bool.self) {
                    try tx.run("REVOKE ALL ON txn FROM \(loaderRole)")
                    try tx.run("GRANT INSERT ON txn TO \(loaderRole)")
                }
            }
            // The store creates its own workspace's row (under the policy) and moves its version.
            try tx.run("GRANT SELECT, INSERT, UPDATE ON workspace TO \(appRole)")
            try tx.run("GRANT SELECT ON saldo_migration TO \(appRole)")
            // The office directory (organisations, people, sessions, audit) on top, its own list.
            try DirectorySchema.migrate(tx, appRole: appRole)
        }
    }
}
