import Dispatch
import Foundation
import SaldoApp
import SaldoStore
import Synchronization

/// The ledgers a server serves, by book id (`main` for the one SQLite ledger; the id is in every
/// path so that a server with many ledgers needs no new routes).
///
/// Work on a ledger runs off the server's threads: reads on a concurrent queue (one cached
/// connection per book), writes one at a time per book on that book's serial queue with their own
/// connection, so an import in progress never blocks reading the other pages, nor (office mode)
/// another workspace's import.
public final class Books: Sendable {
    public let ledgers: [String: LedgerLocation]
    /// Office mode: books are workspace ids of this database (the office middleware has already
    /// checked that the person may see the one asked for).
    let office: OfficeSessions?
    private let readers = Mutex<[String: any LedgerStore]>([:])
    private let readQueue = DispatchQueue(label: "saldo.web.read", attributes: .concurrent)
    /// One serial queue per book, made at its first write: one write at a time per ledger, books
    /// independent of each other. (An idle queue costs no thread; the map holds only labels' worth.)
    private let writeQueues = Mutex<[String: DispatchQueue]>([:])
    /// Writes queued or running, and when the last one ended (work done ahead waits for a quiet ledger).
    private let writes = Mutex<(pending: Int, lastEnded: ContinuousClock.Instant?)>((0, nil))

    public init(_ ledgers: [String: LedgerLocation]) { self.ledgers = ledgers; office = nil }

    init(office: OfficeSessions) { ledgers = [:]; self.office = office }

    public var ids: [String] { ledgers.keys.sorted() }

    public func location(_ book: String) throws -> LedgerLocation {
        if let office {
            guard let id = Int64(book), id > 0 else { throw OfficeMiddleware.noSuchBook(book) }
            return office.ledger(id)
        }
        guard let l = ledgers[book] else { throw Problem.notFound("there is no book named \"\(book)\"; this server has \(ids.joined(separator: ", "))") }
        return l
    }

    /// Whether the book's ledger file exists yet (a new ledger is created by the first import).
    func ledgerExists(_ book: String) -> Bool {
        if office != nil { return (try? location(book)) != nil }
        guard let l = ledgers[book] else { return false }
        return readers.withLock({ $0[book] }) != nil || FileManager.default.fileExists(atPath: l.path)
    }

    /// The book's reading connection, opened on first use (the ledger must exist). In office mode
    /// every workspace reads through the office's shared reading connections.
    func reader(_ book: String) throws -> any LedgerStore {
        if let office {
            guard let id = Int64(book), id > 0 else { throw OfficeMiddleware.noSuchBook(book) }
            return office.readingLedger(id)
        }
        let location = try location(book)
        if let s = readers.withLock({ $0[book] }) { return s }
        let store = try location.open(.existing)
        readers.withLock { $0[book] = store }
        return store
    }

    /// Runs `body` with the book's ledger for reading, off the server's threads.
    public func read<T: Sendable>(_ book: String, _ body: @escaping @Sendable (any LedgerStore) throws -> T) async throws -> T {
        try await run(on: readQueue) { try body(try self.reader(book)) }
    }

    /// Like ``read(_:_:)``, but a book whose ledger does not exist yet reads as an empty ledger in
    /// memory (`LedgerLocation.openForDryRun`), and nothing is created: the Settings page of a new
    /// ledger shows every setting unset, and saving one creates the ledger (as `saldo config set` does).
    func readOrEmpty<T: Sendable>(_ book: String, _ body: @escaping @Sendable (any LedgerStore) throws -> T) async throws -> T {
        guard office == nil, !ledgerExists(book) else { return try await read(book, body) }
        let location = try location(book)
        return try await run(on: readQueue) { try body(try location.openForDryRun()) }
    }

    /// Runs `body` with the ledger's location for writing: one write at a time per book, writes to
    /// different books at the same time.
    public func write<T: Sendable>(_ book: String, _ body: @escaping @Sendable (LedgerLocation) throws -> T) async throws -> T {
        let location = try location(book)
        writes.withLock { $0.pending += 1 }
        defer { writes.withLock { $0 = ($0.pending - 1, ContinuousClock.now) } }
        return try await run(on: writeQueue(book)) { try body(location) }
    }

    /// The book's write queue (the same one for every spelling of the same book id).
    func writeQueue(_ book: String) -> DispatchQueue {
        let key = office != nil ? Int64(book).map(String.init) ?? book : book
        return writeQueues.withLock { q in
            if let queue = q[key] { return queue }
            let queue = DispatchQueue(label: "saldo.web.write.\(key.prefix(40))")
            q[key] = queue
            return queue
        }
    }

    /// No write queued or running, and none ended within `quiet`: a good moment for work done ahead.
    func isQuiet(for quiet: Duration) -> Bool {
        writes.withLock { w in w.pending == 0 && (w.lastEnded.map { ContinuousClock.now - $0 >= quiet } ?? true) }
    }

    private func run<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
