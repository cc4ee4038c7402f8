import SaldoCore
import SaldoBatch

/// Turns movements into balanced transactions: booking order, conversion pairing, accounts,
/// attribution, dedup keys and running-balance checks.
struct Booker {
    let file: String
    let profile: StatementProfile
    let userRules: [CategoryRule]
    let balanceField: String?
    var sink: DiagnosticSink
    let inst: String
    let assets: Account
    let fees: Account
    let reserved: Account
    let fallbackIncome: Account
    /// Attribution and accounts per payer/description, computed once per distinct value.
    var attributionCache: [String: Attribution] = [:]
    var incomeCache: [String: Account] = [:]
    var partyCache: [String: Party] = [:]
    let rulesSeeDescription: Bool
    /// The transactions being booked, handed over in batches.
    var batch: TransactionBatchBuilder
    /// Batch indices of the accounts every statement uses.
    struct FixedAccounts { var assets, fees, pending, reserved, adjustmentsIncome, adjustmentsExpense: Int32 }
    let ids: FixedAccounts
    var lastCurrency: (code: CurrencyCode, index: Int32)?
    var lastTimeZone: (name: String, index: Int32)?
    /// The batch name index of the institution (the platform of its conversions), once used.
    var institutionName: Int32 = -1
    static let knownPlatformsLower = knownPlatforms.map { $0.lowercased() }

    /// `builder`: the batch builder to book into (one shared by every account of a file, so that
    /// its tables only grow within the file); a new one when nil.
    init(file: String, profile: StatementProfile, userRules: [CategoryRule], balanceField: String?, sink: DiagnosticSink,
         ledgerLegs: [ConversionLeg] = [], builder: TransactionBatchBuilder? = nil) {
        self.file = file; self.profile = profile; self.userRules = userRules; self.balanceField = balanceField; self.sink = sink
        inst = Account.normalizeComponent(profile.institution)
        // A credit card's statement is booked on a liability: what the card owes.
        assets = Booker.holding(profile)
        fees = Account(.expenses, "fees", profile.institution)
        reserved = Account(.assets, profile.institution, "reserved")
        // A bank statement (Norma 43, MT940, camt, OFX) names no platform: unknown income stays uncategorised.
        bankStatement = Booker.isBankStatement(profile.name)
        fallbackIncome = bankStatement ? Account(.income, "uncategorized") : Account(.income, profile.institution)
        rulesSeeDescription = (userRules + profile.categoryRules).contains { $0.field?.lowercased() != "payee" && $0.field?.lowercased() != "name" }
        var b = builder ?? TransactionBatchBuilder(sourceFile: file)
        ids = FixedAccounts(assets: b.account(assets), fees: b.account(fees), pending: b.account(Booker.pending), reserved: b.account(reserved),
                            adjustmentsIncome: b.account(Account(.income, "adjustments", profile.institution)),
                            adjustmentsExpense: b.account(Account(.expenses, "adjustments", profile.institution)))
        batch = b
        let institution = inst
        openLegs = ledgerLegs.filter { $0.institution == institution && $0.pairedBy == nil }
        pairedLegKeys = Set(ledgerLegs.filter { $0.institution == institution && $0.pairedBy != nil }.map(\.key))
    }
    /// Keys of the ledger's legs that were booked on their own and have been paired since.
    let pairedLegKeys: Set<String>
    /// The ledger's conversion legs of this institution that still wait for their other leg.
    let openLegs: [ConversionLeg]
    /// Batch index of ``ConversionLeg/suspense``, once used.
    var suspenseIndex: Int32 = -1
    static let pending = Account(.assets, "transfers", "pending")
    /// The account a statement's own balance lives in: `assets:<institution>`, or for a credit
    /// card `liabilities:<issuer>-<last4>`.
    static func holding(_ profile: StatementProfile) -> Account {
        Account(profile.card ? .liabilities : .assets, profile.institution)
    }
    /// Whether the profile is a bank's own statement format, whose rows may carry an amount in
    /// another currency (``Movement/counter``) as the price of the booked one.
    let bankStatement: Bool
    static func isBankStatement(_ name: String) -> Bool {
        bankStatementProfiles.contains(name) || name.hasPrefix("camt.") || name.hasPrefix("ofx")
    }
    static let uncategorized = Account(.expenses, "uncategorized")
    /// Bank statement formats: they name no platform, so unknown income stays uncategorised.
    static let bankStatementProfiles: Set<String> = [Norma43Reader.profileName, MT940Reader.profileName, MT940Reader.interimProfileName]

    /// Platforms whose name in a payer field means the money came from that platform.
    static let knownPlatforms = ["Prolific", "Upwork", "Fiverr", "Toloka", "Appen", "TELUS", "Outlier", "Remotasks", "DataAnnotation",
                                 "Amazon Mechanical Turk", "MTurk", "Deel", "Payoneer", "Etsy", "Gumroad", "Patreon", "Stripe", "Freelancer.com",
                                 "Contra", "Malt", "Toptal", "Lionbridge", "TransPerfect", "Respondent", "UserTesting"]

    struct Output {
        var transactions: [Transaction] = []
        var filtered: [FilteredRow] = []
        var checks: [BalanceCheck] = []
        var balances = BalanceSummary()
        /// Conversion legs booked on their own (see ``ConversionLeg``), and the ledger's lone legs
        /// this file paired.
        var legs: [ConversionLeg] = []
        /// Conversions completed with a leg an earlier import booked on its own.
        var completed = 0
        /// What the booked rows moved `assets:<institution>` by, per currency.
        var bookedChange: [CurrencyCode: Int64] = [:]
        /// The same per row (indexed like the movements): what its legs moved `assets:<institution>` by.
        var bookedPerRow: [Int64] = []
    }

