import Foundation
import SaldoCore
import SaldoBatch

/// What the application layer needs from a ledger, whatever holds it: one SQLite file
/// (``SQLiteLedgerStore``, the default) or one workspace of a PostgreSQL database (SaldoPostgres).
/// Every method is one database transaction (a write is all of it or nothing) and returns the
/// same values on every engine; the store test matrix runs the same tests against each.
///
/// The interface is synchronous, like the use cases above it. Requirements carry no default
/// arguments (protocols cannot); the extension below gives the short forms callers use.
public protocol LedgerStore: AnyObject, Sendable {
    /// Where the ledger is, for messages and exports: a file path, or the database and workspace.
    var path: String { get }

    // MARK: imports
    /// Records a batch in one database transaction: all of it or nothing. Transactions whose
    /// `dedupKey` is already in the ledger are skipped and counted as duplicates; transactions
    /// without a key are always added. With `dryRun`, the same work is done and rolled back.
    func record(_ r: ImportRecord, dryRun: Bool, now: Date) throws(StoreError) -> ImportOutcome
    /// Records a file whose transactions arrive a batch at a time, still as one database
    /// transaction (see ``SQLiteLedgerStore/recordStream(fileName:sha256:format:dryRun:now:keysAreUnique:body:)``).
    /// `original`: the file's bytes, kept with the batch (once per distinct file) when the file is kept.
    func recordStream(fileName: String, sha256: String, format: String, dryRun: Bool, now: Date, keysAreUnique: Bool, original: Data?,
                      body: (_ sink: StreamSink) throws -> ImportStreamEnd) throws(StoreError) -> ImportOutcome?

