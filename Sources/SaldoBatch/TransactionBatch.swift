import SaldoCore

/// Booked transactions stored by column: how a statement import hands runs of them to the ledger
/// without building a ``Transaction`` (an array of postings and a handful of strings) per row.
///
/// Texts that differ per row (timestamp, description, external id, dedup key) lie one after the
/// other in one byte buffer; names that repeat (accounts, platforms, clients, payees, time zones,
/// currencies) are indices into tables that only grow while a file is read, so that index 3 means
/// the same account in every batch of one file. ``transaction(at:)`` gives the row back as a
/// ``Transaction``; the two forms hold the same facts (a property test round-trips them).
public struct TransactionBatch: Sendable {
    /// A span of ``text``; `start < 0` is nil.
    public struct TextRef: Sendable, Equatable {
        public var start: Int32
        public var count: Int32
        public static let none = TextRef(start: -1, count: 0)
        public init(start: Int32, count: Int32) { self.start = start; self.count = count }
        public var isNone: Bool { start < 0 }
    }

    /// One transaction. Indices of -1 are nil.
    public struct Entry: Sendable {
        public var day: Int32
        public var kind: TransactionKind
        public var isDerived: Bool
        public var hasCost: Bool
        public var line: Int32
        public var record: Int32
        public var timestamp: TextRef
        public var description: TextRef
        public var externalID: TextRef
        public var dedupKey: TextRef
        /// Into ``names``.
        public var timeZone: Int32
        public var payee: Int32
        public var platform: Int32
        public var client: Int32
        /// This entry's legs are `legs[firstLeg ..< firstLeg + legCount]`.
        public var firstLeg: Int32
        public var legCount: Int32

        public init(day: Int32, kind: TransactionKind, isDerived: Bool, hasCost: Bool, line: Int32, record: Int32,
                    timestamp: TextRef, description: TextRef, externalID: TextRef, dedupKey: TextRef,
                    timeZone: Int32, payee: Int32, platform: Int32, client: Int32, firstLeg: Int32, legCount: Int32) {
            self.day = day; self.kind = kind; self.isDerived = isDerived; self.hasCost = hasCost; self.line = line; self.record = record
            self.timestamp = timestamp; self.description = description; self.externalID = externalID; self.dedupKey = dedupKey
            self.timeZone = timeZone; self.payee = payee; self.platform = platform; self.client = client
            self.firstLeg = firstLeg; self.legCount = legCount
        }
    }

    /// One posting: an amount on an account, and for a conversion leg what it cost.
    public struct Leg: Sendable, Equatable {
        /// Into ``accounts``.
        public var account: Int32
        /// Into ``currencies``.
        public var currency: Int32
        public var amount: Int64
        /// Into ``currencies``; -1 when the leg has no cost.
        public var costCurrency: Int32
        public var cost: Int64

        public init(account: Int32, currency: Int32, amount: Int64, costCurrency: Int32 = -1, cost: Int64 = 0) {
            self.account = account; self.currency = currency; self.amount = amount; self.costCurrency = costCurrency; self.cost = cost
        }
    }

    /// What the legs without a cost add up to per day, account, currency, kind, platform and client
    /// (indices as in the entries, the kind as `TransactionKind.index`): a batch's contribution to
    /// the ledger's day totals, summed while booking so that the ledger writer does not sum row by row.
    public typealias TotalKey = DayTotalKey
    public struct Total: Sendable, Equatable {
        public var amount: Int64
        public var postings: Int
        /// The amounts summed, one per leg (a leg taken out again as its negation): what a
        /// conversion rounds one by one (``DayTotalParts``). They add up to ``amount``.
        public var parts: [Int64]
        public init(amount: Int64 = 0, postings: Int = 0, parts: [Int64] = []) {
            self.amount = amount; self.postings = postings; self.parts = parts
        }
        /// Adds another sum of the same group (its parts appended): what a ledger writer does with
        /// a batch's sums and with postings it takes out again (a negative count, negated parts).
        public mutating func add(_ t: Total) {
            amount += t.amount
            postings += t.postings
            parts.append(contentsOf: t.parts)
        }
    }

