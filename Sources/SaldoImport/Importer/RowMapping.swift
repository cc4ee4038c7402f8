import Foundation
import SaldoCore

extension CSVStatementReader {
    /// With credit/debit columns, fee columns that state what was already taken from the net (a
    /// profile maps up to four: `fee`, `totalFees`, `sourceFee`, `targetFee`).
    static let deductedFeeRoles: [ColumnRole] = [.fee, .totalFees, .sourceFee, .targetFee]

    /// Pass 2: every stored row becomes a movement (or a diagnostic). Rows are independent here,
    /// so a large file is mapped in two halves on two threads; the result, the diagnostics and
    /// their order are the same as from one pass.
    mutating func movements(notation: NumberNotation, order: DateOrder) -> [Movement] {
        self.notation = notation
        self.fast = FastAmount(notation: notation)
        let n = rows.count
        guard n >= options.parallelRows else {
            var out: [Movement] = []
            out.reserveCapacity(n)
            mapRows(0..<n, order: order) { out.append($0) }
            return out
        }
        // Each half writes straight into the result: the first from index 0, the second from
        // index `mid` (a half yields at most one movement per row); the second is then moved down
        // to follow the first. No half is ever copied, so memory stays at one array.
        let mid = n / 2
        var other = self
        other.progress = nil
        other.sink = DiagnosticSink()
        other.skipped = []
        let second = SecondHalf(reader: other)
        var firstCount = 0
        let out = [Movement](unsafeUninitializedCapacity: n) { buffer, initialized in
            let base = buffer.baseAddress!
            let target = UnsafeSendablePointer(base: base + mid)
            let done = DispatchGroup()
            DispatchQueue.global().async(group: done) {
                var k = 0
                second.reader.mapRows(mid..<n, order: order) { m in (target.base + k).initialize(to: m); k += 1 }
                second.count = k
            }
            mapRows(0..<mid, order: order) { m in (base + firstCount).initialize(to: m); firstCount += 1 }
            done.wait()
            if firstCount < mid { (base + firstCount).moveInitialize(from: base + mid, count: second.count) }
            initialized = firstCount + second.count
        }
        sink.merge(second.reader.sink)
        skipped += second.reader.skipped
        return out
    }

    /// The second half's reader and count, handed between two threads that never touch it at once.
    final class SecondHalf: @unchecked Sendable {
        var reader: CSVStatementReader
        var count = 0
        init(reader: CSVStatementReader) { self.reader = reader }
    }

    /// Where the second half writes; only that thread writes there until it is done.
    struct UnsafeSendablePointer: @unchecked Sendable { let base: UnsafeMutablePointer<Movement> }

    /// Files with at least this many rows are mapped on two threads.
    static let parallelRows = 20_000