    /// Whether the file lists its rows newest first. The running balances say it best: in each
    /// currency, neighbouring stated balances chain forward in an oldest-first file and backward in a
    /// newest-first one (a pair that chains both ways, a payment and the conversion that undoes it,
    /// says nothing); the dates decide when they cannot. The booking order and the balance check
    /// both follow this one decision.
    static func listedNewestFirst(_ ms: [Movement]) -> Bool {
        guard let first = ms.first, let last = ms.last else { return false }
        var forward = 0, backward = 0
        // The previous row per currency; a file holds a handful of currencies, so a linear search
        // beats hashing a million times.
        var currencies: [CurrencyCode] = [], previous: [Int] = []
        for i in ms.indices where ms[i].filtered == nil || ms[i].affectsBalance {
            guard let b = ms[i].balance else { continue }
            let c = ms[i].currency
            guard let k = currencies.firstIndex(where: { $0.code == c.code }) else { currencies.append(c); previous.append(i); continue }
            let p = previous[k]
            if let pb = ms[p].balance {
                let f = b == pb &+ ms[i].net, r = pb == b &+ ms[p].net
                if f && !r { forward += 1 }
                if r && !f { backward += 1 }
            }
            previous[k] = i
        }
        return backward > forward || (backward == forward && first.sortKey > last.sortKey)
    }

    /// Booking order: oldest first. A file listed newest first is reversed, then rows are sorted
    /// stably by date and time, so rows of the same instant keep their relative booking order.
    static func bookingOrder(_ ms: [Movement], newestFirst: Bool) -> [Int] {
        var idx = Array(ms.indices)
        if newestFirst { idx.reverse() }
        // Stable sort by key; statements are nearly always already in order.
        var sorted = true
        for k in idx.indices.dropFirst() where ms[idx[k]].sortKey < ms[idx[k - 1]].sortKey { sorted = false; break }
        if sorted { return idx }
        let keyed = idx.enumerated().map { (pos: $0.offset, i: $0.element, k: ms[$0.element].sortKey) }
        return keyed.sorted { ($0.k.0, $0.k.1, $0.pos) < ($1.k.0, $1.k.1, $1.pos) }.map(\.i)
    }

    mutating func book(_ ms: inout [Movement]) -> Output {
        var kept: [Transaction] = []
        kept.reserveCapacity(ms.count)
        var out = book(&ms) { kept.append(contentsOf: $0.transactions) }
        out.transactions = kept
        return out
    }

    /// Books every row and hands the transactions, in booking order, to `emit` in batches of
    /// `batchSize` (the last one may be smaller).
    ///
    /// Ordinary rows (nearly all of a statement) go straight into the batch's columns: no
    /// `Transaction`, postings array or key string is built for them. Conversions and their
    /// fees are rare and are built as transactions first.
    mutating func book(_ ms: inout [Movement], batchSize: Int = 4096, handedOver: () -> Void = {}, emit: (TransactionBatch) -> Void) -> Output {
        var out = Output()
        let newestFirst = Booker.listedNewestFirst(ms)
        let order = Booker.bookingOrder(ms, newestFirst: newestFirst)
        var position = [Int](repeating: 0, count: ms.count)
        for (p, i) in order.enumerated() { position[i] = p }

        // Pair conversion legs: within the file first, then with the ledger's lone legs.
        var partner = [Int](repeating: -1, count: ms.count)
        pairConversions(ms, order: order, partner: &partner)
        var loneForm = [Bool](), ledgerPartner = [Int]()
        if !openLegs.isEmpty { matchLedgerLegs(ms, order: order, partner: partner, lone: &loneForm, ledgerPartner: &ledgerPartner) }

        // What each row moved `assets:<institution>` by in its currency, read off the legs booked
        // for it: the balance check compares the ledger, not the file, with the stated balances.
        var booked = [Int64](repeating: 0, count: ms.count)
        var counter = OccurrenceCounter(expected: ms.count)
        for i in order {
            defer { ms[i].releaseTexts() }
            if let reason = ms[i].filtered, !(ms[i].cls.filteredButAffectsBalance && ms[i].affectsBalance) {
                let m = ms[i]
                out.filtered.append(FilteredRow(location: SourceLocation(file: file, line: m.line, record: m.index + 1), reason: reason,
                                                day: m.day, amount: m.money, detail: m.description))
                continue
            }
            let p = partner[i]
            if p >= 0 && position[p] < position[i] { continue }   // booked with its partner
            let first = batch.legCount
            if ms[i].cls == .conversion && p >= 0 {
                if !loneForm.isEmpty && (loneForm[i] || loneForm[p]) {
                    // One of the legs is already in the ledger on its own: both are booked on
                    // their own (that one as a duplicate) and paired by a third transaction.
                    let a = bookLoneLeg(ms[i], counter: &counter), b = bookLoneLeg(ms[p], counter: &counter)
                    let key = bookPairing(a, b, line: ms[i].line, record: ms[i].index + 1, counter: &counter)
                    out.completed += 1
                    out.legs.append(contentsOf: [a, b].map { var l = $0; l.pairedBy = key; return l })
                } else {
                    bookConversionPair(ms[i], ms[p], counter: &counter)
                }
                booked[p] = batch.legSum(from: first, account: ids.assets, currency: currencyIndex(ms[p].currency))
            } else if ms[i].cls == .conversion && ms[i].counter == nil {
                var leg = bookLoneLeg(ms[i], counter: &counter)
                if !ledgerPartner.isEmpty, ledgerPartner[i] >= 0 {
                    var other = openLegs[ledgerPartner[i]]
                    let key = bookPairing(leg, other, line: ms[i].line, record: ms[i].index + 1, counter: &counter)
                    out.completed += 1
                    leg.pairedBy = key; other.pairedBy = key
                    out.legs.append(contentsOf: [leg, other])
                    sink.add(Diagnostic(.note, code: "import.conversion-paired", "conversion leg of \(ms[i].money) pairs with the leg of \(other.gross) imported earlier\(other.source.map { " from \($0)" } ?? ""); the conversion is complete",
                                        at: SourceLocation(file: file, line: ms[i].line, record: ms[i].index + 1)))
                } else if pairedLegKeys.contains(leg.key) {
                    // Seen again (a re-exported period): the ledger has it, paired already.
                } else {
                    out.legs.append(leg)
                    sink.add(.warning("import.conversion", "conversion leg of \(ms[i].money) has no other leg in this file: booked against \(ConversionLeg.suspense.path) until the leg in the other currency is imported",
                                      at: SourceLocation(file: file, line: ms[i].line, record: ms[i].index + 1),
                                      hint: "import the statement that holds the other leg (an export of the next or previous period); Saldo pairs the two automatically"))
                }
            } else if ms[i].cls == .conversion {
                bookConversion(ms[i], counter: &counter)
            } else {
                bookOrdinary(ms[i], counter: &counter)
            }
            booked[i] = batch.legSum(from: first, account: ids.assets, currency: currencyIndex(ms[i].currency))
            if batch.count >= batchSize { emit(batch.take()) }
        }
        if batch.count > 0 { emit(batch.take()) }
        handedOver()
        for i in ms.indices where booked[i] != 0 { out.bookedChange[ms[i].currency, default: 0] &+= booked[i] }
        if bankStatement { out.bookedPerRow = booked }
        (out.checks, out.balances) = balanceChecks(ms, booked: booked, order: order, newestFirst: newestFirst)
        payoutChecks(ms, order: order)
        return out
    }

