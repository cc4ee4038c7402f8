import Foundation
import PostgresNIO
import SaldoStore

/// The office directory (PostgreSQL only): organisations, the people who log in (staff, admins,
/// clients), their sessions, login attempts and the audit log. Its own append-only, named
/// migration list beside the ledger's (recorded in `saldo_directory_migration`, so the ledger's list
/// stays equal to SQLite's), applied by the owner right after the ledger migrations.
///
/// Isolation, as for ledgers but keyed on the organisation: every directory table has row-level
/// security enabled and forced, with a policy comparing `organisation_id` with the strict
/// `current_setting('app.organisation_id')`. The two lookups that must happen before the
/// organisation is known (a login by email, a session by its token's hash) go through narrow
/// `SECURITY DEFINER` functions owned by the owner, which return only what the caller needs;
/// the owner reaches those rows through policies written for it alone (docs/postgres.md,
/// "The office directory").
public enum DirectorySchema {
    /// The tables of the directory (the ledger's catalog checks leave them out).
    public static let tables = ["organisation", "person", "session", "login_attempt", "audit_event"]

    /// The migrations, in order. Append only.
    static let migrations: [(name: String, sql: String)] = [
        ("2026-12-06-d1-directory", """
        CREATE SEQUENCE organisation_id_seq;
        CREATE SEQUENCE person_id_seq;
        CREATE SEQUENCE office_workspace_id_seq;
        CREATE TABLE organisation (
            id bigint PRIMARY KEY CHECK (id > 0),
            name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            created_at timestamptz NOT NULL DEFAULT now()
        );
        ALTER TABLE workspace ADD COLUMN organisation_id bigint REFERENCES organisation(id);
        ALTER TABLE workspace ADD COLUMN display_name text;
        CREATE UNIQUE INDEX workspace_organisation ON workspace(organisation_id, id);
        CREATE TABLE person (
            organisation_id bigint NOT NULL REFERENCES organisation(id),
            id bigint NOT NULL CHECK (id > 0),
            email text COLLATE "C" NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
            display_name text NOT NULL,
            password_hash text COLLATE "C" NOT NULL,
            kind text COLLATE "C" NOT NULL CHECK (kind IN ('admin', 'staff', 'client')),
            client_workspace_id bigint,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (organisation_id, id),
            UNIQUE (id),
            UNIQUE (email),
            CHECK ((kind = 'client') = (client_workspace_id IS NOT NULL)),
            FOREIGN KEY (organisation_id, client_workspace_id) REFERENCES workspace(organisation_id, id)
        );
        CREATE TABLE session (
            organisation_id bigint NOT NULL,
            token_sha256 text COLLATE "C" NOT NULL CHECK (length(token_sha256) = 64),
            person_id bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz NOT NULL,
            last_seen timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (token_sha256),
            FOREIGN KEY (organisation_id, person_id) REFERENCES person(organisation_id, id) ON DELETE CASCADE
        );
        CREATE INDEX session_person ON session(organisation_id, person_id);
        CREATE TABLE login_attempt (
            email text COLLATE "C" NOT NULL,
            address text COLLATE "C" NOT NULL,
            at timestamptz NOT NULL DEFAULT now(),
            succeeded boolean NOT NULL
        );
        CREATE INDEX login_attempt_email ON login_attempt(email, at);
        CREATE INDEX login_attempt_address ON login_attempt(address, at);
        CREATE TABLE audit_event (
            organisation_id bigint NOT NULL REFERENCES organisation(id),
            id bigint GENERATED ALWAYS AS IDENTITY,
            at timestamptz NOT NULL DEFAULT clock_timestamp(),
            person_id bigint,
            actor text NOT NULL,
            workspace_id bigint,
            action text COLLATE "C" NOT NULL,
            object text NOT NULL DEFAULT '',
            client_address text,
            PRIMARY KEY (organisation_id, id)
        );
        CREATE FUNCTION saldo_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only: % refused on audit_event', TG_OP; END $$;
        CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
            FOR EACH ROW EXECUTE FUNCTION saldo_audit_append_only();
        CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
            FOR EACH STATEMENT EXECUTE FUNCTION saldo_audit_append_only()
        """),
        // The audit page filters by workspace, person and action, newest first, page by page.
        ("2026-12-06-d2-audit-filters", """
        CREATE INDEX audit_event_workspace ON audit_event(organisation_id, workspace_id, id);
        CREATE INDEX audit_event_person ON audit_event(organisation_id, person_id, id);
        CREATE INDEX audit_event_at ON audit_event(organisation_id, at)
        """),
    ]

