import SaldoCore

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

    init(file: String, profile: StatementProfile, userRules: [CategoryRule], balanceField: String?, sink: DiagnosticSink) {
        self.file = file; self.profile = profile; self.userRules = userRules; self.balanceField = balanceField; self.sink = sink
        inst = Account.normalizeComponent(profile.institution)
        assets = Account(.assets, profile.institution)
        fees = Account(.expenses, "fees", profile.institution)
        reserved = Account(.assets, profile.institution, "reserved")
        // A bank statement (Norma 43) names no platform: unknown income stays uncategorised.
        fallbackIncome = profile.name == Norma43Reader.profileName ? Account(.income, "uncategorized") : Account(.income, profile.institution)
        rulesSeeDescription = (userRules + profile.categoryRules).contains { $0.field?.lowercased() != "payee" && $0.field?.lowercased() != "name" }
        var b = TransactionBatchBuilder(sourceFile: file)
        ids = FixedAccounts(assets: b.account(assets), fees: b.account(fees), pending: b.account(Booker.pending), reserved: b.account(reserved),
                            adjustmentsIncome: b.account(Account(.income, "adjustments", profile.institution)),
                            adjustmentsExpense: b.account(Account(.expenses, "adjustments", profile.institution)))
        batch = b
    }
    static let pending = Account(.assets, "transfers", "pending")
    static let uncategorized = Account(.expenses, "uncategorized")

    /// Platforms whose name in a payer field means the money came from that platform.
    static let knownPlatforms = ["Prolific", "Upwork", "Fiverr", "Toloka", "Appen", "TELUS", "Outlier", "Remotasks", "DataAnnotation",
                                 "Amazon Mechanical Turk", "MTurk", "Deel", "Payoneer", "Etsy", "Gumroad", "Patreon", "Stripe", "Freelancer.com",
                                 "Contra", "Malt", "Toptal", "Lionbridge", "TransPerfect", "Respondent", "UserTesting"]

    struct Output {
        var transactions: [Transaction] = []
        var filtered: [FilteredRow] = []
        var checks: [BalanceCheck] = []
    }

    /// Booking order: oldest first. A file listed newest first is reversed, then rows are sorted
    /// stably by date and time, so rows of the same instant keep their relative booking order.
    static func bookingOrder(_ ms: [Movement]) -> [Int] {
        guard let first = ms.first, let last = ms.last else { return [] }
        var idx = Array(ms.indices)
        // Direction: the running balances say it best (they chain forward in an oldest-first
        // file and backward in a newest-first one); the dates decide when they cannot.
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
                if b == pb &+ ms[i].net { forward += 1 }
                if pb == b &+ ms[p].net { backward += 1 }
            }
            previous[k] = i
        }
        if backward > forward || (backward == forward && first.sortKey > last.sortKey) { idx.reverse() }
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
        let order = Booker.bookingOrder(ms)
        var position = [Int](repeating: 0, count: ms.count)
        for (p, i) in order.enumerated() { position[i] = p }

        // Pair conversion legs.
        var partner = [Int](repeating: -1, count: ms.count)
        pairConversions(ms, order: order, partner: &partner)
        for i in order where ms[i].cls == .conversion && ms[i].filtered == nil && partner[i] < 0 && ms[i].counter == nil {
            ms[i].filtered = "currency conversion leg whose other leg is not in this file"
            sink.add(.warning("import.conversion", "conversion of \(ms[i].money) has no matching leg in the other currency in this file; it is not imported",
                              at: SourceLocation(file: file, line: ms[i].line, record: ms[i].index + 1),
                              hint: "export a period that contains both legs of the conversion"))
        }

        var counter = OccurrenceCounter(expected: ms.count)
        for i in order {
            defer { ms[i].releaseTexts() }
            if let reason = ms[i].filtered {
                let m = ms[i]
                out.filtered.append(FilteredRow(location: SourceLocation(file: file, line: m.line, record: m.index + 1), reason: reason, summary: summary(m)))
                continue
            }
            let p = partner[i]
            if p >= 0 && position[p] < position[i] { continue }   // booked with its partner
            if ms[i].cls == .conversion && p >= 0 {
                bookConversionPair(ms[i], ms[p], counter: &counter)
            } else if ms[i].cls == .conversion {
                bookConversion(ms[i], counter: &counter)
            } else {
                bookOrdinary(ms[i], counter: &counter)
            }
            if batch.count >= batchSize { emit(batch.take()) }
        }
        if batch.count > 0 { emit(batch.take()) }
        handedOver()
        out.checks = balanceChecks(ms, order: order)
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
        var key: TransactionBatch.TextRef
        var fingerprint = false
        let keyStart = batch.textEnd
        if let a = m.id, let b = other.id, profile.uniqueIDs {
            batch.appendText(inst); batch.appendText(":conversion:")
            batch.appendText(min(a, b)); batch.appendText("+"); batch.appendText(max(a, b))
        } else if let id = m.id, id == other.id {
            batch.appendText(inst); batch.appendText(":conversion:"); batch.appendText(id)
        } else {
            let legs = ["\(m.money.decimalString) \(m.currency.code)", "\(other.money.decimalString) \(other.currency.code)"].sorted().joined(separator: "+")
            batch.appendText("\(inst):fp:\(m.day)|conversion|\(legs)")
            fingerprint = true
        }
        key = batch.textSince(keyStart)
        let n = batch.withText(key) { counter.bump($0) }
        if fingerprint || n > 1 {
            batch.appendText(UInt8(ascii: "#")); batch.appendText(String(n))
            key = batch.textSince(keyStart)
        }
        if institutionName < 0 { institutionName = batch.name(profile.institution) }
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(min(m.day, other.day).ordinal), kind: .conversion, isDerived: false, hasCost: true, line: Int32(m.line), record: Int32(m.index + 1),
            timestamp: timestamp, description: description, externalID: externalID, dedupKey: key,
            timeZone: timeZoneIndex(m.timeZone), payee: -1, platform: institutionName, client: -1,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        do { try batch.validateLast() } catch {
            batch.removeLast()
            sink.add(.error("ledger.unbalanced", error.description, at: SourceLocation(file: file, line: m.line, record: m.index + 1),
                            hint: "this is a bug in the \(profile.name) profile; please report it with this row"))
        }
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

    func summary(_ m: Movement) -> String {
        let s = "\(m.day) \(m.money.decimalString) \(m.currency.code) \(m.description)"
        // Trimmed by hand: Foundation's trimming bridges through NSString (slow for 20k filtered rows).
        guard s.last == " " || s.last == "\t" else { return s }
        return String(s.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    static func normalizeForKey(_ s: String) -> String {
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

    /// Pairs conversion legs: legs that share a parent (`Reference Txn ID`), that reference each
    /// other, that share an id (Revolut Business), or failing those that share a timestamp.
    func pairConversions(_ ms: [Movement], order: [Int], partner: inout [Int]) {
        var legs: [Int] = []
        for i in order where ms[i].cls == .conversion && ms[i].filtered == nil && ms[i].counter == nil { legs.append(i) }
        if legs.isEmpty { return }
        var idCount: [String: Int] = [:]
        idCount.reserveCapacity(legs.count)
        for i in legs { if let id = ms[i].id { idCount[id, default: 0] += 1 } }
        // Three kinds of group key, kept apart without building strings.
        var byRef: [String: Int32] = [:], byID: [String: Int32] = [:], byTime: [Int: Int32] = [:]
        byRef.reserveCapacity(legs.count)
        var groupOf = [Int32](repeating: 0, count: legs.count)
        var groups: Int32 = 0
        func group<K: Hashable>(_ key: K, _ table: inout [K: Int32]) -> Int32 {
            if let g = table[key] { return g }
            table[key] = groups; groups += 1
            return groups - 1
        }
        for (k, i) in legs.enumerated() {
            if let r = ms[i].ref, !r.isEmpty {
                let key = idCount[r] != nil ? (ms[i].id.map { min($0, r) } ?? r) : r
                groupOf[k] = group(key, &byRef)
            } else if let id = ms[i].id, !profile.uniqueIDs || idCount[id, default: 0] > 1 {
                groupOf[k] = group(id, &byID)
            } else {
                groupOf[k] = group(ms[i].day.ordinal &* 100_000 &+ ms[i].seconds, &byTime)
            }
        }
        // Members of each group, in booking order, laid out group after group (a counting sort).
        var start = [Int](repeating: 0, count: Int(groups) + 1)
        for g in groupOf { start[Int(g) + 1] += 1 }
        for g in 0..<Int(groups) { start[g + 1] += start[g] }
        var fill = start
        var members = [Int](repeating: 0, count: legs.count)
        for (k, i) in legs.enumerated() { let g = Int(groupOf[k]); members[fill[g]] = i; fill[g] += 1 }
        for g in 0..<Int(groups) {
            let m = members[start[g]..<start[g + 1]]
            // The usual group: one leg out, one leg in, in two currencies.
            if m.count == 2, let a = m.first, let b = m.last {
                if ms[a].net < 0 && ms[b].net > 0 && ms[a].currency != ms[b].currency { partner[a] = b; partner[b] = a; continue }
                if ms[b].net < 0 && ms[a].net > 0 && ms[a].currency != ms[b].currency { partner[a] = b; partner[b] = a; continue }
            }
            var neg = m.filter { ms[$0].net < 0 }
            var pos = m.filter { ms[$0].net > 0 }
            while let a = neg.first {
                guard let j = pos.firstIndex(where: { ms[$0].currency != ms[a].currency }) else { break }
                let b = pos.remove(at: j)
                neg.removeFirst()
                partner[a] = b; partner[b] = a
            }
        }
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
        for prefix in ["Received money from ", "Payment from ", "Received from ", "Pago de ", "Zahlung von "] {
            if d.lowercased().hasPrefix(prefix.lowercased()) {
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
        case .transfer: counterAccount = ids.reserved; kind = .transfer
        case .adjustment:
            counterAccount = m.net >= 0 ? ids.adjustmentsIncome : ids.adjustmentsExpense
            kind = .adjustment
        default: counterAccount = party.expense; kind = .other
        }
        if let own = party.ownMoneyKind, kind == .earning || kind == .expense || kind == .other { kind = own }
        let cur = currencyIndex(m.currency)
        let firstLeg = batch.legCount
        batch.addLeg(account: ids.assets, currency: cur, amount: m.net)
        if m.fee != 0 && counterAccount != ids.fees {
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
            key = batch.text("\(inst):fp:\(m.day)|\(m.money.decimalString) \(m.currency.code)|\(Booker.normalizeForKey(m.description))|\(m.balance.map { String($0) } ?? "-")\(m.extra.map { "|" + $0 } ?? "")")
            fingerprint = true
        }
        let n = batch.withText(key) { counter.bump($0) }
        if fingerprint || n > 1 {
            batch.appendText(UInt8(ascii: "#")); batch.appendText(String(n))
            key = batch.textSince(Int(key.start))
        }
        batch.addEntry(TransactionBatch.Entry(
            day: Int32(m.day.ordinal), kind: kind, isDerived: false, hasCost: false, line: Int32(m.line), record: Int32(m.index + 1),
            timestamp: timestamp, description: description, externalID: externalID, dedupKey: key,
            timeZone: timeZoneIndex(m.timeZone), payee: party.payee, platform: party.platform, client: client,
            firstLeg: firstLeg, legCount: batch.legCount - firstLeg))
        do { try batch.validateLast() } catch {
            batch.removeLast()
            sink.add(.error("ledger.unbalanced", error.description, at: SourceLocation(file: file, line: m.line, record: m.index + 1),
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

    /// Checks the stated running balance per currency in booking order, and returns every break
    /// plus the last check that held per currency (the closing balance). Rows of the same instant
    /// may be listed in any order, so such a group passes when one of its stated balances equals
    /// the balance after the whole group.
    mutating func balanceChecks(_ ms: [Movement], order: [Int]) -> [BalanceCheck] {
        var checks: [BalanceCheck] = []
        var byCurrency: [CurrencyCode: [Int]] = [:]
        var currencies: [CurrencyCode] = []
        var lists: [[Int]] = []
        for i in order where ms[i].affectsBalance && (ms[i].filtered == nil || ms[i].cls.filteredButAffectsBalance || ms[i].cls == .conversion) {
            // A file holds a handful of currencies: a linear search beats hashing here.
            let c = ms[i].currency
            if let k = currencies.firstIndex(of: c) { lists[k].append(i) } else { currencies.append(c); lists.append([i]) }
        }
        for (k, c) in currencies.enumerated() { byCurrency[c] = lists[k] }
        lists = []
        for cur in currencies {
            let rows = byCurrency[cur]!
            var runningC: Int64? = nil
            var lastRowsC: ArraySlice<Int> = []
            var closingC: Int? = nil
            var k = 0
            while k < rows.count {
                var e = k + 1
                let key = ms[rows[k]].sortKey
                let exact = ms[rows[k]].seconds >= 0
                while exact && e < rows.count && ms[rows[e]].sortKey == key { e += 1 }
                let group = rows[k..<e]
                k = e
                guard let firstStated = group.first(where: { ms[$0].balance != nil }) else {
                    if let r = runningC { runningC = r &+ group.reduce(Int64(0)) { $0 &+ ms[$1].net } }
                    continue
                }
                if runningC == nil {
                    // Opening balance: derived from the first row that states one.
                    var before: Int64 = ms[firstStated].balance! &- ms[firstStated].net
                    for j in group { if j == firstStated { break }; before = before &- ms[j].net }
                    runningC = before
                }
                let start = runningC!
                // Row by row first.
                var r = start
                var rowOK = true
                var lastChecked = -1
                for j in group {
                    r = r &+ ms[j].net
                    if let b = ms[j].balance {
                        lastChecked = j
                        if b != r { rowOK = false }
                    }
                }
                let end = r
                if rowOK {
                    if lastChecked >= 0 { closingC = lastChecked }
                    runningC = end; lastRowsC = group; continue
                }
                if group.count > 1, let j = group.first(where: { ms[$0].balance == end }) {
                    closingC = j
                    runningC = end; lastRowsC = group
                    continue
                }
                let bad = group.first { ms[$0].balance != nil && ms[$0].balance != start &+ prefixSum(ms, group, upTo: $0) } ?? group.last!
                let stated = ms[bad].balance ?? end
                let computed = start &+ prefixSum(ms, group, upTo: bad)
                checks.append(check(ms[bad], stated: stated, computed: computed))
                let around = lastRowsC.suffix(2) + group.prefix(3)
                let context = around.map { "line \(ms[$0].line) (\(ms[$0].day) \(ms[$0].money.decimalString) balance \(ms[$0].balance.map { Money(minorUnits: $0, currency: cur).decimalString } ?? "-"))" }.joined(separator: "; ")
                let diff = Money(minorUnits: stated &- computed, currency: cur)
                sink.add(.warning("import.balance", "running balance breaks: the file states \(Money(minorUnits: stated, currency: cur)) after this row, but the rows before it add up to \(Money(minorUnits: computed, currency: cur)) (difference \(diff.decimalString))",
                                  at: SourceLocation(file: file, line: ms[bad].line, record: ms[bad].index + 1, field: balanceField),
                                  hint: "a row may be missing or altered near here; rows around it: \(context)"))
                runningC = ms[group.last!].balance ?? end
                lastRowsC = group
            }
            if let j = closingC, let b = ms[j].balance { checks.append(check(ms[j], stated: b, computed: b)) }
        }
        return checks
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

    func prefixSum(_ ms: [Movement], _ group: ArraySlice<Int>, upTo j: Int) -> Int64 {
        var s: Int64 = 0
        for g in group { s = s &+ ms[g].net; if g == j { break } }
        return s
    }

    func check(_ m: Movement, stated: Int64, computed: Int64) -> BalanceCheck {
        BalanceCheck(account: assets, date: m.day, stated: Money(minorUnits: stated, currency: m.currency),
                     computed: Money(minorUnits: computed, currency: m.currency),
                     location: SourceLocation(file: file, line: m.line, record: m.index + 1, field: balanceField))
    }
}

import Foundation