    /// The occurrence of `key` in this file, counted in booking order.
    static func occurrence(_ key: String, _ counter: inout OccurrenceCounter) -> Int {
        var k = key
        return k.withUTF8 { counter.bump($0) }
    }

    /// A conversion told in two rows (PayPal, Revolut), straight into the batch:
    /// `assets:X  -100.00 USD @@ 92.15 EUR` and `assets:X  92.15 EUR`, plus any fee on the legs,
    /// dated the earlier leg's day. Keyed by both legs' ids (or the shared id, or a fingerprint).
    mutating func bookConversionPair(_ m: borrowing Movement, _ other: borrowing Movement, counter: inout OccurrenceCounter) {
        let mIsFrom = m.net < 0
        let fromCur = mIsFrom ? m.currency : other.currency, toCur = mIsFrom ? other.currency : m.currency
        let fromGross = mIsFrom ? m.gross : other.gross, toGross = mIsFrom ? other.gross : m.gross
        let fromFee = mIsFrom ? m.fee : other.fee, toFee = mIsFrom ? other.fee : m.fee
        let from = currencyIndex(fromCur), to = currencyIndex(toCur)
        let firstLeg = batch.legCount
        batch.addLeg(account: ids.assets, currency: from, amount: fromGross, costCurrency: to, cost: abs(toGross))
        batch.addLeg(account: ids.assets, currency: to, amount: toGross)
        if fromFee != 0 { batch.addLeg(account: ids.assets, currency: from, amount: fromFee); batch.addLeg(account: ids.fees, currency: from, amount: -fromFee) }
        if toFee != 0 { batch.addLeg(account: ids.assets, currency: to, amount: toFee); batch.addLeg(account: ids.fees, currency: to, amount: -toFee) }
        let timestamp = batch.text(m.timestamp)
        let start = batch.textEnd
        batch.appendText("Conversion "); batch.appendText(fromCur.code); batch.appendText(" → "); batch.appendText(toCur.code)
        let description = batch.textSince(start)
        let externalID = batch.text(mIsFrom ? (m.id ?? other.id) : (other.id ?? m.id))
        let key = appendConversionKey(m.id, other.id, day: m.day, m.money, other.money, counter: &counter)
        if institutionName < 0 { institutionName = batch.name(profile.institution) }
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(min(m.day, other.day).ordinal), kind: .conversion, isDerived: false, hasCost: true, line: Int32(m.line), record: Int32(m.index + 1),
            timestamp: timestamp, description: description, externalID: externalID, dedupKey: key,
            timeZone: timeZoneIndex(m.timeZone), payee: -1, platform: institutionName, client: -1,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        keepLastIfBalanced(line: m.line, record: m.index + 1)
    }

    /// Writes the dedup key of a whole conversion into the batch and counts it: both legs' ids
    /// (`paypal:conversion:A+B`), their shared id, or a fingerprint of the day and both amounts
    /// (numbered). The same key whether one file held both legs or an import paired them later.
    mutating func appendConversionKey(_ aID: String?, _ bID: String?, day: Day, _ aNet: Money, _ bNet: Money,
                                      counter: inout OccurrenceCounter) -> TransactionBatch.TextRef {
        var fingerprint = false
        let keyStart = batch.textEnd
        if let a = aID, let b = bID, profile.uniqueIDs {
            batch.appendText(inst); batch.appendText(":conversion:")
            batch.appendText(min(a, b)); batch.appendText("+"); batch.appendText(max(a, b))
        } else if let id = aID, id == bID {
            batch.appendText(inst); batch.appendText(":conversion:"); batch.appendText(id)
        } else {
            let legs = ["\(aNet.decimalString) \(aNet.currency.code)", "\(bNet.decimalString) \(bNet.currency.code)"].sorted().joined(separator: "+")
            batch.appendText("\(inst):fp:\(day)|conversion|\(legs)")
            fingerprint = true
        }
        var key = batch.textSince(keyStart)
        let n = batch.withText(key) { counter.bump($0) }
        if fingerprint || n > 1 {
            batch.appendText(UInt8(ascii: "#")); batch.appendText(String(n))
            key = batch.textSince(keyStart)
        }
        return key
    }