    // Only SaldoCore (the builder) changes a batch, so that `checkedCount` stays true.
    public internal(set) var entries: [Entry] = []
    @usableFromInline var _legs: [Leg] = []
    @inlinable public var legs: [Leg] { _legs }
    public internal(set) var totals: [TotalKey: Total] = [:]
    @usableFromInline var _text: [UInt8] = []
    @inlinable public var text: [UInt8] { _text }
    public internal(set) var names: [String] = []
    public internal(set) var accounts: [Account] = []
    public internal(set) var currencies: [CurrencyCode] = []
    /// The file every entry came from (a ``Transaction``'s `source.file`), nil when entries name none.
    public internal(set) var sourceFile: String?
    /// How many entries, from the first, were checked to balance when they were added (the ledger
    /// writer checks only the rest).
    public internal(set) var checkedCount = 0
    /// Which builder's tables the indices refer to: the batches of one builder share them, and a
    /// reader of batches that keeps per-index state starts afresh when this changes.
    public internal(set) var tables: UInt64 = 0

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public func string(_ r: TextRef) -> String? {
        guard !r.isNone else { return nil }
        return text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(r.start)..<Int(r.start + r.count)]), as: UTF8.self) }
    }

    public func name(_ i: Int32) -> String? { i < 0 ? nil : names[Int(i)] }

    /// The entry as a ``Transaction``.
    public func transaction(at i: Int) -> Transaction {
        let e = entries[i]
        var postings: [Posting] = []
        postings.reserveCapacity(Int(e.legCount))
        for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) {
            let l = legs[k]
            postings.append(Posting(accounts[Int(l.account)], Money(minorUnits: l.amount, currency: currencies[Int(l.currency)]),
                                    cost: l.costCurrency < 0 ? nil : Money(minorUnits: l.cost, currency: currencies[Int(l.costCurrency)])))
        }
        var t = Transaction(date: Day(ordinal: Int(e.day)), description: string(e.description) ?? "", kind: e.kind, postings: postings,
                            payee: name(e.payee), platform: name(e.platform), client: name(e.client),
                            timestamp: string(e.timestamp), timeZone: name(e.timeZone),
                            externalID: string(e.externalID), dedupKey: string(e.dedupKey))
        if let f = sourceFile {
            t.source = SourceLocation(file: f, line: e.line < 0 ? nil : Int(e.line), record: e.record < 0 ? nil : Int(e.record))
        }
        t.isDerived = e.isDerived
        return t
    }

    public var transactions: [Transaction] { entries.indices.map(transaction(at:)) }

    /// Checks that entry `i` balances, as ``Transaction/validate()`` does: the sums per currency
    /// (a conversion leg counting at its cost) are taken here; anything unusual (an unbalanced
    /// entry, many currencies, sums near Int64's limits) is decided on the ``Transaction``, which
    /// also words the error.
    public func validate(at i: Int) throws(LedgerError) {
        let e = entries[i]
        if e.legCount >= 2 && quickBalance(e) { return }
        try transaction(at: i).validate()
    }

    private func quickBalance(_ e: Entry) -> Bool {
        // Up to four currencies, summed in place.
        var currency: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        var sum: (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        var used = 0
        for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) {
            let l = legs[k]
            var c = l.currency, v = l.amount
            if l.costCurrency >= 0 {
                if l.costCurrency == l.currency { return false }
                c = l.costCurrency
                v = (l.amount < 0) == (l.cost < 0) || l.cost == 0 ? l.cost : -l.cost
            }
            let slot: Int
            if c == currency.0 { slot = 0 } else if used > 1 && c == currency.1 { slot = 1 }
            else if used > 2 && c == currency.2 { slot = 2 } else if used > 3 && c == currency.3 { slot = 3 }
            else if used == 0 { currency.0 = c; slot = 0; used = 1 }
            else if used == 1 { currency.1 = c; slot = 1; used = 2 }
            else if used == 2 { currency.2 = c; slot = 2; used = 3 }
            else if used == 3 { currency.3 = c; slot = 3; used = 4 }
            else { return false }
            let o: Bool
            switch slot {
            case 0: (sum.0, o) = sum.0.addingReportingOverflow(v)
            case 1: (sum.1, o) = sum.1.addingReportingOverflow(v)
            case 2: (sum.2, o) = sum.2.addingReportingOverflow(v)
            default: (sum.3, o) = sum.3.addingReportingOverflow(v)
            }
            if o { return false }
        }
        return sum == (0, 0, 0, 0)
    }
}

