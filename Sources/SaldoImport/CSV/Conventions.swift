import SaldoCore

/// The order of day, month and year in a date.
public enum DateOrder: String, Sendable, Codable, CaseIterable {
    case ymd, dmy, mdy
}

/// How a file writes its dates, decided once per file.
public struct DateConvention: Sendable, Equatable, CustomStringConvertible {
    public var order: DateOrder
    public init(order: DateOrder) { self.order = order }
    public var description: String {
        switch order {
        case .ymd: return "yyyy-mm-dd"
        case .dmy: return "dd/mm/yyyy"
        case .mdy: return "mm/dd/yyyy"
        }
    }

    /// Parses `--date-format` values: `yyyy-mm-dd`, `dd/mm/yyyy`, `mm/dd/yyyy`, `dd.mm.yyyy`, `dmy`, `mdy`, `ymd`…
    public static func parseOption(_ text: String) -> DateConvention? {
        let t = text.lowercased().filter { $0.isLetter }
        if let o = DateOrder(rawValue: t) { return DateConvention(order: o) }
        let compact = t.replacingOccurrences(of: "yyyy", with: "y").replacingOccurrences(of: "yy", with: "y")
            .replacingOccurrences(of: "mm", with: "m").replacingOccurrences(of: "dd", with: "d")
        if let o = DateOrder(rawValue: compact) { return DateConvention(order: o) }
        return nil
    }
}

/// The parts of a date cell as written, before the day/month order is known.
struct DateParts: Equatable {
    var first: Int, second: Int, third: Int
    var firstLen: Int, thirdLen: Int
    /// Which component was a month name (1 or 2), 0 for none.
    var monthNameAt: Int
    /// Seconds since midnight when a time follows the date, else nil.
    var seconds: Int?
    /// The first separator between components (`.`, `/`, `-`, space).
    var separator: UInt8 = 0
}

enum DateText {
    static let months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        "ene": 1, "abr": 4, "ago": 8, "dic": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,
        "mär": 3, "mai": 5, "okt": 10, "dez": 12, "fév": 2, "fev": 2, "avr": 4, "jui": 7, "aoû": 8, "aou": 8, "déc": 12,
    ]

    /// Splits the leading date of `b[start..<end]` into three components and an optional time.
    static func split(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> DateParts? {
        var i = start
        while i < end && p[i] == 0x20 { i += 1 }
        // Three components without allocating: values and lengths in fixed slots.
        var v0 = 0, v1 = 0, v2 = 0, l0 = 0, l2 = 0
        var count = 0, nameAt = 0
        var sep: UInt8 = 0
        while i < end && count < 3 {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                var v = 0, l = 0
                while i < end && p[i] >= 0x30 && p[i] <= 0x39 && l < 9 { v = v * 10 + Int(p[i] - 0x30); i += 1; l += 1 }
                if count == 0 { v0 = v; l0 = l } else if count == 1 { v1 = v } else { v2 = v; l2 = l }
                count += 1
            } else if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0xC0 {
                let s = i
                while i < end && ((p[i] | 0x20) >= 0x61 && (p[i] | 0x20) <= 0x7A || p[i] >= 0x80) { i += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: p[s..<i]), as: UTF8.self).lowercased()
                guard nameAt == 0, let m = months[String(word.prefix(3))], count < 2 else { return nil }
                if count == 0 { v0 = m; l0 = 2 } else { v1 = m }
                count += 1
                nameAt = count
            } else if c == 0x2D || c == 0x2F || c == 0x2E || c == 0x20 || c == 0x2C {
                if sep == 0 && count == 1 { sep = c }
                i += 1
            } else {
                return nil
            }
        }
        guard count == 3 else { return nil }
        var parts = DateParts(first: v0, second: v1, third: v2, firstLen: l0, thirdLen: l2, monthNameAt: nameAt, seconds: nil, separator: sep)
        // Optional time: `T13:43:54`, ` 13:43`, ` 13:43:54.496`.
        while i < end && (p[i] == 0x20 || p[i] == 0x54 || p[i] == 0x2C) { i += 1 }
        if i < end { parts.seconds = timeSeconds(p, i, end) }
        return parts
    }

    /// `HH:MM[:SS]` → seconds, nil when absent or impossible (`29:18:53`).
    static func timeSeconds(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end && p[i] == 0x20 { i += 1 }
        var comps: [Int] = []
        while i < end && comps.count < 3 {
            var v = 0, l = 0
            while i < end && p[i] >= 0x30 && p[i] <= 0x39 && l < 3 { v = v * 10 + Int(p[i] - 0x30); i += 1; l += 1 }
            if l == 0 { break }
            comps.append(v)
            if i < end && p[i] == 0x3A { i += 1 } else { break }
        }
        guard comps.count >= 2, comps[0] < 24, comps[1] < 60 else { return nil }
        let s = comps.count > 2 ? comps[2] : 0
        guard s < 61 else { return nil }
        return comps[0] * 3600 + comps[1] * 60 + s
    }

    static func day(_ parts: DateParts, order: DateOrder) -> Day? {
        func year(_ v: Int, _ len: Int) -> Int { len <= 2 ? 2000 + v : v }
        if parts.monthNameAt == 1 { return Day(year: year(parts.third, parts.thirdLen), month: parts.first, day: parts.second) }
        if parts.monthNameAt == 2 { return Day(year: year(parts.third, parts.thirdLen), month: parts.second, day: parts.first) }
        if parts.firstLen == 4 { return Day(year: parts.first, month: parts.second, day: parts.third) }
        switch order {
        case .ymd: return Day(year: year(parts.first, parts.firstLen), month: parts.second, day: parts.third)
        case .dmy: return Day(year: year(parts.third, parts.thirdLen), month: parts.second, day: parts.first)
        case .mdy: return Day(year: year(parts.third, parts.thirdLen), month: parts.first, day: parts.second)
        }
    }
}