    mutating func mapRows(_ range: Range<Int>, order: DateOrder, _ emit: (Movement) -> Void) {
        let rows = self.rows
        let rules = profile.classRules
        let completed = Set(profile.completedStatuses)
        let hasStatus = slot(.status) != nil && !completed.isEmpty
        let ruleFields = Array(Set(rules.map(\.field))).sorted { $0.rawValue < $1.rawValue }
        // Caches keyed by the cells' raw bytes: a file has few distinct types and statuses, and
        // looking them up this way builds no string per row.
        var classCache = ByteKeyedCache<(pre: RowClass?, byPositive: RowClass?, byNegative: RowClass?, byZero: RowClass?)>()
        var statusCache = ByteKeyedCache<Bool>()
        let bytes = tokenizer.bytes

        for r in range {
            if let p = progress, r & 0xFFFF == 0 { p(0.4 + 0.4 * Double(r - range.lowerBound) / Double(max(1, range.count))) }
            // Date.
            guard let (da, db, _) = span(r, .date), db > da else {
                sink.add(.error("csv.date-missing", "expected a date, found an empty field", at: loc(r, .date), hint: "every row needs a booking date"))
                continue
            }
            var parts: DateParts?
            var day: Day?
            bytes.withUnsafeBufferPointer { p in
                parts = DateText.split(p, da, db)
                if let pp = parts { day = DateText.day(pp, order: order) }
            }
            guard let d = day, let pp = parts else {
                let raw = text(r, .date) ?? ""
                // A summary or footer line ("Total;;;;") has no date and no amount: not a transaction.
                // So is a labelled balance line of a spreadsheet ("Balance at start of period" in the date column): a date always has digits.
                if CSVStatementReader.amountRoles.allSatisfy({ text(r, $0) == nil }) || (!raw.isEmpty && !raw.contains(where: \.isNumber)) {
                    skipped.append(FilteredRow(location: SourceLocation(file: file, line: Int(rows[r].line), record: Int(rows[r].record)),
                                               reason: raw.isEmpty || CSVStatementReader.amountRoles.allSatisfy({ text(r, $0) == nil }) ? LocalizedText("filter.no_date_no_amount").english : LocalizedText("filter.label_in_date").english, text: raw))
                    continue
                }
                sink.add(.error("csv.date", "expected a date (\(DateConvention(order: order))), found \"\(raw)\"", at: loc(r, .date),
                                hint: "fix the cell, or say the file's date order",
                                arguments: ["convention": "\(DateConvention(order: order))", "raw": raw]))
                continue
            }
            var seconds = pp.seconds ?? -1
            if let (ta, tb, _) = span(r, .time), tb > ta {
                bytes.withUnsafeBufferPointer { p in if let s = DateText.timeSeconds(p, ta, tb) { seconds = s } }
            }

            // Classification inputs.

            var m: Movement
            if profile.amountModel == .transferDirection {
                guard let mv = transferMovement(r, day: d, seconds: seconds) else { continue }
                m = mv
            } else {
                guard let cur = slot(.currency) != nil ? currency(r, .currency) : fixedCurrency else {
                    if slot(.currency) == nil {
                        sink.add(.error("profile.currency", "the profile \(profile.name) has no currency column and no fixed currency", at: SourceLocation(file: file)))
                    }
                    continue
                }
                var gross: Int64 = 0, fee: Int64 = 0, net: Int64 = 0
                var ok = true
                // Rows that text rules already filter (memos, holds…) may carry placeholders
                // instead of amounts: their amounts are read leniently.
                // Classification depends only on the texts of the rule fields: computed once per
                // distinct combination (a file has few types), for each possible sign.
                loadCellKey(r, ruleFields)
                let classes: (pre: RowClass?, byPositive: RowClass?, byNegative: RowClass?, byZero: RowClass?)
                if let c = classCache[cellKey] { classes = c } else {
                    var values: [ColumnRole: String] = [:]
                    for f in ruleFields { if let t = text(r, f) { values[f] = HeaderText.normalizeValue(t) } }
                    func classify(_ sign: String?) -> RowClass? {
                        for rule in rules {
                            if let s = rule.sign, sign == nil || s != sign! { continue }
                            if let v = values[rule.field], rule.matches(v) { return rule.kind }
                        }
                        return nil
                    }
                    classes = (classify(nil), classify("positive"), classify("negative"), classify("zero"))
                    classCache[cellKey] = classes
                }
                let preClass = classes.pre
                let sev: Diagnostic.Severity = (preClass?.isFiltered ?? false) ? .warning : .error
                let lenient = sev == .warning
                switch profile.amountModel {
                case .grossFeeNet:
                    guard let g = amount(r, .gross, cur, sev) else { ok = lenient; break }
                    guard let f = amount(r, .fee, cur, sev) else { ok = lenient; break }
                    guard let n = amount(r, .net, cur, sev) else { ok = lenient; break }
                    gross = g ?? 0
                    let fv = f ?? 0
                    fee = profile.feeSign == .negative ? fv : -fv
                    if let nv = n {
                        net = nv
                        if gross &+ fee != nv {
                            sink.add(.warning("csv.net", "gross \(HumanFormat.en.amount(Money(minorUnits: gross, currency: cur))) plus fee \(HumanFormat.en.amount(Money(minorUnits: fee, currency: cur))) is not the net \(HumanFormat.en.amount(Money(minorUnits: nv, currency: cur))); the net is kept and the fee taken as net minus gross",
                                              at: loc(r, .net), hint: "the file may be altered; check this row against the platform"))
                            fee = nv &- gross
                        }
                    } else {
                        net = gross &+ fee
                    }
                case .amountIncludingFee:
                    guard let a = amount(r, .amount, cur, sev) else { ok = lenient; break }
                    guard let t = amount(r, .totalFees, cur, sev) else { ok = lenient; break }
                    net = a ?? 0
                    let tf = abs(t ?? 0)
                    fee = -tf
                    gross = net &+ tf
                case .amountPlusFee:
                    guard let a = amount(r, .amount, cur, sev) else { ok = lenient; break }
                    guard let f = amount(r, .fee, cur, sev) else { ok = lenient; break }
                    gross = a ?? 0
                    let fv = f ?? 0
                    fee = profile.feeSign == .negative ? fv : -fv
                    net = gross &+ fee
                case .creditDebit:
                    guard let c = amount(r, .credit, cur, sev) else { ok = lenient; break }
                    guard let db = amount(r, .debit, cur, sev) else { ok = lenient; break }
                    net = abs(c ?? 0) &- abs(db ?? 0)
                    gross = net
                    // Fee columns next to net credit/debit columns (Adyen's Commission, Markup,
                    // Scheme Fees, Interchange) were already taken from the net: the gross is the
                    // net plus them, and they are booked as fees.
                    for role in Self.deductedFeeRoles where slot(role) != nil {
                        guard let f = amount(r, role, cur, sev) else { ok = lenient; break }
                        let fv = abs(f ?? 0)
                        fee = fee &- fv
                        gross = gross &+ fv
                    }
                case .transferDirection:
                    ok = false
                }
                if !ok { continue }
                if profile.invertSign { gross = -gross; fee = -fee; net = -net }
                if profile.amountModel != .creditDebit && (slot(.amount) ?? slot(.gross)) != nil {
                    let role: ColumnRole = slot(.amount) != nil ? .amount : .gross
                    if !lenient, case .some(.none) = amount(r, role, cur) {
                        sink.add(.error("csv.amount", "expected an amount, found an empty field", at: loc(r, role), hint: "every row needs its amount"))
                        continue
                    }
                }
                var balance: Int64?
                var balanceEmpty = true
                if slot(.balance) != nil {
                    if let b = amount(r, .balance, cur, .warning) { balance = b; balanceEmpty = (b == nil) }
                }
                let desc = describe(r)
                m = Movement(index: r, line: Int(rows[r].line), day: d, seconds: seconds, timestamp: nil, timeZone: text(r, .timeZone),
                             currency: cur, gross: gross, fee: fee, net: net, balance: balance, cls: .earning,
                             id: text(r, .id), ref: text(r, .referenceID), name: text(r, .name), description: desc,
                             filtered: nil, affectsBalance: true)
                // Classification. A withdrawal to a bank leaves the balance when it is requested, even
                // while PayPal shows it "Pending" (its running balance already excludes it, OCA sample):
                // it is kept when the row states a balance.
                let cls: RowClass? = net > 0 ? classes.byPositive : net < 0 ? classes.byNegative : classes.byZero
                m.cls = cls ?? (net >= 0 && gross >= 0 ? .earning : .expense)
                if m.cls.isFiltered {
                    m.filtered = m.cls.filterReason
                    m.affectsBalance = m.cls.filteredButAffectsBalance && !balanceEmpty
                } else if hasStatus, m.cls != .fundingDeposit, m.cls != .payout || balanceEmpty, hasText(r, .status),
                          !isCompleted(r, &statusCache, completed) {
                    m.filtered = LocalizedText("filter.status_not_completed", ["status": text(r, .status) ?? ""]).english
                    m.affectsBalance = false
                } else if profile.emptyBalanceMeansPending && slot(.balance) != nil && balanceEmpty {
                    m.filtered = LocalizedText("filter.pending_no_balance").english
                    m.affectsBalance = false
                }
                if slot(.payoutID) != nil { m.payout = text(r, .payoutID) }
                if m.cls == .conversion && slot(.exchangeTo) != nil {
                    singleRowConversion(&m, r, cur: cur, notation: notation)
                } else if m.cls == .conversion && slot(.targetCurrency) != nil && slot(.targetAmount) != nil,
                          let oc = text(r, .targetCurrency).flatMap({ try? CurrencyCode($0) }), oc != cur,
                          let oa = amount(r, .targetAmount, oc, .warning), let v = oa, v != 0 {
                    // Revolut Business: the other side of an exchange is in `Orig currency`/`Orig amount`.
                    m.counter = Money(minorUnits: m.net < 0 ? abs(v) : -abs(v), currency: oc)
                    if m.net < 0 { m.conversionFee = -m.fee }
                }
            }
            m.timestamp = timestamp(r)
            emit(m)
        }
    }


