import Foundation
import SaldoCore

/// Builds what ``LedgerStore/facts(in:roots:aggregateByDay:summing:)`` returns with
/// `aggregateByDay` from the transactions of a period, read in booking order (day, then id): the
/// same code on both engines, each reading `id, day, kind, platform, client, description (of a
/// transaction with a conversion cost only), has_cost, postings` and handing every row here.
///
/// What comes out, per day:
/// - postings of one account, currency, kind, platform and client summed as one fact (transaction
///   id 0). In a currency other than `summing` (a report's currency), the fact also keeps each
///   posting's amount (``PostingFact/parts``): each is converted at the day's rate and rounded
///   alone, so a report agrees to the cent with the tax return, which converts every posting.
///   Converting a day's summed dollars once rounded differently: the demo's first quarter of 2026
///   was 10,979.97 EUR in the report and 10,979.98 in Modelo 130 box 01.
/// - postings that carry a conversion cost one by one with their transaction id and description,
///   after the day's other facts.
///
/// Why not the `daily_total` table: it keeps only sums, not the amounts a conversion must round one
/// by one. It still answers balances (positions, converted as a whole). Why not one fact per
/// posting: a million-transaction ledger's report took three times as long (2.3 s against 0.8 s),
/// most of it making and reading the facts; the parts cost eight bytes each.
package struct DayFactsBuilder {
    /// A group of one day: indices into this builder's tables (hashing integers, not strings,
    /// for each posting: hashing the names was a tenth of a million-transaction report).
    private struct GroupKey: Hashable {
        /// account slot << 32 | currency slot
        var accountCurrency: UInt64
        /// platform slot << 32 | client slot
        var platformClient: UInt64
        var kind: UInt8
    }
    private let roots: [Account.Root]?
    private let summing: CurrencyCode?
    private var out: [PostingFact] = []
    /// The current day's postings with a cost, written after its other facts.
    private var costed: [PostingFact] = []
    /// The current day's groups: index into `out`.
    private var groups: [GroupKey: Int] = [:]
    private var day = Int.min
    /// Accounts met, with whether the roots asked for keep them; by ledger id and by account.
    private var accountList: [(account: Account, kept: Bool)] = []
    private var accountByID: [Int64: Int32] = [:]
    private var accountSlot: [Account: Int32] = [:]
    /// Currencies met; by their packed code (``PostingsColumn/packCode(_:)``) and by code.
    private var currencyList: [CurrencyCode] = []
    private var currencyByCode: [UInt64: Int32] = [:]
    private var currencySlot: [CurrencyCode: Int32] = [:]
    /// Platforms and clients met (slot 0: none), and the last two looked up (rows of a day repeat them).
    private var nameSlot: [String: Int32] = [:]
    private var lastNames: [(name: String, slot: Int32)] = []
    private var kinds: [String: (kind: TransactionKind, slot: UInt8)] = [:]
    /// The legs of the row being added (kept to reuse their storage).
    private var legs: [(id: Int64, code: UInt64, amount: Int64)] = []

    package init(roots: [Account.Root]?, summing: CurrencyCode?) {
        self.roots = roots
        self.summing = summing
        groups.reserveCapacity(64)
    }

    private func keeps(_ a: Account) -> Bool { roots.map { $0.isEmpty || $0.contains(a.root) } ?? true }

    private mutating func startDay(_ d: Int) {
        guard d != day else { return }
        out.append(contentsOf: costed)
        costed.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        day = d
    }

    private mutating func kind(_ text: String) -> (kind: TransactionKind, slot: UInt8) {
        if let k = kinds[text] { return k }
        let k = (TransactionKind(rawValue: text) ?? .other, UInt8(truncatingIfNeeded: kinds.count))
        kinds[text] = k
        return k
    }

    private mutating func name(_ s: String?) -> Int32 {
        guard let s else { return 0 }
        for l in lastNames where l.name == s { return l.slot }
        let slot: Int32
        if let known = nameSlot[s] { slot = known } else { slot = Int32(nameSlot.count + 1); nameSlot[s] = slot }
        if lastNames.count == 2 { lastNames.removeFirst() }
        lastNames.append((s, slot))
        return slot
    }

    private mutating func slot(_ a: Account) -> Int32 {
        if let i = accountSlot[a] { return i }
        accountList.append((a, keeps(a)))
        let i = Int32(accountList.count - 1)
        accountSlot[a] = i
        return i
    }

    private mutating func slot(_ c: CurrencyCode) -> Int32 {
        if let i = currencySlot[c] { return i }
        currencyList.append(c)
        let i = Int32(currencyList.count - 1)
        currencySlot[c] = i
        return i
    }

    /// One transaction's row, its postings column as text.
    package mutating func add(id: Int64, day d: Int, kind kindText: String, platform: String?, client: String?, description: String?,
                              hasCost: Bool, postings column: String, interner: inout Interner) throws {
        var text = column
        try text.withUTF8 { b in
            try add(id: id, day: d, kind: kindText, platform: platform, client: client, description: description, hasCost: hasCost,
                    postingsBytes: b, interner: &interner)
        }
    }

    /// One transaction's row, its postings column as the database's bytes (read in place: making a
    /// string of each column was a tenth of a million-transaction report).
    package mutating func add(id: Int64, day d: Int, kind kindText: String, platform: String?, client: String?, description: String?,
                              hasCost: Bool, postingsBytes b: UnsafeBufferPointer<UInt8>, interner: inout Interner) throws {
        startDay(d)
        let kind = kind(kindText)
        let names = UInt64(UInt32(bitPattern: name(platform))) << 32 | UInt64(UInt32(bitPattern: name(client)))
        let date = Day(ordinal: d)
        func decoded() throws {
            for p in try PostingsColumn.decode(String(decoding: b, as: UTF8.self), interner: &interner) where keeps(p.account) {
                if p.cost != nil {
                    costed.append(PostingFact(transactionID: id, date: date, account: p.account, amount: p.amount, cost: p.cost,
                                              kind: kind.kind, platform: platform, client: client, description: description))
                } else {
                    try add(account: slot(p.account), currency: slot(p.amount.currency), amount: p.amount.minorUnits, names: names,
                            date: date, kind: kind, platform: platform, client: client)
                }
            }
        }
        // Rare (a conversion with its cost): decoded whole.
        if hasCost { return try decoded() }
        legs.removeAll(keepingCapacity: true)
        guard try PostingsColumn.scan(b, { id, code, amount, _ in legs.append((id, code, amount)) }) else { return try decoded() }
        for l in legs {
            let a: Int32
            if let known = accountByID[l.id] { a = known } else {
                guard let acc = interner.accountsByID[l.id] else { throw PostingsColumn.DecodeError.malformed(String(decoding: b, as: UTF8.self)) }
                a = slot(acc)
                accountByID[l.id] = a
            }
            guard accountList[Int(a)].kept else { continue }
            let c: Int32
            if let known = currencyByCode[l.code] { c = known } else {
                c = slot(try interner.currency(PostingsColumn.unpackCode(l.code)))
                currencyByCode[l.code] = c
            }
            try add(account: a, currency: c, amount: l.amount, names: names, date: date, kind: kind, platform: platform, client: client)
        }
    }

    private mutating func add(account a: Int32, currency c: Int32, amount: Int64, names: UInt64, date: Day,
                              kind: (kind: TransactionKind, slot: UInt8), platform: String?, client: String?) throws {
        let currency = currencyList[Int(c)]
        let apart = currency != summing
        let key = GroupKey(accountCurrency: UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: c)), platformClient: names, kind: kind.slot)
        if let i = groups[key] {
            let (sum, overflow) = out[i].amount.minorUnits.addingReportingOverflow(amount)
            guard !overflow else {
                throw StoreError.invalid("the postings to \(accountList[Int(a)].account.path) in \(currency.code) on \(date) sum beyond what an amount can hold")
            }
            out[i].amount = Money(minorUnits: sum, currency: currency)
            // The parts are kept from the second posting on (a fact of one posting has none).
            if apart { if out[i].parts == nil { out[i].parts = [out[i].amount.minorUnits - amount, amount] } else { out[i].parts!.append(amount) } }
        } else {
            groups[key] = out.count
            out.append(PostingFact(transactionID: 0, date: date, account: accountList[Int(a)].account, amount: Money(minorUnits: amount, currency: currency),
                                   kind: kind.kind, platform: platform, client: client))
        }
    }

    /// The facts, by day. A sum of nothing is left out, as a zero day sum was, unless its parts are
    /// not all zero (+10 and −10 dollars each convert alone: they need not cancel in euros). A fact of
    /// one posting has no parts (its amount is the one).
    package mutating func finish() -> [PostingFact] {
        out.append(contentsOf: costed)
        costed.removeAll()
        out.removeAll { $0.amount.minorUnits == 0 && $0.cost == nil && ($0.parts?.allSatisfy { $0 == 0 } ?? true) }
        return out
    }
}