/// Evidence about the day/month order gathered from every date cell of a file.
struct DateEvidence {
    var dmy = 0, mdy = 0, iso = 0, named = 0, ambiguous = 0, unreadable = 0, dotted = 0, total = 0
    var firstDMY: String?, firstMDY: String?, firstAmbiguous: String?
    /// The lines of the first day-first and month-first examples (0 when none).
    var firstDMYLine: Int32 = 0, firstMDYLine: Int32 = 0

    /// Adds the evidence of the rows after these (their first examples count only where these have
    /// none); `lineShift` turns their line numbers into the file's.
    mutating func merge(_ o: DateEvidence, lineShift: Int32 = 0) {
        dmy += o.dmy; mdy += o.mdy; iso += o.iso; named += o.named; ambiguous += o.ambiguous
        unreadable += o.unreadable; dotted += o.dotted; total += o.total
        if firstDMY == nil, o.firstDMY != nil { firstDMY = o.firstDMY; firstDMYLine = o.firstDMYLine + lineShift }
        if firstMDY == nil, o.firstMDY != nil { firstMDY = o.firstMDY; firstMDYLine = o.firstMDYLine + lineShift }
        firstAmbiguous = firstAmbiguous ?? o.firstAmbiguous
    }

    mutating func add(_ parts: DateParts?, line: Int32 = 0, text: @autoclosure () -> String) {
        total += 1
        guard let d = parts else { unreadable += 1; return }
        if d.monthNameAt != 0 { named += 1; return }
        if d.firstLen == 4 { iso += 1; return }
        if d.separator == 0x2E { dotted += 1 }
        if d.first > 12 && d.second <= 12 { dmy += 1; if firstDMY == nil { firstDMY = text(); firstDMYLine = line } }
        else if d.second > 12 && d.first <= 12 { mdy += 1; if firstMDY == nil { firstMDY = text(); firstMDYLine = line } }
        else if d.first != d.second { ambiguous += 1; if firstAmbiguous == nil { firstAmbiguous = text() } }
    }
}

/// Reads amounts straight from bytes for the common shapes (`-1,234.56`, `1.234,56`, `(12.00)`,
/// `12.00-`), and says when a cell needs the full ``AmountText`` parser (currency symbols…).
struct FastAmount {
    let decimalMark: UInt8
    let group: UInt8

    init(notation: NumberNotation) {
        decimalMark = notation.decimalMark == "," ? 0x2C : 0x2E
        group = notation.decimalMark == "," ? 0x2E : 0x2C
    }

    enum Outcome: Equatable { case value(Int64), empty, fallback, tooManyDecimals, overflow }