    /// The migrations' names, in order.
    public static var migrationNames: [String] { migrations.map(\.name) }

    /// Applies the directory's migrations not yet applied, then (idempotently) its row-level
    /// security, the owner-only lookup functions and the app role's grants. Runs inside the
    /// ledger migration's transaction and advisory lock (``PostgresSchema/migrate(ownerURL:appRole:)``).
    static func migrate(_ tx: PGTx, appRole: String) throws {
        try tx.run("CREATE TABLE IF NOT EXISTS saldo_directory_migration (name text COLLATE \"C\" PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        let done = Set(try tx.query("SELECT name FROM saldo_directory_migration").map { try $0.decode(String.self) })
        for m in migrations where !done.contains(m.name) {
            for statement in m.sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                try tx.run(statement)
            }
            try tx.query("INSERT INTO saldo_directory_migration (name) VALUES (\(m.name))")
        }
        // The schema's name, for the functions' fixed search_path (never pg_temp first: a role
        // with TEMPORARY could otherwise shadow `person` with a temporary table of its own).
        let schema = try tx.query("SELECT current_schema()").first!.decode(String.self)
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw StoreError.invalid("the database schema \"\(schema)\" is not a plain lower-case name")
        }
        let strictOrg = "current_setting('app.organisation_id')::bigint"
        for t in ["organisation", "person", "session", "login_attempt", "audit_event"] {
            try tx.run("ALTER TABLE \(t) ENABLE ROW LEVEL SECURITY")
            try tx.run("ALTER TABLE \(t) FORCE ROW LEVEL SECURITY")
            for p in try tx.query("SELECT polname FROM pg_policy WHERE polrelid = \(t)::regclass").map({ try $0.decode(String.self) }) {
                try tx.run("DROP POLICY \(p) ON \(t)")
            }
        }
        try tx.run("CREATE POLICY organisation_isolation ON organisation USING (id = \(strictOrg)) WITH CHECK (id = \(strictOrg))")
        for t in ["person", "session"] {
            try tx.run("CREATE POLICY organisation_isolation ON \(t) USING (organisation_id = \(strictOrg)) WITH CHECK (organisation_id = \(strictOrg))")
            // The lookups before the organisation is known run as the owner (SECURITY DEFINER).
            try tx.run("CREATE POLICY owner_lookup ON \(t) FOR SELECT TO CURRENT_USER USING (true)")
        }
        try tx.run("CREATE POLICY owner_touch ON session FOR UPDATE TO CURRENT_USER USING (true) WITH CHECK (true)")
        // Audit: read and append within the organisation; the trigger refuses UPDATE, DELETE and
        // TRUNCATE to everyone, the owner included.
        try tx.run("CREATE POLICY organisation_read ON audit_event FOR SELECT USING (organisation_id = \(strictOrg))")
        try tx.run("CREATE POLICY organisation_append ON audit_event FOR INSERT WITH CHECK (organisation_id = \(strictOrg))")
        // Login attempts: anyone may record one; only the owner's counting function reads them.
        try tx.run("CREATE POLICY record_attempt ON login_attempt FOR INSERT WITH CHECK (true)")
        try tx.run("CREATE POLICY owner_count ON login_attempt FOR SELECT TO CURRENT_USER USING (true)")
        // Workspaces: besides the ledger's own policy (its own id), an organisation's directory
        // transactions read its workspaces' rows (never write: no policy for that). The text
        // comparison with missing_ok makes this branch false, not an error, in a ledger
        // transaction that sets only app.workspace_id.
        try tx.run("DROP POLICY IF EXISTS organisation_read ON workspace")
        try tx.run("CREATE POLICY organisation_read ON workspace FOR SELECT USING (organisation_id::text = current_setting('app.organisation_id', true))")