/// Builds ``TransactionBatch``es for one file: keeps the name tables (which every batch of the
/// file shares) and the batch being filled.
public struct TransactionBatchBuilder: Sendable {
    @usableFromInline var batch = TransactionBatch()
    private var nameIndex: [String: Int32] = [:]
    private var accountIndex: [String: Int32] = [:]

    public init(sourceFile: String?) {
        batch.sourceFile = sourceFile
        batch.tables = UInt64.random(in: 1...UInt64.max)
    }

    /// The file the entries of the batch being filled come from.
    public var sourceFile: String? { batch.sourceFile }

    /// The file the next entries come from (their `source.file`), set between batches: a batch
    /// names one file for all its entries.
    public mutating func setSourceFile(_ file: String?) {
        precondition(batch.entries.isEmpty, "a batch names one source file; take() it before starting another file")
        batch.sourceFile = file
    }

    @inlinable public var count: Int { batch.entries.count }

    /// The index of a name (platform, client, payee, time zone), added on first use; -1 for nil.
    public mutating func name(_ s: String?) -> Int32 {
        guard let s else { return -1 }
        if let i = nameIndex[s] { return i }
        let i = Int32(batch.names.count)
        batch.names.append(s)
        nameIndex[s] = i
        return i
    }

    public mutating func account(_ a: Account) -> Int32 {
        if let i = accountIndex[a.path] { return i }
        let i = Int32(batch.accounts.count)
        batch.accounts.append(a)
        accountIndex[a.path] = i
        return i
    }

    /// A file holds a handful of currencies: a linear search beats hashing.
    public mutating func currency(_ c: CurrencyCode) -> Int32 {
        for (i, x) in batch.currencies.enumerated() where x.code == c.code { return Int32(i) }
        batch.currencies.append(c)
        return Int32(batch.currencies.count - 1)
    }

    /// Appends text to the batch's buffer.
    @inlinable public mutating func text(_ s: String?) -> TransactionBatch.TextRef {
        guard let s else { return .none }
        let start = batch._text.count
        batch._text.append(contentsOf: s.utf8)
        return TransactionBatch.TextRef(start: Int32(start), count: Int32(batch._text.count - start))
    }

    /// Appends raw bytes to the batch's buffer.
    @inlinable public mutating func text(bytes: UnsafeBufferPointer<UInt8>) -> TransactionBatch.TextRef {
        let start = batch._text.count
        batch._text.append(contentsOf: bytes)
        return TransactionBatch.TextRef(start: Int32(start), count: Int32(bytes.count))
    }