    /// A conversion told in one row (see ``singleConversion(_:)``) and the fee booked apart from it.
    mutating func bookConversion(_ leg: borrowing Movement, counter: inout OccurrenceCounter) {
        let m = copy leg
        let (t0, conversionFee) = singleConversion(m)
        var t = t0
        let baseKey: String
        var fingerprint = false
        if let id = m.id { baseKey = "\(inst):\(id):conversion" }
        else { baseKey = "\(inst):fp:\(m.day)|conversion|\(m.money.decimalString) \(m.currency.code)"; fingerprint = true }
        let n = Booker.occurrence(baseKey, &counter)
        let location = SourceLocation(file: file, line: m.line, record: m.index + 1)
        t.dedupKey = fingerprint ? "\(baseKey)#\(n)" : (n == 1 ? baseKey : "\(baseKey)#\(n)")
        t.source = location
        t.timestamp = m.timestamp
        t.timeZone = m.timeZone
        do {
            try t.validate()
            batch.append(t)
            if var fee = conversionFee {
                fee.dedupKey = (t.dedupKey ?? baseKey) + ":fee"
                fee.source = location; fee.timestamp = m.timestamp; fee.timeZone = m.timeZone
                try fee.validate()
                batch.append(fee)
            }
        } catch {
            sink.add(.error("ledger.unbalanced", error.description, at: location, hint: "this is a bug in the \(profile.name) profile; please report it with this row"))
        }
    }

    @inline(__always) static func bump(_ v: inout Int) -> Int { v += 1; return v }

    /// The description as the fingerprint key holds it: lowercased, runs of whitespace and `|`
    /// turned into one space, none at either end. ASCII text (nearly every statement) is done on
    /// bytes; any other byte takes the Unicode path (`normalizeForKeyUnicode`), which defines the result.
    static func normalizeForKey(_ s: String) -> String {
        var s = s
        if let fast = s.withUTF8({ normalizeForKeyASCII($0) }) { return fast }
        return normalizeForKeyUnicode(s)
    }

    /// `normalizeForKeyUnicode` for ASCII bytes, or nil at the first byte above 0x7F. On ASCII,
    /// `Character.isWhitespace` is true exactly for 0x09-0x0D and 0x20 (and `\r\n`, one Character
    /// made of two of them), and `lowercased` maps only A-Z.
    static func normalizeForKeyASCII(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        if b.isEmpty { return "" }
        var ascii = true
        let out = String(unsafeUninitializedCapacity: b.count) { out in
            var n = 0, space = false
            for c in b {
                if c >= 0x80 { ascii = false; return 0 }
                if c == 0x20 || c == 0x7C || (c >= 0x09 && c <= 0x0D) { space = n > 0; continue }
                if space { out[n] = 0x20; n += 1; space = false }
                out[n] = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
                n += 1
            }
            return n
        }
        return ascii ? out : nil
    }

    /// `ExactDecimal(significand: units, scale: scale).description` (`-1234.50`, `0.05`, `7`)
    /// written into `buf` (at least 64 bytes; scales above 30 are not money); returns the length.
    static func decimal(_ units: Int64, scale: Int, into buf: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let scale = min(max(scale, 0), 30)
        var digits: (UInt64, Int) = (units.magnitude, 0)
        // Digits from the least significant, at least scale + 1 of them.
        var k = 63
        repeat { buf[k] = UInt8(48 + digits.0 % 10); digits.0 /= 10; k -= 1; digits.1 += 1 } while digits.0 > 0
        while digits.1 <= scale { buf[k] = 48; k -= 1; digits.1 += 1 }
        var n = 0
        if units < 0 { buf[n] = 0x2D; n += 1 }
        for j in (k + 1)...63 {
            if scale > 0 && 63 - j == scale - 1 { buf[n] = 0x2E; n += 1 }
            buf[n] = buf[j]; n += 1
        }
        return n
    }

    static func normalizeForKeyUnicode(_ s: String) -> String {
        var out = ""
        var space = false
        for ch in s.lowercased() {
            if ch.isWhitespace || ch == "|" { space = !out.isEmpty; continue }
            if space { out.append(" "); space = false }
            out.append(ch)
        }
        return out
    }

    // MARK: conversions

    /// Pairs conversion legs on every link the platforms use: one leg names the other in its
    /// reference (one-way or both ways), both name the same parent, both carry the same id; legs
    /// with no such link pair by the same instant. Linked legs form groups (union-find), and in
    /// each group a leg sold is paired with a leg bought in another currency, direct references first.
    func pairConversions(_ ms: [Movement], order: [Int], partner: inout [Int]) {
        var legs: [Int] = []
        for i in order where ms[i].cls == .conversion && ms[i].filtered == nil && ms[i].counter == nil && ms[i].net != 0 { legs.append(i) }
        if legs.isEmpty { return }
        var parent = Array(0..<legs.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) { let ra = find(a), rb = find(b); if ra != rb { parent[max(ra, rb)] = min(ra, rb) } }
        var byID: [String: Int] = [:], byRef: [String: Int] = [:]
        byID.reserveCapacity(legs.count)
        for (k, i) in legs.enumerated() {
            guard let id = ms[i].id, !id.isEmpty else { continue }
            if let o = byID[id] { union(k, o) } else { byID[id] = k }
        }
        var linked = [Bool](repeating: false, count: legs.count)
        for (k, i) in legs.enumerated() {
            guard let r = ms[i].ref, !r.isEmpty else { continue }
            linked[k] = true
            if let o = byID[r] { union(k, o); linked[o] = true }
            if let o = byRef[r] { union(k, o) } else { byRef[r] = k }
        }
        if !profile.uniqueIDs {
            for (k, i) in legs.enumerated() where ms[i].id.map({ !$0.isEmpty }) ?? false { linked[k] = true }
        }
        // Legs that no id or reference links: the same instant is their link.
        var byTime: [Int: Int] = [:]
        for (k, i) in legs.enumerated() where !linked[k] && find(k) == k {
            let t = ms[i].day.ordinal &* 100_000 &+ ms[i].seconds
            if let o = byTime[t] { union(k, o) } else { byTime[t] = k }
        }
        // Members of each group, in booking order.
        var members: [Int: [Int]] = [:]
        for k in legs.indices { let r = find(k); if r != k { members[r, default: [r]].append(k) } }
        func pair(_ a: Int, _ b: Int) { partner[a] = b; partner[b] = a }
        func fits(_ a: Int, _ b: Int) -> Bool {
            partner[a] < 0 && partner[b] < 0 && (ms[a].net < 0) != (ms[b].net < 0) && ms[a].currency != ms[b].currency
        }
        for (_, group) in members {
            let ks = group.sorted()
            let m = ks.map { legs[$0] }
            if m.count == 2 { if fits(m[0], m[1]) { pair(m[0], m[1]) }; continue }
            // Direct references first, then a leg sold with the next leg bought in another currency.
            for a in m {
                guard let r = ms[a].ref, !r.isEmpty, let k = byID[r] else { continue }
                let b = legs[k]
                if b != a && fits(a, b) { pair(a, b) }
            }
            for a in m where partner[a] < 0 && ms[a].net < 0 {
                if let b = m.first(where: { fits(a, $0) }) { pair(a, b) }
            }
        }
    }