    /// The date cell, a space and the time cell, as the file wrote them (trimmed), in one string.
    func timestamp(_ r: Int) -> String {
        guard let (da, db, dateEscaped) = span(r, .date) else { return "" }
        let time = span(r, .time)
        if dateEscaped || time?.2 == true {
            var stamp = text(r, .date) ?? ""
            if let t = text(r, .time) { stamp += " " + t }
            return stamp
        }
        let d = tokenizer.trimmedRange(CSVField(start: da, end: db, line: 0, quoted: false, escapedQuotes: false))
        let t = time.map { tokenizer.trimmedRange(CSVField(start: $0.0, end: $0.1, line: 0, quoted: false, escapedQuotes: false)) } ?? 0..<0
        return tokenizer.bytes.withUnsafeBufferPointer { p in
            String(unsafeUninitializedCapacity: d.count + (t.isEmpty ? 0 : 1 + t.count)) { out in
                var k = 0
                for i in d { out[k] = p[i]; k += 1 }
                if !t.isEmpty {
                    out[k] = 0x20; k += 1
                    for i in t { out[k] = p[i]; k += 1 }
                }
                return k
            }
        }
    }

    /// Whether the cell holds more than spaces (as `text` would not be nil), without building it.
    func hasText(_ r: Int, _ role: ColumnRole) -> Bool {
        guard let (a, b, _) = span(r, role) else { return false }
        return !tokenizer.trimmedRange(CSVField(start: a, end: b, line: 0, quoted: false, escapedQuotes: false)).isEmpty
    }