        try tx.run("""
            CREATE OR REPLACE FUNCTION saldo_login_lookup(p_email text)
            RETURNS TABLE (person_id bigint, organisation_id bigint, password_hash text, kind text, client_workspace_id bigint)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = \(schema), pg_temp AS $$
                SELECT id, organisation_id, password_hash, kind, client_workspace_id FROM person WHERE email = lower(p_email)
            $$
            """)
        try tx.run("""
            CREATE OR REPLACE FUNCTION saldo_login_failures(p_email text, p_address text, p_since timestamptz)
            RETURNS TABLE (by_email bigint, by_address bigint)
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = \(schema), pg_temp AS $$
                SELECT (SELECT count(*) FROM login_attempt WHERE email = lower(p_email) AND at >= p_since AND NOT succeeded),
                       (SELECT count(*) FROM login_attempt WHERE address = p_address AND at >= p_since AND NOT succeeded)
            $$
            """)
        try tx.run("""
            CREATE OR REPLACE FUNCTION saldo_session_lookup(p_token_sha256 text, p_idle interval)
            RETURNS TABLE (person_id bigint, organisation_id bigint, kind text, client_workspace_id bigint, email text, display_name text)
            LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = \(schema), pg_temp AS $$
                -- A live session is marked seen only when its mark is older than a tenth of the
                -- idle limit (at most a minute): one write per session and minute, not one per
                -- request (200 sessions under load wrote a row on every page). The idle limit
                -- thus counts from a mark up to that much earlier than the last request.
                WITH live AS (
                    SELECT s.token_sha256, s.last_seen, p.id, p.organisation_id, p.kind, p.client_workspace_id, p.email, p.display_name
                    FROM session s JOIN person p ON p.organisation_id = s.organisation_id AND p.id = s.person_id
                    WHERE s.token_sha256 = p_token_sha256 AND s.expires_at > now() AND s.last_seen > now() - p_idle
                ), seen AS (
                    UPDATE session s SET last_seen = now() FROM live
                    WHERE s.token_sha256 = live.token_sha256 AND live.last_seen < now() - least(p_idle / 10, interval '60 seconds')
                )
                SELECT id, organisation_id, kind, client_workspace_id, email, display_name FROM live
            $$
            """)
        // Whether a workspace id is taken (by any organisation, or by a ledger made outside the
        // office): a new client workspace takes the next free one. Answers only yes or no.
        try tx.run("DROP POLICY IF EXISTS owner_lookup ON workspace")
        try tx.run("CREATE POLICY owner_lookup ON workspace FOR SELECT TO CURRENT_USER USING (true)")
        try tx.run("""
            CREATE OR REPLACE FUNCTION saldo_workspace_taken(p_id bigint) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = \(schema), pg_temp AS $$
                SELECT EXISTS (SELECT 1 FROM workspace WHERE id = p_id)
            $$
            """)
        for f in ["saldo_workspace_taken(bigint)", "saldo_login_lookup(text)", "saldo_login_failures(text, text, timestamptz)", "saldo_session_lookup(text, interval)"] {
            try tx.run("REVOKE ALL ON FUNCTION \(f) FROM PUBLIC")
            try tx.run("GRANT EXECUTE ON FUNCTION \(f) TO \(appRole)")
        }
        try tx.run("GRANT SELECT, INSERT, UPDATE ON organisation TO \(appRole)")
        try tx.run("GRANT SELECT, INSERT, UPDATE, DELETE ON person, session TO \(appRole)")
        try tx.run("GRANT INSERT ON login_attempt TO \(appRole)")
        try tx.run("GRANT SELECT, INSERT ON audit_event TO \(appRole)")
        try tx.run("GRANT USAGE ON SEQUENCE organisation_id_seq, person_id_seq, office_workspace_id_seq TO \(appRole)")
        try tx.run("GRANT SELECT ON saldo_directory_migration TO \(appRole)")
    }
}