    /// Links the file's conversion legs with the legs the ledger holds on their own: a file leg
    /// that is such a ledger leg again (a re-exported period) is booked on its own, and so is its
    /// partner; a lone file leg pairs with the ledger leg it links to.
    func matchLedgerLegs(_ ms: [Movement], order: [Int], partner: [Int], lone: inout [Bool], ledgerPartner: inout [Int]) {
        lone = [Bool](repeating: false, count: ms.count)
        ledgerPartner = [Int](repeating: -1, count: ms.count)
        var byKey: [String: Int] = [:]
        // Keyed with and without the occurrence number (`#1`) that fingerprint keys carry.
        for (k, o) in openLegs.enumerated() { byKey[o.key] = k; if let h = o.key.firstIndex(of: "#") { byKey[String(o.key[..<h])] = k } }
        var used = [Bool](repeating: false, count: openLegs.count)
        let legs = order.filter { ms[$0].cls == .conversion && ms[$0].filtered == nil && ms[$0].counter == nil && ms[$0].net != 0 }
        for i in legs {
            if let k = byKey[loneKeyBase(ms[i])] {
                used[k] = true
                lone[i] = true
                if partner[i] >= 0 { lone[partner[i]] = true }
            }
        }
        for i in legs where partner[i] < 0 && !lone[i] {
            let leg = legInfo(ms[i], key: "")
            if let k = openLegs.indices.first(where: { !used[$0] && leg.pairs(with: openLegs[$0], idsAreUnique: profile.uniqueIDs) }) {
                used[k] = true
                ledgerPartner[i] = k
            }
        }
    }

    /// The key of a leg booked on its own, before its occurrence number.
    func loneKeyBase(_ m: borrowing Movement) -> String {
        if let id = m.id, !id.isEmpty { return "\(inst):conversion-leg:\(id)" }
        return "\(inst):fp:\(m.day)|conversion-leg|\(m.money.decimalString) \(m.currency.code)"
    }

    func legInfo(_ m: borrowing Movement, key: String) -> ConversionLeg {
        ConversionLeg(institution: inst, key: key, id: m.id.flatMap { $0.isEmpty ? nil : $0 }, reference: m.ref.flatMap { $0.isEmpty ? nil : $0 },
                      day: m.day, seconds: m.seconds, gross: Money(minorUnits: m.gross, currency: m.currency), net: m.money,
                      source: SourceLocation(file: file, line: m.line))
    }

    /// One conversion leg on its own: `assets:X` by the leg (with its fee), the other side in
    /// ``ConversionLeg/suspense`` until the leg in the other currency is imported.
    mutating func bookLoneLeg(_ m: borrowing Movement, counter: inout OccurrenceCounter) -> ConversionLeg {
        if suspenseIndex < 0 { suspenseIndex = batch.account(ConversionLeg.suspense) }
        let cur = currencyIndex(m.currency)
        let firstLeg = batch.legCount
        batch.addLeg(account: ids.assets, currency: cur, amount: m.gross)
        if m.fee != 0 { batch.addLeg(account: ids.assets, currency: cur, amount: m.fee); batch.addLeg(account: ids.fees, currency: cur, amount: -m.fee) }
        batch.addLeg(account: suspenseIndex, currency: cur, amount: -m.gross)
        let base = loneKeyBase(m)
        let fingerprint = m.id == nil || m.id!.isEmpty
        let n = Booker.occurrence(base, &counter)
        let key = fingerprint || n > 1 ? "\(base)#\(n)" : base
        if institutionName < 0 { institutionName = batch.name(profile.institution) }
        let description = m.description.isEmpty ? "Conversion leg \(m.currency.code) (other leg not yet imported)" : m.description
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(m.day.ordinal), kind: .conversion, isDerived: false, hasCost: false, line: Int32(m.line), record: Int32(m.index + 1),
            timestamp: batch.text(m.timestamp), description: batch.text(description), externalID: batch.text(m.id), dedupKey: batch.text(key),
            timeZone: timeZoneIndex(m.timeZone), payee: -1, platform: institutionName, client: -1,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        keepLastIfBalanced(line: m.line, record: m.index + 1)
        return legInfo(m, key: key)
    }