    /// Puts the raw bytes of the row's cells in `roles` (separated) into `cellKey`, to look a
    /// cache up without building strings.
    mutating func loadCellKey(_ r: Int, _ roles: [ColumnRole]) {
        cellKey.removeAll(keepingCapacity: true)
        let bytes = tokenizer.bytes
        bytes.withUnsafeBufferPointer { p in
            for (k, role) in roles.enumerated() {
                if k > 0 { cellKey.append(1) }
                if let (a, b, _) = span(r, role) { cellKey.append(contentsOf: UnsafeBufferPointer(rebasing: p[a..<b])) }
            }
        }
    }

    /// Whether the status cell says the row is completed, cached by the cell's bytes.
    mutating func isCompleted(_ r: Int, _ cache: inout ByteKeyedCache<Bool>, _ completed: Set<String>) -> Bool {
        loadCellKey(r, [.status])
        if let v = cache[cellKey] { return v }
        let v = completed.contains(HeaderText.normalizeValue(text(r, .status) ?? ""))
        cache[cellKey] = v
        return v
    }

    /// The currency of a cell, cached by the cell's bytes.
    mutating func currency(_ row: Int, _ role: ColumnRole) -> CurrencyCode? {
        loadCellKey(row, [role])
        if let c = currencyCache[cellKey] { return c }
        guard let c = currencyByText(row, role) else { return nil }
        currencyCache[cellKey] = c
        return c
    }