    func parse(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, exponent: Int) -> Outcome {
        var a = start, b = end
        while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
        while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
        if a == b { return .empty }
        var negative = false
        if p[a] == 0x28 && p[b - 1] == 0x29 { negative = true; a += 1; b -= 1 }
        if b > a && p[b - 1] == 0x2D { negative.toggle(); b -= 1 }
        if a < b && (p[a] == 0x2D || p[a] == 0x2B) { if p[a] == 0x2D { negative.toggle() }; a += 1 }
        if a >= b { return .fallback }
        var intPart: Int64 = 0
        var digits = 0
        var intDigits = 0
        var lastGroup = -1          // integer digits seen at the last group separator
        var i = a
        while i < b {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                intPart = intPart &* 10 &+ Int64(c - 0x30); digits += 1; intDigits += 1
                if digits > 18 { return .overflow }
            } else if c == group || c == 0x27 {
                // Groups of three: the first after 1-3 digits, each next exactly three later.
                if lastGroup < 0 { if intDigits < 1 || intDigits > 3 { return .fallback } }
                else if intDigits - lastGroup != 3 { return .fallback }
                lastGroup = intDigits
            } else if c == decimalMark {
                break
            } else {
                return .fallback
            }
            i += 1
        }
        if lastGroup >= 0 && intDigits - lastGroup != 3 { return .fallback }
        var value = intPart
        var frac = 0
        if i < b && p[i] == decimalMark {
            i += 1
            while i < b {
                let c = p[i]
                guard c >= 0x30 && c <= 0x39 else { return .fallback }
                let dgt = Int64(c - 0x30)
                if frac < exponent {
                    value = value &* 10 &+ dgt
                    digits += 1
                    if digits > 18 { return .overflow }
                } else if dgt != 0 {
                    return .tooManyDecimals
                }
                frac += 1
                i += 1
            }
        }
        if intDigits == 0 && frac == 0 { return .fallback }
        var scaleUp = exponent - min(frac, exponent)
        while scaleUp > 0 { value = value &* 10; scaleUp -= 1; digits += 1; if digits > 18 { return .overflow } }
        return .value(negative ? -value : value)
    }
}

/// Evidence about the decimal mark gathered from every amount cell of a file.
struct NumberEvidence {
    var point = 0, comma = 0, ambiguous = 0
    var firstPoint: String?, firstComma: String?, firstAmbiguous: String?
    /// The lines of the first examples (0 when none).
    var firstPointLine: Int32 = 0, firstCommaLine: Int32 = 0

    /// Adds the evidence of the rows after these (their first examples count only where these have
    /// none); `lineShift` turns their line numbers into the file's.
    mutating func merge(_ o: NumberEvidence, lineShift: Int32 = 0) {
        point += o.point; comma += o.comma; ambiguous += o.ambiguous
        if firstPoint == nil, o.firstPoint != nil { firstPoint = o.firstPoint; firstPointLine = o.firstPointLine + lineShift }
        if firstComma == nil, o.firstComma != nil { firstComma = o.firstComma; firstCommaLine = o.firstCommaLine + lineShift }
        firstAmbiguous = firstAmbiguous ?? o.firstAmbiguous
    }

    mutating func add(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, line: Int32 = 0) {
        var lastDot = -1, lastComma = -1, dots = 0, commas = 0, digitsAfter = 0
        var i = start
        while i < end {
            let c = p[i]
            if c == 0x2E { lastDot = i; dots += 1; digitsAfter = 0 }
            else if c == 0x2C { lastComma = i; commas += 1; digitsAfter = 0 }
            else if c >= 0x30 && c <= 0x39 { digitsAfter += 1 }
            i += 1
        }
        func text() -> String { String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self) }
        var anyDigit = false
        for k in start..<end where p[k] >= 0x30 && p[k] <= 0x39 { anyDigit = true; break }
        if !anyDigit { return }
        if dots > 0 && commas > 0 {
            if lastDot > lastComma { point += 1; if firstPoint == nil { firstPoint = text(); firstPointLine = line } }
            else { comma += 1; if firstComma == nil { firstComma = text(); firstCommaLine = line } }
        } else if dots > 1 {
            comma += 1; if firstComma == nil { firstComma = text(); firstCommaLine = line }
        } else if commas > 1 {
            point += 1; if firstPoint == nil { firstPoint = text(); firstPointLine = line }
        } else if dots == 1 {
            if digitsAfter == 3 { ambiguous += 1; if firstAmbiguous == nil { firstAmbiguous = text() } }
            else { point += 1; if firstPoint == nil { firstPoint = text(); firstPointLine = line } }
        } else if commas == 1 {
            if digitsAfter == 3 { ambiguous += 1; if firstAmbiguous == nil { firstAmbiguous = text() } }
            else { comma += 1; if firstComma == nil { firstComma = text(); firstCommaLine = line } }
        }
    }
}