    /// Pairs two legs booked on their own: moves both out of the suspense account at the
    /// conversion's price (`-100.00 USD @@ 92.15 EUR`, `92.15 EUR`). Its key is the key the two legs
    /// would have had booked together, so a later file holding both legs adds nothing twice.
    mutating func bookPairing(_ a: ConversionLeg, _ b: ConversionLeg, line: Int, record: Int, counter: inout OccurrenceCounter) -> String {
        if suspenseIndex < 0 { suspenseIndex = batch.account(ConversionLeg.suspense) }
        let (from, to) = a.gross.minorUnits < 0 ? (a, b) : (b, a)
        let fc = currencyIndex(from.gross.currency), tc = currencyIndex(to.gross.currency)
        let firstLeg = batch.legCount
        batch.addLeg(account: suspenseIndex, currency: fc, amount: from.gross.minorUnits, costCurrency: tc, cost: abs(to.gross.minorUnits))
        batch.addLeg(account: suspenseIndex, currency: tc, amount: to.gross.minorUnits)
        // The key the two legs get when one file holds both (``bookConversionPair``): the earlier leg first.
        let first = a.day <= b.day ? a : b, second = a.day <= b.day ? b : a
        let keyRef = appendConversionKey(first.id, second.id, day: first.day, first.net, second.net, counter: &counter)
        let key = batch.withText(keyRef) { String(decoding: $0, as: UTF8.self) }
        if institutionName < 0 { institutionName = batch.name(profile.institution) }
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(min(a.day, b.day).ordinal), kind: .conversion, isDerived: false, hasCost: true, line: Int32(line), record: Int32(record),
            timestamp: .none, description: batch.text("Conversion \(from.gross.currency.code) → \(to.gross.currency.code) (legs imported apart)"),
            externalID: batch.text(from.id ?? to.id), dedupKey: keyRef,
            timeZone: -1, payee: -1, platform: institutionName, client: -1,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        keepLastIfBalanced(line: line, record: record)
        return key
    }

    /// A conversion told in one row (Wise): this side from the row, the other from the exchange columns.
    ///
    /// Both balances' statements list the same conversion under the same id, but only the source
    /// side knows the fee. So the conversion itself is booked identically from either side (one key,
    /// added once whichever file comes first) and the source side's fee is its own transaction
    /// (key `…:fee`): importing the files in any order keeps the fee exactly once.
    func singleConversion(_ m: Movement) -> (conversion: Transaction, fee: Transaction?) {
        // Callers only book single-row conversions that carry their other side.
        let c = m.counter ?? .zero(m.currency)
        var postings: [Posting]
        var fee: Transaction?
        let (f, t) = m.net < 0 ? (m.currency, c.currency) : (c.currency, m.currency)
        let description = m.description.isEmpty ? "Conversion \(f.code) → \(t.code)" : m.description
        if m.net < 0 {
            let converted = Money(minorUnits: m.net + m.conversionFee, currency: m.currency)
            postings = [Posting(assets, converted, cost: c.magnitude), Posting(assets, c.magnitude)]
            if m.conversionFee != 0 {
                fee = Transaction(date: m.day, description: "Fee: " + description, kind: .fee, postings: [
                    Posting(fees, Money(minorUnits: m.conversionFee, currency: m.currency)),
                    Posting(assets, Money(minorUnits: -m.conversionFee, currency: m.currency)),
                ], platform: profile.institution, externalID: m.id)
            }
        } else {
            postings = [Posting(assets, -c.magnitude, cost: m.money.magnitude), Posting(assets, m.money)]
        }
        var conversion = Transaction(date: m.day, description: description, kind: .conversion, postings: postings,
                                     platform: profile.institution, externalID: m.id)
        // The receiving side derives the amount sold from the rate; the selling side states it.
        conversion.isDerived = m.net >= 0
        return (conversion, fee)
    }

    // MARK: ordinary rows

    struct Attribution { var platform: String?; var client: String?; var account: Account? }

    mutating func attribute(_ m: Movement, payer: String?) -> Attribution {
        // The usual case (no rule reads descriptions, the row names its payer) keys the cache by
        // the name itself, without building a string.
        let cacheKey: String
        if !rulesSeeDescription, let who = payer ?? m.name, payer == nil || m.name == nil || payer == m.name { cacheKey = who }
        else { cacheKey = (payer ?? "") + "\u{1}" + (m.name ?? "") + "\u{1}" + m.description }
        if let a = attributionCache[cacheKey] { return a }
        let hay = [payer, m.name].compactMap { $0 } + (payer == nil && m.name == nil ? [m.description] : [])
        var result = Attribution(platform: nil, client: nil, account: nil)
        ruleLoop: for rule in userRules + profile.categoryRules {
            let fields: [String]
            switch rule.field?.lowercased() {
            case "payee", "name": fields = [payer, m.name].compactMap { $0 }
            case "description": fields = [m.description]
            default: fields = [payer, m.name, m.description].compactMap { $0 }
            }
            if fields.contains(where: { $0.range(of: rule.pattern, options: [.caseInsensitive, .diacriticInsensitive]) != nil }) {
                result = Attribution(platform: rule.platform, client: rule.client, account: rule.account.flatMap { try? Account($0) })
                attributionCache[cacheKey] = result
                return result
            }
        }
        let lowered = hay.map { $0.lowercased() }
        let own = profile.institution.lowercased()
        for (i, p) in Booker.knownPlatformsLower.enumerated() where p != own && lowered.contains(where: { $0.contains(p) }) {
            result = Attribution(platform: Booker.knownPlatforms[i], client: nil, account: nil)
            break
        }
        attributionCache[cacheKey] = result
        return result
    }

    mutating func income(_ name: String) -> Account {
        if let a = incomeCache[name] { return a }
        let a = Account(.income, name)
        incomeCache[name] = a
        return a
    }