    private mutating func currencyByText(_ row: Int, _ role: ColumnRole) -> CurrencyCode? {
        guard let t = text(row, role) else {
            if let f = fixedCurrency { return f }
            sink.add(.error("csv.currency", "expected a currency code, found an empty field", at: loc(row, role),
                            hint: "every row needs its ISO 4217 currency (EUR, USD…)"))
            return nil
        }
        if let c = try? CurrencyCode(t) { return c }
        if let sym = CurrencyTable.symbols[t], let c = try? CurrencyCode(sym) { return c }
        sink.add(.error("csv.currency", "unknown currency code \"\(t)\": expected an ISO 4217 code such as EUR, USD or GBP", at: loc(row, role),
                        hint: "check that this is the platform's original export; anonymised or scrambled files may carry made-up codes", arguments: ["raw": t]))
        return nil
    }

    /// Parses an amount cell; nil with a diagnostic when it is not an amount; `.some(nil)` for an empty cell.
    mutating func amount(_ row: Int, _ role: ColumnRole, _ cur: CurrencyCode, _ severity: Diagnostic.Severity = .error) -> Int64?? {
        guard let (a, b, _) = span(row, role) else { return .some(nil) }
        let fast = self.fast
        let r = tokenizer.bytes.withUnsafeBufferPointer { fast.parse($0, a, b, exponent: cur.exponent) }
        switch r {
        case .value(let v) where v.magnitude <= CSVStatementReader.maxMinorUnits: return .some(v)
        case .value:
            let raw = tokenizer.trimmedText(CSVField(start: a, end: b, line: 0, quoted: false, escapedQuotes: false))
            sink.add(Diagnostic(severity, code: "csv.amount", "amount \"\(raw)\" is too large (more than 10 trillion)", at: loc(row, role),
                                hint: "check the cell; amounts this large are not statement amounts"))
            return nil
        case .empty: return .some(nil)
        case .fallback, .tooManyDecimals, .overflow:
            let raw = tokenizer.trimmedText(CSVField(start: a, end: b, line: 0, quoted: false, escapedQuotes: false))
            do throws(MoneyError) {
                let m = try Money(parsing: raw, currency: cur, notation: notation)
                if m.minorUnits.magnitude > CSVStatementReader.maxMinorUnits { throw MoneyError.overflow(raw) }
                return .some(m.minorUnits)
            } catch {
                let what: String
                switch error {
                case .tooManyDecimals: what = "expected an amount with at most \(cur.exponent) decimals for \(cur.code), found \"\(raw)\""
                case .overflow: what = "amount \"\(raw)\" is too large"
                case .currencyMismatch(let a, let b): what = "expected an amount in \(b), found \"\(raw)\" (\(a))"
                default: what = "expected an amount, found \"\(raw)\""
                }
                sink.add(Diagnostic(severity, code: "csv.amount", what, at: loc(row, role),
                                    hint: "amounts in this file are read with a \(notation) (e.g. \(notation.decimalMark == "," ? "1.234,56" : "1,234.56")); fix the cell or re-export the file",
                                    arguments: ["raw": raw, "decimals": String(cur.exponent), "currency": cur.code, "notation": "\(notation)",
                                                "example": notation.decimalMark == "," ? "1.234,56" : "1,234.56"]))
                return nil
            }
        }
    }

    /// Description: the description column, else the type, with a note (item title, merchant) added.
    func describe(_ r: Int) -> String {
        var out = text(r, .description) ?? text(r, .type) ?? ""
        if let n = text(r, .note), n != out { out = out.isEmpty ? n : out + " — " + n }
        if let ref = text(r, .reference), !HeaderText.contains(out, ref) { out = out.isEmpty ? ref : out + " — " + ref }
        return out
    }

    /// Wise statements tell a conversion in one row with `Exchange From/To/Rate` and, since 2023,
    /// `Exchange To Amount`. The other side is computed here.
    mutating func singleRowConversion(_ m: inout Movement, _ r: Int, cur: CurrencyCode, notation: NumberNotation) {
        guard let fromText = text(r, .exchangeFrom), let toText = text(r, .exchangeTo),
              let from = try? CurrencyCode(fromText), let to = try? CurrencyCode(toText), from != to else { return }
        let rate: ExactDecimal? = text(r, .exchangeRate).flatMap { try? AmountText.parse($0, notation: .point) }
        if m.net < 0 && cur == from {
            let fee = -m.fee
            let converted = -m.net - fee
            var target: Money?
            if let t = text(r, .exchangeToAmount), let v = try? Money(parsing: t, currency: to, notation: .point) { target = v }
            else if let rt = rate, !rt.isZero { target = Money(minorUnits: converted, currency: from).converted(by: rt, to: to) }
            guard let tg = target else { return }
            m.counter = tg.magnitude
            m.conversionFee = fee
        } else if m.net > 0 && cur == to, let rt = rate, !rt.isZero {
            m.counter = -Money(minorUnits: m.net, currency: to).converted(dividingBy: rt, to: from)
        }
    }

