import Foundation
import SaldoCore
import SaldoImport
import SaldoReports
import SaldoStore
import Synchronization

/// Imports in several steps, for front ends where the file arrives first and the user decides
/// later (the web app): each uploaded file is a session with an id; it is previewed (the same
/// import as a dry run), the user settles what is ambiguous (date order, decimal mark, profile)
/// and the preview is run again, then commits it (the real import) or cancels it.
///
/// Uploads live in a private folder (0700) under generated names; the name the user's file had
/// is kept only as a display name, sanitized. A file is deleted once committed or cancelled, and
/// every upload left in the folder when the sessions are created or released.
public final class ImportSessions: Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// Being received or previewed.
        case reading
        /// Previewed: waiting for the user to commit or cancel.
        case previewed
        case committing
        case committed
        /// The preview or the import found errors: nothing can be written as it is (another
        /// decision may help).
        case failed
        case cancelled
    }

    /// What the user settled for an ambiguous file.
    public struct Decisions: Sendable, Equatable {
        public var dateFormat: String?
        public var decimalMark: String?
        public var profile: String?
        public init(dateFormat: String? = nil, decimalMark: String? = nil, profile: String? = nil) {
            self.dateFormat = dateFormat; self.decimalMark = decimalMark; self.profile = profile
        }
    }

    public struct Session: Sendable {
        public var id: String
        /// The user's name for the file, sanitized (never a path).
        public var displayName: String
        /// Where the upload is stored (a generated name in the upload folder).
        public var storedAt: URL
        public var bytes: Int = 0
        public var state: State = .reading
        public var decisions = Decisions()
        /// The last dry run.
        public var preview: FileImportSummary?
        /// Which profile claims the file, and why.
        public var profileCheck: ProfileCheckReport?
        /// What the import wrote, once committed.
        public var committed: FileImportSummary?
        public var matchedPayments = 0
        /// How a long preview or import is getting on.
        public var progress: String?
        /// Why the session failed when it has no summary to say it (the ledger could not be opened).
        public var failure: String?
        /// Order of arrival.
        public var sequence: Int
        /// The book (ledger) the upload was made for: a session is found only through its own
        /// book, so that one workspace's uploads never show in, or commit into, another's.
        public var book: String = ""
    }

    /// The folder uploads are stored in.
    public let folder: URL
    private let ownsFolder: Bool
    private let sessions = Mutex<(list: [String: Session], next: Int)>(([:], 0))

    /// Prefix of every stored upload: only such files are removed from a folder the user gave.
    static let storedPrefix = "saldo-upload-"

    /// `folder`: where uploads go (created private when missing; earlier uploads left in it are
    /// removed); nil: a fresh private folder under the temporary folder, removed on release.
    public init(folder: String?) throws {
        if let folder {
            self.folder = URL(fileURLWithPath: folder)
            ownsFolder = false
        } else {
            self.folder = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-uploads-\(UUID().uuidString.prefix(12))")
            ownsFolder = true
        }
        do { try PrivateFiles.createFolder(self.folder.path) } catch {
            throw UserError("cannot create the folder for uploads \(self.folder.path): \(error.reason)", hint: "choose a folder you may write to")
        }
        _ = chmod(self.folder.path, PrivateFiles.folderMode)
        removeLeftovers()
    }

    deinit { close() }

    /// Deletes every upload (and the folder, when these sessions made it): the server is stopping.
    public func close() {
        removeLeftovers()
        if ownsFolder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Deletes every stored upload in the folder.
    public func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(Self.storedPrefix) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    // MARK: Display names

    /// The name to show for a file the user named `clientName`: its last path part (a browser
    /// may send `C:\Users\me\x.csv` or `../../x.csv`), without control or invisible direction
    /// characters, at most 120 characters; `upload` when nothing is left.
    public static func displayName(_ clientName: String) -> String {
        let last = clientName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let bidi: Set<UInt32> = [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF]
        var cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { s in
            !(s.properties.generalCategory == .control || bidi.contains(s.value))
        })).trimmingCharacters(in: .whitespaces)
        // A drive letter left alone (`C:`) or dots only are no name.
        if cleaned.allSatisfy({ $0 == "." }) || (cleaned.count == 2 && cleaned.hasSuffix(":")) { cleaned = "" }
        if cleaned.count > 120 { cleaned = String(cleaned.prefix(80)) + "…" + String(cleaned.suffix(39)) }
        return cleaned.isEmpty ? "upload" : cleaned
    }

    // MARK: Steps

    /// A new session for a file the user named `clientName`: where to store its bytes.
    public func start(clientName: String, book: String = "") -> Session {
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let url = folder.appendingPathComponent(Self.storedPrefix + id)
        return sessions.withLock { s in
            s.next += 1
            let session = Session(id: String(id), displayName: Self.displayName(clientName), storedAt: url, sequence: s.next, book: book)
            s.list[session.id] = session
            return session
        }
    }

    /// The upload was received whole. Answers the session the front end should show: this one,
    /// or, when the same book already has an upload of exactly the same bytes that is still open
    /// (being read, previewed or failed: neither imported nor cancelled), that one, and this
    /// upload is dropped. So a file chosen twice before it is imported is one upload, with the
    /// decisions already made for it; once imported or cancelled, the same file is a new upload
    /// (its preview then says that every row is already in the ledger).
    @discardableResult
    public func received(_ id: String, bytes: Int) -> Session? {
        update(id) { $0.bytes = bytes }
        guard let mine = try? session(id) else { return nil }
        let open: Set<State> = [.reading, .previewed, .failed]
        // Only an earlier upload answers: two copies received at the same moment cannot each
        // give way to the other.
        let candidates = list(book: mine.book).filter {
            $0.sequence < mine.sequence && $0.bytes == bytes && open.contains($0.state)
        }
        for other in candidates where Self.sameBytes(other.storedAt, mine.storedAt) {
            discard(id)
            return other
        }
        return mine
    }

    /// Whether two stored uploads hold the same bytes (compared in 1 MiB pieces; the caller has
    /// checked that their sizes agree). An unreadable file is never the same as another.
    static func sameBytes(_ a: URL, _ b: URL) -> Bool {
        guard let fa = try? FileHandle(forReadingFrom: a), let fb = try? FileHandle(forReadingFrom: b) else { return false }
        defer { try? fa.close(); try? fb.close() }
        while true {
            // `read(upToCount:)` answers nil (or empty data) at the end of the file.
            guard let da = try? fa.read(upToCount: 1 << 20) ?? Data(), let db = try? fb.read(upToCount: 1 << 20) ?? Data() else { return false }
            if da != db { return false }
            if da.isEmpty { return true }
        }
    }

    /// The upload is to be committed without a preview (a script that trusts the file): it is
    /// ready at once.
    public func skipPreview(_ id: String) {
        update(id) { if $0.state == .reading { $0.state = .previewed } }
    }

    /// The upload failed (too large, connection lost): its file and session are gone.
    public func discard(_ id: String) {
        let s = sessions.withLock { $0.list.removeValue(forKey: id) }
        if let s { try? FileManager.default.removeItem(at: s.storedAt) }
    }

    public func session(_ id: String) throws -> Session {
        guard let s = sessions.withLock({ $0.list[id] }) else { throw ImportSessionError.unknown(id) }
        return s
    }

    /// The session when it belongs to `book`; another book's is unknown, exactly as a missing one.
    public func session(_ id: String, book: String) throws -> Session {
        guard let s = sessions.withLock({ $0.list[id] }), s.book == book else { throw ImportSessionError.unknown(id) }
        return s
    }

    /// Every session, oldest first.
    public func list() -> [Session] {
        sessions.withLock { $0.list.values.sorted { $0.sequence < $1.sequence } }
    }

    /// The sessions of one book, oldest first.
    public func list(book: String) -> [Session] { list().filter { $0.book == book } }

    /// Checks and records the user's decisions; the caller previews again.
    public func decide(_ id: String, _ decisions: Decisions, environment: [String: String]) throws {
        let s = try session(id)
        guard s.state == .previewed || s.state == .failed else { throw ImportSessionError.wrongState(id, s.state, "change how it is read") }
        if let f = decisions.dateFormat, !Self.dateFormats.contains(f) {
            throw ImportSessionError.badDecision(field: "dateFormat", expected: "one of " + Self.dateFormats.joined(separator: ", "), found: f)
        }
        if let m = decisions.decimalMark, ![".", ","].contains(m) {
            throw ImportSessionError.badDecision(field: "decimalMark", expected: "\".\" or \",\"", found: m)
        }
        if let p = decisions.profile {
            let names = try Profiles.list(profilesPath: nil, environment: environment).map(\.name)
            guard names.contains(p) else {
                throw ImportSessionError.badDecision(field: "profile", expected: "one of the statement profiles (" + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "") + ")", found: p)
            }
        }
        update(id) { $0.decisions = decisions; $0.state = .reading }
    }

    public static let dateFormats = ["dd/mm/yyyy", "mm/dd/yyyy", "yyyy-mm-dd", "dd.mm.yyyy", "dd-mm-yyyy", "mm-dd-yyyy"]

    /// Runs the preview: the import as a dry run, with the session's decisions. Blocking: run it
    /// off any thread that must stay responsive.
    public func preview(_ id: String, ledger: LedgerLocation, environment: [String: String]) {
        guard let s = try? session(id), s.state == .reading else { return }
        let reporter = SessionProgress(sessions: self, id: id)
        do {
            let outcome = try ImportFiles.one(s.storedAt, displayName: s.displayName, request: request(s, dryRun: true),
                                              ledger: ledger, environment: environment, progress: reporter)
            var check: ProfileCheckReport?
            if let data = try? Data(contentsOf: s.storedAt, options: .alwaysMapped), !FileImporter.looksLikeXML(data) {
                check = ProfileRegistry.check(data: data, fileName: s.displayName,
                                              userProfiles: (try? InputFiles.userProfiles(nil, environment: environment)) ?? [])
            }
            let summary = outcome.files.first
            update(id) {
                guard $0.state == .reading else { return }
                $0.preview = summary; $0.profileCheck = check; $0.progress = nil; $0.failure = nil
                $0.state = summary?.failed == true ? .failed : .previewed
            }
        } catch {
            update(id) { if $0.state == .reading { $0.failure = Self.describe(error); $0.progress = nil; $0.state = .failed } }
        }
    }

    /// Commits the session: the real import, in one database transaction. Committing a committed
    /// session again answers what it wrote the first time and writes nothing. Blocking.
    public func commit(_ id: String, ledger: LedgerLocation, environment: [String: String]) throws -> ImportOutcome {
        switch try claim(id) {
        case .committed(let outcome): return outcome
        case .claimed: return try commitClaimed(id, ledger: ledger, environment: environment)
        case .committing: throw ImportSessionError.wrongState(id, .committing, "import it")
        }
    }

    /// What ``claim(_:)`` found.
    public enum Claim: Sendable {
        /// This call claimed the session (previewed → committing): write it with ``commitClaimed(_:ledger:environment:)``.
        case claimed
        /// Another call claimed it and is writing it (or waiting to).
        case committing
        /// Written before: what it wrote.
        case committed(ImportOutcome)
    }

    /// Claims a previewed session for committing, atomically: of two commits of the same session one
    /// imports. Done before the commit waits for the book's writer, so that the session says
    /// "committing" from the click on (a commit queued behind others showed "ready to import" again).
    public func claim(_ id: String) throws -> Claim {
        let (found, claimedNow): (Session, Bool) = try sessions.withLock { all in
            guard var s = all.list[id] else { throw ImportSessionError.unknown(id) }
            switch s.state {
            case .committed, .committing: return (s, false)
            case .previewed: s.state = .committing; all.list[id] = s; return (s, true)
            default: throw ImportSessionError.wrongState(id, s.state, "import it")
            }
        }
        if claimedNow { return .claimed }
        guard found.state == .committed else { return .committing }
        guard let summary = found.committed else { throw ImportSessionError.wrongState(id, .committed, "import it") }
        var outcome = ImportOutcome(); outcome.files = [summary]; outcome.matchedPayments = found.matchedPayments
        return .committed(outcome)
    }

    /// A claimed session whose write never started (its book could not be opened, the wait for its
    /// writer was cancelled) is previewed again; one that was written or failed stays as it is.
    public func releaseClaim(_ id: String) {
        update(id) { if $0.state == .committing { $0.state = .previewed; $0.progress = nil } }
    }

    /// Writes a session this caller claimed (``claim(_:)``): the real import, in one database
    /// transaction. Blocking.
    public func commitClaimed(_ id: String, ledger: LedgerLocation, environment: [String: String]) throws -> ImportOutcome {
        let claimed = try session(id)
        guard claimed.state == .committing else { throw ImportSessionError.wrongState(id, claimed.state, "import it") }
        let reporter = SessionProgress(sessions: self, id: id)
        do {
            let outcome = try ImportFiles.one(claimed.storedAt, displayName: claimed.displayName, request: request(claimed, dryRun: false),
                                              ledger: ledger, environment: environment, progress: reporter)
            let summary = outcome.files.first
            let failed = summary?.failed ?? true
            update(id) {
                $0.progress = nil
                if failed { $0.preview = summary; $0.state = .failed } else { $0.committed = summary; $0.matchedPayments = outcome.matchedPayments; $0.state = .committed }
            }
            if !failed { try? FileManager.default.removeItem(at: claimed.storedAt) }
            return outcome
        } catch {
            update(id) { $0.failure = Self.describe(error); $0.progress = nil; $0.state = .failed }
            throw error
        }
    }

    /// Cancels the session and deletes its upload; nothing is written.
    public func cancel(_ id: String) throws {
        let s = try session(id)
        guard s.state != .committing && s.state != .committed else { throw ImportSessionError.wrongState(id, s.state, "cancel it") }
        update(id) { $0.state = .cancelled; $0.progress = nil }
        try? FileManager.default.removeItem(at: s.storedAt)
    }

    func update(_ id: String, _ change: (inout Session) -> Void) {
        sessions.withLock { all in
            if var s = all.list[id] { change(&s); all.list[id] = s }
        }
    }

    /// How many of a file's first rows its preview (and, once imported, its summary) lists.
    public static let firstRows = 10

    func request(_ s: Session, dryRun: Bool) -> ImportRequest {
        ImportRequest(paths: [], dryRun: dryRun, dateFormat: s.decisions.dateFormat, decimalMark: s.decisions.decimalMark, profile: s.decisions.profile,
                      firstRows: Self.firstRows)
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? UserError { return e.description }
        return "\(error)"
    }
}