    /// The payer named in a description when the row has no name column: `Payment from ACME`,
    /// `Received money from ACME with reference …`.
    static func payerFromDescription(_ d: String) -> String? {
        guard let f = d.utf8.first, f == 0x52 || f == 0x72 || f == 0x50 || f == 0x70 || f == 0x5A || f == 0x7A else { return nil }
        let lower = d.lowercased()
        for prefix in ["received money from ", "payment from ", "received from ", "pago de ", "zahlung von "] {
            if lower.hasPrefix(prefix) {
                var rest = String(d.dropFirst(prefix.count))
                if let r = rest.range(of: " with reference") { rest = String(rest[..<r.lowerBound]) }
                if let r = rest.range(of: " — ") { rest = String(rest[..<r.lowerBound]) }
                let t = rest.trimmingCharacters(in: .whitespaces)
                return t.isEmpty ? nil : t
            }
        }
        return nil
    }

    /// What an ordinary row's payer resolves to, as indices in the batch tables: computed once
    /// per distinct payer (with the attribution) rather than once per row.
    struct Party {
        var payee: Int32
        var platform: Int32
        /// Client and income account when the money came from the counterparty, and otherwise.
        var clientFromCounterparty: Int32, client: Int32
        var incomeFromCounterparty: Int32, income: Int32
        var expense: Int32
        /// A rule's account, when a rule gave one.
        var ruleAccount: Int32?
        /// A rule's account that is the user's own money turns income or spending into this kind.
        var ownMoneyKind: TransactionKind?
    }

    mutating func party(_ m: borrowing Movement) -> Party {
        let payer = (m.name?.isEmpty == false ? m.name : nil) ?? Booker.payerFromDescription(m.description)
        // The usual case (no rule reads descriptions, the row names its payer) keys the cache by
        // the name itself, without building a string. The key determines the payer.
        let cacheKey: String
        if !rulesSeeDescription, let who = payer ?? m.name, payer == nil || m.name == nil || payer == m.name { cacheKey = who }
        else { cacheKey = (payer ?? "") + "\u{1}" + (m.name ?? "") + "\u{1}" + m.description }
        if let p = partyCache[cacheKey] { return p }
        let attr = attribute(m, payer: payer)
        let counterpartyClient = attr.client ?? (attr.platform == nil && profile.incomeFromCounterparty ? payer : nil)
        func incomeAccount(_ client: String?) -> Account {
            attr.account ?? (attr.platform.map { income($0) } ?? client.map { income($0) } ?? fallbackIncome)
        }
        var own: TransactionKind?
        if let a = attr.account {
            // A user rule that sends the other side to an asset or a liability makes the row a movement of
            // the user's own money, not income or spending: settling an invoice (a receivable) is a payment,
            // money arriving from another platform of theirs is a transfer.
            if a.isUnder(Account(.assets, "receivable")) || a.isUnder(Account(.liabilities, "payable")) { own = .payment }
            else if a.root == .assets || a.root == .liabilities || a.root == .equity { own = .transfer }
        }
        let p = Party(payee: batch.name(payer), platform: batch.name(attr.platform ?? profile.institution),
                      clientFromCounterparty: batch.name(counterpartyClient), client: batch.name(attr.client),
                      incomeFromCounterparty: batch.account(incomeAccount(counterpartyClient)), income: batch.account(incomeAccount(attr.client)),
                      expense: batch.account(attr.account ?? Booker.uncategorized),
                      ruleAccount: attr.account.map { batch.account($0) }, ownMoneyKind: own)
        partyCache[cacheKey] = p
        return p
    }