    /// Wise transfer history: positive amounts, the sign from `Direction`.
    mutating func transferMovement(_ r: Int, day: Day, seconds: Int) -> Movement? {
        let dir = (text(r, .direction) ?? "").uppercased()
        guard let sc = currency(r, .sourceCurrency), let tc = currency(r, .targetCurrency) else { return nil }
        guard let sa = amount(r, .sourceAmount, sc, .error), let ta = amount(r, .targetAmount, tc, .error) else { return nil }
        let sfc = text(r, .sourceFeeCurrency).flatMap { try? CurrencyCode($0) } ?? sc
        let sf = (sfc == sc ? amount(r, .sourceFee, sc, .error) : .some(nil)) ?? nil
        let status = HeaderText.normalizeValue(text(r, .status) ?? "")
        var m = Movement(index: r, line: Int(rows[r].line), day: day, seconds: seconds, timestamp: nil, timeZone: nil, currency: sc,
                         gross: 0, fee: 0, net: 0, balance: nil, cls: .expense, id: text(r, .id), ref: nil,
                         name: nil, description: "", filtered: nil, affectsBalance: false)
        let srcFee = abs(sf ?? 0)
        switch dir {
        case "OUT":
            m.currency = sc
            m.gross = -abs(sa ?? 0); m.fee = -srcFee; m.net = m.gross + m.fee
            m.name = text(r, .targetName)
            m.cls = .expense
            m.description = "Sent to \(text(r, .targetName) ?? "?")" + (text(r, .reference).map { " — \($0)" } ?? "")
        case "IN":
            m.currency = tc
            m.net = abs(ta ?? 0)
            m.fee = sc == tc ? -srcFee : 0
            m.gross = m.net - m.fee
            m.name = text(r, .sourceName)
            m.cls = .earning
            m.description = "Received from \(text(r, .sourceName) ?? "?")" + (text(r, .reference).map { " — \($0)" } ?? "")
        case "NEUTRAL":
            m.currency = sc
            m.gross = -abs(sa ?? 0); m.fee = -srcFee; m.net = m.gross + m.fee
            m.cls = sc == tc ? .transfer : .conversion
            if sc != tc { m.counter = Money(minorUnits: abs(ta ?? 0), currency: tc); m.conversionFee = srcFee }
            m.description = sc == tc ? "Moved between own balances" : "Converted \(sc.code) to \(tc.code)"
        default:
            sink.add(.error("csv.direction", "expected IN, OUT or NEUTRAL, found \"\(dir)\"", at: loc(r, .direction),
                            hint: "this column says whether money came in or went out"))
            return nil
        }
        if !profile.completedStatuses.isEmpty && !profile.completedStatuses.contains(status) {
            m.filtered = LocalizedText("filter.status_not_completed", ["status": text(r, .status) ?? ""]).english
        }
        return m
    }
}

/// A small cache keyed by byte strings (cell contents), without building a `String` per lookup.
struct ByteKeyedCache<Value> {
    private var buckets: [UInt64: [(key: [UInt8], value: Value)]] = [:]

    private static func hash(_ key: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    subscript(key: [UInt8]) -> Value? {
        get { buckets[Self.hash(key)]?.first { $0.key == key }?.value }
        set {
            guard let v = newValue else { return }
            let h = Self.hash(key)
            if let i = buckets[h]?.firstIndex(where: { $0.key == key }) { buckets[h]![i].value = v }
            else { buckets[h, default: []].append((key, v)) }
        }
    }
}