/// Problems with an import session itself.
public enum ImportSessionError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknown(String)
    case wrongState(String, ImportSessions.State, String)
    case badDecision(field: String, expected: String, found: String)

    public var description: String {
        switch self {
        case .unknown(let id): return "there is no upload with the id \(id) (it may belong to an earlier run of the server)"
        case .wrongState(let id, let state, let what): return "the upload \(id) is \(state.rawValue): too late or too early to \(what)"
        case .badDecision(let field, let expected, let found): return "\(field): expected \(expected), found \"\(found)\""
        }
    }
}

/// Keeps a session's progress text up to date.
struct SessionProgress: ProgressReporter {
    let sessions: ImportSessions
    let id: String
    func progress(_ text: String) { sessions.update(id) { $0.progress = text } }
    func endProgress() {}
}

extension ImportSessions.Session {
    /// The session as the API shows it: state, decisions, the preview (the dry run's summary as
    /// `saldo import --dry-run --format json` prints it) and, once committed, what was written.
    /// `language`: the language of the texts added for people (`explanation_text`); the other
    /// fields are the same in every language.
    public func json(language: Language = .en) -> JSONValue {
        func text(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        let L = Catalog.shipped(language)
        func summary(_ s: FileImportSummary?) -> JSONValue {
            guard let s, let parsed = try? JSONParser.parse(Array(s.json().utf8)).value else { return .null }
            guard case .object(var members) = parsed else { return parsed }
            // What a person reads, in the page's language, beside the neutral fields (same order as
            // `problems` and `filtered`).
            members.append(JSONMember("problems_text", .array(s.problems.map { d in
                .obj([("location", text(d.localizedLocation(in: L)?.description)),
                      ("message", .string(language == .en ? d.message : d.localizedMessage(in: L) + " [\(d.code)]")),
                      ("hint", text(d.localizedHint(in: L)))])
            })))
            members.append(JSONMember("filtered_text", .array(s.filtered.map { .string(L.translating($0.reason, keyPrefix: "filter.")) })))
            // The filtered rows themselves with their day and amount as the page's language writes
            // them ("19 dic 2019 44,12 €"), in the order of `filtered` (whose `row` stays machine text).
            members.append(JSONMember("filtered_rows_text", .array(s.filtered.map { .string($0.summary(in: HumanFormat(language))) })))
            // The balance check's amounts written as the page's language writes them ("450,67" in
            // Spanish), in the order of `balance_checks.currencies`.
            let f = HumanFormat(language)
            members.append(JSONMember("balances_text", .array(s.balances.currencies.map { c in
                .obj([("opening", .string(f.amount(c.opening))), ("closing", .string(f.amount(c.closing))),
                      ("ledger_change", .string(f.amount(c.ledgerChange)))])
            })))
            // The first rows the import writes (in a preview: would write), as the Transactions page
            // shows a transaction: the day and the amount as the page's language writes them, an
            // invoice's description in that language; each new or already in the ledger, as the
            // ledger's writer took it (null when it did not say). Then how many more there are.
            members.append(JSONMember("first_rows", .array(s.firstRows.map { row in
                .obj([("date", .string(row.date.description)), ("date_text", .string(f.date(row.date))),
                      ("description", .string(row.description)),
                      ("description_text", .string(row.kind == .invoice ? L.translating(row.description, keyPrefix: "txn.invoice.") : row.description)),
                      ("counterparty", text(row.counterparty)),
                      ("amount", row.amount.map(JSONValue.money) ?? .null), ("currency", text(row.amount?.currency.code)),
                      ("amount_text", text(row.amount.map(f.money))),
                      ("account", text(row.account?.path)), ("platform", text(row.platform)), ("client", text(row.client)),
                      ("line", row.source?.line.map { .int($0) } ?? .null),
                      ("status", row.isNew.map { .string($0 ? "new" : "duplicate") } ?? .null)])
            })))
            members.append(JSONMember("more_rows", .int(s.moreRows)))
            members.append(JSONMember("more_rows_text", s.moreRows == 0 ? .null : .string(L.plural("web.import.first_rows.more", count: s.moreRows, [
                "count": f.integer(s.moreRows), "total": f.integer(s.moreRows + s.firstRows.count)]))))
            // Why the dates and the decimal mark were read as they were.
            members.append(JSONMember("evidence_text", .obj([
                ("date_order", s.dateOrder.map { .string(L.translating($0.evidence, keyPrefix: "evidence.")) } ?? .null),
                ("decimal_mark", s.decimalMark.map { .string(L.translating($0.evidence, keyPrefix: "evidence.")) } ?? .null)])))
            return .object(members)
        }
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("name", .string(displayName)), ("bytes", .int(bytes)), ("state", .string(state.rawValue)),
            ("progress", text(progress)),
            ("decisions", .obj([("dateFormat", text(decisions.dateFormat)), ("decimalMark", text(decisions.decimalMark)), ("profile", text(decisions.profile))])),
            ("profile_check", profileCheck.map { c -> JSONValue in
                .obj([("matched", text(c.matched)), ("claimants", .array(c.claimants.map(JSONValue.string))),
                      ("explanation", .array(c.explanation.map(JSONValue.string))),
                      ("explanation_text", .array(c.localizedExplanation(in: .shipped(language)).map(JSONValue.string)))])
            } ?? .null),
            ("preview", summary(preview)),
            ("committed", summary(committed)),
        ]
        if committed != nil { members.append(("matched_payments", .int(matchedPayments))) }
        members.append(("failure", text(failure)))
        if let failure { members.append(("failure_text", .string(L.translating(failure, keyPrefix: "error.")))) }
        return .obj(members)
    }
}