    /// Appends bytes to the buffer and returns where they start, for a text assembled in pieces
    /// (finish it with ``textSince(_:)``).
    @inlinable public var textEnd: Int { batch._text.count }
    @inlinable public mutating func appendText(_ s: String) { batch._text.append(contentsOf: s.utf8) }
    @inlinable public mutating func appendText(_ b: UInt8) { batch._text.append(b) }
    @inlinable public func textSince(_ start: Int) -> TransactionBatch.TextRef {
        TransactionBatch.TextRef(start: Int32(start), count: Int32(batch._text.count - start))
    }
    /// The buffer's bytes in `r`, for hashing a key just written.
    @inlinable public func withText<R>(_ r: TransactionBatch.TextRef, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        batch._text.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[Int(r.start)..<Int(r.start + r.count)])) }
    }

    @inlinable public mutating func addLeg(account: Int32, currency: Int32, amount: Int64, costCurrency: Int32 = -1, cost: Int64 = 0) {
        batch._legs.append(TransactionBatch.Leg(account: account, currency: currency, amount: amount, costCurrency: costCurrency, cost: cost))
    }

    /// Appends an entry whose legs were just added with ``addLeg(account:currency:amount:costCurrency:cost:)``
    /// since `firstLeg` (``legCount`` before adding them).
    public mutating func addEntry(_ e: TransactionBatch.Entry) {
        batch.entries.append(e)
        addToTotals(e, sign: 1)
    }

    private mutating func addToTotals(_ e: TransactionBatch.Entry, sign: Int64) {
        for k in Int(e.firstLeg)..<Int(e.firstLeg + e.legCount) where batch.legs[k].costCurrency < 0 {
            let l = batch.legs[k]
            let key = DayTotalKey(day: e.day, account: l.account, currency: l.currency, kind: Int32(e.kind.index), platform: e.platform, client: e.client)
            // In place (the parts array is not copied for each leg). Legs that cancel out (added,
            // then taken out) leave nothing to write.
            if Self.add(sign * l.amount, posting: sign, to: &batch.totals[key, default: TransactionBatch.Total()]) { batch.totals[key] = nil }
        }
    }

    /// Adds one leg's amount (`posting` -1: takes a leg out); true when the total is left empty.
    private static func add(_ amount: Int64, posting: Int64, to t: inout TransactionBatch.Total) -> Bool {
        t.amount += amount
        t.postings += Int(posting)
        // A leg taken out right after it was added (`removeLast`) leaves the parts as they were.
        if posting < 0, t.parts.last == -amount { t.parts.removeLast() } else { t.parts.append(amount) }
        return t.postings == 0 && t.amount == 0
    }

    @inlinable public var legCount: Int32 { Int32(batch._legs.count) }

    /// The sum of the legs on `account` in `currency` from leg `first` on: what the entries added
    /// since then move that account by (the import's balance check reads what was booked).
    public func legSum(from first: Int32, account: Int32, currency: Int32) -> Int64 {
        var s: Int64 = 0
        for k in Int(first)..<batch._legs.count where batch._legs[k].account == account && batch._legs[k].currency == currency {
            s &+= batch._legs[k].amount
        }
        return s
    }

    /// Checks that the entry just added balances (see ``TransactionBatch/validate(at:)``), and
    /// counts it as checked.
    public mutating func validateLast() throws(LedgerError) {
        try batch.validate(at: batch.entries.count - 1)
        if batch.checkedCount == batch.entries.count - 1 { batch.checkedCount += 1 }
    }

    /// Appends a transaction given whole (the rare rows: conversions, bank records). Its source
    /// line and record are kept; its source file is the batch's (see ``setSourceFile(_:)``).
    public mutating func append(_ t: Transaction) {
        let first = legCount
        var hasCost = false
        for p in t.postings {
            let a = account(p.account), c = currency(p.amount.currency)
            if let cost = p.cost {
                hasCost = true
                addLeg(account: a, currency: c, amount: p.amount.minorUnits, costCurrency: currency(cost.currency), cost: cost.minorUnits)
            } else {
                addLeg(account: a, currency: c, amount: p.amount.minorUnits)
            }
        }
        let e = TransactionBatch.Entry(
            day: Int32(t.date.ordinal), kind: t.kind, isDerived: t.isDerived, hasCost: hasCost,
            line: Int32(t.source?.line ?? -1), record: Int32(t.source?.record ?? -1),
            timestamp: text(t.timestamp), description: text(t.description), externalID: text(t.externalID), dedupKey: text(t.dedupKey),
            timeZone: name(t.timeZone), payee: name(t.payee), platform: name(t.platform), client: name(t.client),
            firstLeg: first, legCount: legCount - first)
        addEntry(e)
    }

    /// Drops the last entry and its legs and text (one that did not balance).
    public mutating func removeLast() {
        guard let e = batch.entries.popLast() else { return }
        batch.checkedCount = min(batch.checkedCount, batch.entries.count)
        addToTotals(e, sign: -1)
        batch._legs.removeLast(batch._legs.count - Int(e.firstLeg))
        let starts = [e.timestamp, e.description, e.externalID, e.dedupKey].filter { !$0.isNone }.map { Int($0.start) }
        if let s = starts.min() { batch._text.removeLast(batch._text.count - s) }
    }

    /// Splits transactions given whole (a collected read, an invoice's, a record) into batches as
    /// a stream's are made: one run of transactions from the same source file per batch, at most
    /// `size` each, handed to `body` in order. With `stopAfter`, only that many are batched (tests
    /// make a write fail half-way). Both ledger engines write whole transactions through this.
    public static func batches(of ts: [Transaction], size: Int = 4096, stopAfter: Int? = nil,
                               _ body: (TransactionBatch) throws -> Void) throws {
        var b = TransactionBatchBuilder(sourceFile: ts.first?.source?.file)
        for (i, t) in ts.enumerated() {
            if i == stopAfter { break }
            if t.source?.file != b.sourceFile {
                if b.count > 0 { try body(b.take()) }
                b.setSourceFile(t.source?.file)
            }
            b.append(t)
            if b.count >= size { try body(b.take()) }
        }
        if b.count > 0 { try body(b.take()) }
    }

    /// Hands the filled batch over and starts an empty one with the same tables.
    public mutating func take() -> TransactionBatch {
        var out = TransactionBatch()
        out.names = batch.names; out.accounts = batch.accounts; out.currencies = batch.currencies; out.sourceFile = batch.sourceFile
        out.tables = batch.tables
        swap(&out, &batch)
        batch.entries.reserveCapacity(out.entries.count)
        batch._legs.reserveCapacity(out.legs.count)
        batch._text.reserveCapacity(out.text.count)
        return out
    }
}