    /// Books an ordinary row (earning, fee, payout, refund…) straight into the batch.
    mutating func bookOrdinary(_ m: borrowing Movement, counter: inout OccurrenceCounter) {
        let party = party(m)
        // Only money that came from someone has a client; a shop paid by the user is just the payee.
        let fromCounterparty = m.cls == .earning || m.cls == .chargeback || (m.cls == .refund && m.net < 0)
        let client = fromCounterparty ? party.clientFromCounterparty : party.client
        let incomeAccount = fromCounterparty ? party.incomeFromCounterparty : party.income
        let counterAccount: Int32
        var kind: TransactionKind
        switch m.cls {
        case .earning: counterAccount = incomeAccount; kind = .earning
        case .expense: counterAccount = party.expense; kind = .expense
        case .fee: counterAccount = ids.fees; kind = .fee
        case .refund: counterAccount = m.net < 0 ? incomeAccount : party.expense; kind = .refund
        case .chargeback: counterAccount = incomeAccount; kind = .chargeback
        case .payout: counterAccount = party.ruleAccount ?? ids.pending; kind = .payout
        case .deposit, .fundingDeposit: counterAccount = party.ruleAccount ?? ids.pending; kind = .transfer
        case .transfer, .hold, .authorization: counterAccount = ids.reserved; kind = .transfer
        case .adjustment:
            counterAccount = m.net >= 0 ? ids.adjustmentsIncome : ids.adjustmentsExpense
            kind = .adjustment
        default: counterAccount = party.expense; kind = .other
        }
        if let own = party.ownMoneyKind, kind == .earning || kind == .expense || kind == .other { kind = own }
        let cur = currencyIndex(m.currency)
        let firstLeg = batch.legCount
        var hasCost = false
        batch.addLeg(account: ids.assets, currency: cur, amount: m.net)
        if bankStatement, let foreign = m.counter, foreign.currency.code != m.currency.code {
            // A bank entry in another currency than the account's (camt `AmtDtls`, OFX `ORIGCURRENCY`):
            // the account moves by its own currency's amount, the other side is the instructed
            // amount at the price the bank applied (`@@`).
            hasCost = true
            batch.addLeg(account: counterAccount, currency: currencyIndex(foreign.currency), amount: -foreign.minorUnits,
                         costCurrency: cur, cost: m.net < 0 ? -m.net : m.net)
        } else if m.fee != 0 && counterAccount != ids.fees {
            batch.addLeg(account: ids.fees, currency: cur, amount: -m.fee)
            batch.addLeg(account: counterAccount, currency: cur, amount: -m.gross)
        } else {
            batch.addLeg(account: counterAccount, currency: cur, amount: -m.net)
        }
        let timestamp = batch.text(m.timestamp)
        let description = batch.text(m.description)
        let externalID = batch.text(m.id)
        // The dedup key, written where it will be stored, then counted.
        var key: TransactionBatch.TextRef
        var fingerprint = false
        if let id = m.id, !id.isEmpty, profile.uniqueIDs {
            let start = batch.textEnd
            batch.appendText(inst); batch.appendText(UInt8(ascii: ":")); batch.appendText(id)
            key = batch.textSince(start)
        } else if let id = m.id, !id.isEmpty {
            key = batch.text("\(inst):\(id)|\(m.day)|\(m.money.decimalString) \(m.currency.code)")
        } else {
            // `inst:fp:day|amount CUR|description|balance[|extra]`, written piece by piece where it
            // is stored (an interpolated String per row showed in the profile).
            let start = batch.textEnd
            batch.appendText(inst); batch.appendText(":fp:")
            let d = m.day
            if d.year >= 0 && d.year <= 9999 {
                func two(_ v: Int) { batch.appendText(UInt8(48 + v / 10 % 10)); batch.appendText(UInt8(48 + v % 10)) }
                two(d.year / 100); two(d.year % 100); batch.appendText(UInt8(ascii: "-")); two(d.month); batch.appendText(UInt8(ascii: "-")); two(d.day)
            } else {
                batch.appendText(d.description)
            }
            batch.appendText(UInt8(ascii: "|"))
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buf in
                _ = batch.text(bytes: UnsafeBufferPointer(rebasing: buf[0..<Booker.decimal(m.money.minorUnits, scale: m.money.currency.exponent, into: buf)]))
            }
            batch.appendText(UInt8(ascii: " ")); batch.appendText(m.currency.code)
            batch.appendText(UInt8(ascii: "|")); batch.appendText(Booker.normalizeForKey(m.description))
            batch.appendText(UInt8(ascii: "|")); if let b = m.balance { batch.appendText(String(b)) } else { batch.appendText(UInt8(ascii: "-")) }
            if let e = m.extra { batch.appendText(UInt8(ascii: "|")); batch.appendText(e) }
            key = batch.textSince(start)
            fingerprint = true
        }
        let n = batch.withText(key) { counter.bump($0) }
        if fingerprint || n > 1 {
            batch.appendText(UInt8(ascii: "#")); batch.appendText(String(n))
            key = batch.textSince(Int(key.start))
        }
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(m.day.ordinal), kind: kind, isDerived: false, hasCost: hasCost, line: Int32(m.line), record: Int32(m.index + 1),
            timestamp: timestamp, description: description, externalID: externalID, dedupKey: key,
            timeZone: timeZoneIndex(m.timeZone), payee: party.payee, platform: party.platform, client: client,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        keepLastIfBalanced(line: m.line, record: m.index + 1)
    }

    /// Keeps the entry just added if it balances; otherwise takes it out and reports the row (a
    /// profile that books a row wrongly is a bug, never a silent loss).
    mutating func keepLastIfBalanced(line: Int, record: Int) {
        do { try batch.validateLast() } catch {
            batch.removeLast()
            sink.add(.error("ledger.unbalanced", error.description, at: SourceLocation(file: file, line: line, record: record),
                            hint: "this is a bug in the \(profile.name) profile; please report it with this row"))
        }
    }

    /// The batch index of a currency; rows mostly repeat the previous one's.
    mutating func currencyIndex(_ c: CurrencyCode) -> Int32 {
        if let l = lastCurrency, l.code.code == c.code { return l.index }
        let i = batch.currency(c)
        lastCurrency = (c, i)
        return i
    }

    mutating func timeZoneIndex(_ z: String?) -> Int32 {
        guard let z else { return -1 }
        if let l = lastTimeZone, l.name == z { return l.index }
        let i = batch.name(z)
        lastTimeZone = (z, i)
        return i
    }

    // MARK: running balances

    /// Compares what was booked with the balances the file states (see ``BalanceChain``).
    mutating func balanceChecks(_ ms: [Movement], booked: [Int64], order: [Int], newestFirst: Bool) -> ([BalanceCheck], BalanceSummary) {
        var chain = BalanceChain(file: file, account: assets, field: balanceField, profile: profile.name)
        let (checks, summary) = chain.run(ms, booked: booked, chronological: order, newestFirst: newestFirst)
        for d in chain.diagnostics { sink.add(d) }
        return (checks, summary)
    }

    /// Stripe files have no running balance, but every row names the payout that swept it: the
    /// rows of a payout must add up to the payout itself, or a row is missing.
    mutating func payoutChecks(_ ms: [Movement], order: [Int]) {
        var groups: [String: (payout: Int?, sum: Int64, rows: Int)] = [:]
        var keys: [String] = []
        for i in order where ms[i].filtered == nil {
            guard let p = ms[i].payout, !p.isEmpty else { continue }
            if groups[p] == nil { keys.append(p); groups[p] = (nil, 0, 0) }
            if ms[i].cls == .payout && ms[i].net < 0 && groups[p]!.payout == nil { groups[p]!.payout = i }
            else { groups[p]!.sum = groups[p]!.sum &+ ms[i].net; groups[p]!.rows += 1 }
        }
        for k in keys {
            guard let g = groups[k], let pi = g.payout, g.rows > 0 else { continue }
            let paid = -ms[pi].net
            if paid != g.sum {
                let cur = ms[pi].currency
                sink.add(.warning("import.payout", "payout \(k) of \(Money(minorUnits: paid, currency: cur)) does not match its \(g.rows) row(s) in this file, which add up to \(Money(minorUnits: g.sum, currency: cur))",
                                  at: SourceLocation(file: file, line: ms[pi].line, record: ms[pi].index + 1, field: balanceField),
                                  hint: "the export may not cover the whole payout period; export the payout's full period to check it"))
            }
        }
    }

}

import Foundation