    // MARK: reading
    func transactions(in period: Period?) throws(StoreError) -> [StoredTransaction]
    func facts(in period: Period?, roots: [Account.Root]?, aggregateByDay: Bool) throws(StoreError) -> [PostingFact]
    func balances(in period: Period?) throws(StoreError) -> [AccountBalance]
    /// Postings summed in the database by day, account, currency and the transaction's payee,
    /// platform and client (``PostingSumQuery``): what a tax computation reads instead of every
    /// transaction. Both engines return the same sums.
    func postingSums(_ query: PostingSumQuery) throws(StoreError) -> PostingSums
    func transactionPage(_ query: TransactionQuery) throws(StoreError) -> TransactionPage
    func transactionCount() throws(StoreError) -> Int
    func transactionExists(_ id: Int64) throws(StoreError) -> Bool
    func batches() throws(StoreError) -> [BatchRow]
    func balanceChecks() throws(StoreError) -> [BalanceCheck]
    func conversionLegs() throws(StoreError) -> [ConversionLeg]
    /// Which of these invoice dedup keys and numbers some transaction carries (as its dedup key or
    /// external id): what tax facts need of the whole ledger when they read only some years.
    func bookedReferences(dedupKeys: Set<String>, numbers: Set<String>) throws(StoreError) -> (dedupKeys: Set<String>, numbers: Set<String>)
    /// Where transaction `id` came from; nil when the ledger has no such transaction.
    func origin(ofTransaction id: Int64) throws(StoreError) -> TransactionOrigin?
    /// Reads the kept copy of the file with this SHA-256 in order, `chunkSize` bytes at a time;
    /// `body` returns false to stop. Returns false when no copy is kept.
    @discardableResult
    func readOriginal(sha256: String, chunkSize: Int, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws(StoreError) -> Bool
    /// How many file copies the ledger keeps, and their total size in bytes.
    func keptOriginals() throws(StoreError) -> (count: Int, bytes: Int)
    /// A number that changes whenever another connection commits a change to this ledger:
    /// derived documents are cached under it.
    func dataVersion() throws(StoreError) -> Int
    /// The engine's own consistency check: `ok`, or what is wrong.
    func integrityCheck() throws(StoreError) -> String

    // MARK: whole-ledger copy
    /// Hands every row of every ledger table (``LedgerTable/all``, in that order, each table in its
    /// key order) to `body` a chunk at a time, from one read transaction: a consistent picture.
    func exportTables(_ body: (LedgerTable, [[LedgerCell]]) throws -> Void) throws(StoreError)
    /// Writes the rows `fill` hands to `add` as they are (ids included) in one write transaction:
    /// all of them or nothing. Only into an empty ledger: one holding any row is refused with
    /// ``StoreError/notEmpty(_:table:)`` before anything is written.
    func importTables(_ fill: (_ add: (LedgerTable, [[LedgerCell]]) throws -> Void) throws -> Void) throws(StoreError) -> LedgerTableCounts

    // MARK: settings
    func setting(_ key: String) throws(StoreError) -> String?
    func setSetting(_ key: String, _ value: String?) throws(StoreError)
    func settings() throws(StoreError) -> [(key: String, value: String)]

    // MARK: rates
    func addRates(_ rates: [ExchangeRate], settings: [String: String?]) throws(StoreError) -> (new: Int, existing: Int)
    func rates(quote: CurrencyCode?, from: Day?, to: Day?) throws(StoreError) -> [ExchangeRate]
    func rates(currencies: Set<CurrencyCode>, from: Day, to: Day) throws(StoreError) -> [ExchangeRate]
    func rateSources(currency: CurrencyCode?) throws(StoreError) -> [RateSourceSummary]
    func rateCount() throws(StoreError) -> Int

    // MARK: invoices
    func invoices() throws(StoreError) -> [StoredInvoice]
    func invoiceID(number: String, seller: String?) throws(StoreError) -> Int64
    func link(invoiceID: Int64, transactionID: Int64, amount: Money, method: String, explanation: String) throws(StoreError)
    func unlink(invoiceID: Int64, transactionID: Int64?) throws(StoreError) -> Int
}

extension LedgerStore {
    public func record(_ r: ImportRecord, dryRun: Bool = false) throws(StoreError) -> ImportOutcome {
        try record(r, dryRun: dryRun, now: Date())
    }
    public func record(_ r: ImportRecord, now: Date) throws(StoreError) -> ImportOutcome {
        try record(r, dryRun: false, now: now)
    }
    public func recordStream(fileName: String, sha256: String, format: String, dryRun: Bool = false, now: Date = Date(),
                             keysAreUnique: Bool = false, original: Data? = nil,
                             body: (_ sink: StreamSink) throws -> ImportStreamEnd) throws(StoreError) -> ImportOutcome? {
        try recordStream(fileName: fileName, sha256: sha256, format: format, dryRun: dryRun, now: now, keysAreUnique: keysAreUnique,
                         original: original, body: body)
    }
    @discardableResult
    public func readOriginal(sha256: String, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws(StoreError) -> Bool {
        try readOriginal(sha256: sha256, chunkSize: 1 << 20, body)
    }
    public func transactions() throws(StoreError) -> [StoredTransaction] { try transactions(in: nil) }
    public func facts(in period: Period? = nil, roots: [Account.Root]? = nil) throws(StoreError) -> [PostingFact] {
        try facts(in: period, roots: roots, aggregateByDay: false)
    }
    public func facts(in period: Period? = nil, aggregateByDay: Bool) throws(StoreError) -> [PostingFact] {
        try facts(in: period, roots: nil, aggregateByDay: aggregateByDay)
    }
    public func balances() throws(StoreError) -> [AccountBalance] { try balances(in: nil) }
    public func addRates(_ rates: [ExchangeRate]) throws(StoreError) -> (new: Int, existing: Int) { try addRates(rates, settings: [:]) }
    public func rates(quote: CurrencyCode? = nil, from: Day? = nil) throws(StoreError) -> [ExchangeRate] {
        try rates(quote: quote, from: from, to: nil)
    }
    public func rates(quote: CurrencyCode? = nil, to: Day) throws(StoreError) -> [ExchangeRate] { try rates(quote: quote, from: nil, to: to) }
    public func rateSources() throws(StoreError) -> [RateSourceSummary] { try rateSources(currency: nil) }
    public func invoiceID(number: String) throws(StoreError) -> Int64 { try invoiceID(number: number, seller: nil) }
    public func unlink(invoiceID: Int64) throws(StoreError) -> Int { try unlink(invoiceID: invoiceID, transactionID: nil) }
}

/// Whether opening may create the ledger.
public enum LedgerOpenMode: Sendable {
    /// The ledger must already exist: a missing one is `StoreError.noLedger`, and nothing is created.
    case existing
    /// A missing ledger is created.
    case create
}

/// How a streamed import ended: whether to keep it, and the facts known only at the end.
public struct ImportStreamEnd: Sendable {
    public var keep: Bool
    public var format: String?
    public var balanceChecks: [BalanceCheck]
    public var filteredCount: Int
    public var problemCount: Int
    public var conversionLegs: [ConversionLeg]
    public init(keep: Bool, format: String?, balanceChecks: [BalanceCheck], filteredCount: Int, problemCount: Int,
                conversionLegs: [ConversionLeg] = []) {
        self.keep = keep; self.format = format; self.balanceChecks = balanceChecks; self.filteredCount = filteredCount; self.problemCount = problemCount
        self.conversionLegs = conversionLegs
    }
}

/// Where the ledger's rates came from: per source, how many, for how many currencies, first and last day.
public struct RateSourceSummary: Sendable, Equatable {
    public var source: String
    public var count: Int
    public var currencies: Int
    public var first: Day
    public var last: Day
    public init(source: String, count: Int, currencies: Int, first: Day, last: Day) {
        self.source = source; self.count = count; self.currencies = currencies; self.first = first; self.last = last
    }
}

/// Where a streamed import's batches go (see ``LedgerStore/recordStream(fileName:sha256:format:dryRun:now:keysAreUnique:body:)``):
/// each engine hands its own writer's two functions.
public struct StreamSink: TransactionBatchSink {
    let addBatch: (TransactionBatch) throws -> Void
    let addBatchTelling: ((TransactionBatch, Int) throws -> [Bool])?
    let finishBatches: () throws -> Void
    /// `addTelling`: adds a batch like `add` and answers, for its first so many entries, whether
    /// each was new (see ``add(_:tellingFirst:)``).
    package init(add: @escaping (TransactionBatch) throws -> Void, noMoreBatches: @escaping () throws -> Void,
                 addTelling: ((TransactionBatch, Int) throws -> [Bool])? = nil) {
        addBatch = add; finishBatches = noMoreBatches; addBatchTelling = addTelling
    }
    /// Adds a batch's transactions (those already in the ledger are skipped and counted).
    public func add(_ batch: TransactionBatch) throws { try addBatch(batch) }
    /// Adds a batch's transactions as ``add(_:)`` does and says, for each of its first `n` entries
    /// in order, whether the writer added it (true) or skipped it as already in the ledger (false):
    /// what an import's preview shows beside its first rows. Empty when the engine does not tell.
    public func add(_ batch: TransactionBatch, tellingFirst n: Int) throws -> [Bool] {
        guard let addBatchTelling else { try addBatch(batch); return [] }
        return try addBatchTelling(batch, n)
    }
    /// Says that no more batches will come, so that the day totals are written while the caller
    /// still waits for the rest of its reading (the checks that follow the last batch).
    public func noMoreBatches() throws { try finishBatches() }
}