/// The key of a day total: day, account, currency, kind, platform and client as small integers.
/// In a batch they are indices into the batch's tables; in the ledger writer, ids of the ledger's
/// accounts and of interned names. One type for both, so summing a million rows hashes three
/// words instead of six values or strings.
public struct DayTotalKey: Hashable, Sendable {
    public var day: Int32
    public var account: Int32
    public var currency: Int32
    public var kind: Int32
    public var platform: Int32
    public var client: Int32

    @inlinable
    public init(day: Int32, account: Int32, currency: Int32, kind: Int32, platform: Int32, client: Int32) {
        self.day = day; self.account = account; self.currency = currency; self.kind = kind; self.platform = platform; self.client = client
    }

    @inlinable
    public func hash(into h: inout Hasher) {
        h.combine(UInt64(UInt32(bitPattern: day)) << 32 | UInt64(UInt32(bitPattern: account)))
        h.combine(UInt64(UInt32(bitPattern: currency)) << 32 | UInt64(UInt32(bitPattern: kind)))
        h.combine(UInt64(UInt32(bitPattern: platform)) << 32 | UInt64(UInt32(bitPattern: client)))
    }
}

/// Where a statement reader hands its batches, in booking order: the ledger writer
/// (`SaldoStore.StreamSink`), the hand-off to the writer's thread, or a collector.
public protocol TransactionBatchSink {
    /// One more batch.
    mutating func add(_ batch: TransactionBatch) throws
    /// Every batch has been handed over; the reader goes on with its balance checks meanwhile.
    mutating func noMoreBatches() throws
}

/// Keeps every batch (for callers that want the whole file's transactions).
public struct CollectingBatchSink: TransactionBatchSink {
    public private(set) var batches: [TransactionBatch] = []
    public init() {}
    public mutating func add(_ batch: TransactionBatch) { batches.append(batch) }
    public mutating func noMoreBatches() {}
}
