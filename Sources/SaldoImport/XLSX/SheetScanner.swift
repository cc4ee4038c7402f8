import Foundation
import SaldoXML

/// A restricted byte scanner for worksheet parts (`xl/worksheets/sheetN.xml`) only: it reads the
/// XML that spreadsheet programs write and hands the same events as libxml2 to the same
/// ``SheetHandler`` (element, the raw `r`/`hidden`/`t`/`s` values, decoded text), without a String
/// or a C callback per element. It exists because, on a 100,000-row sheet, the libxml2 callbacks
/// into Swift were the largest cost of the sheet pass (issue #17, see docs/architecture.md).
///
/// Restricted by construction: it knows no DTD and no entity but the five predefined ones and
/// character references, so it has nothing to expand or load. Whatever it does not take (a DOCTYPE
/// or any other `<!` declaration but comments and CDATA, processing instructions other than the
/// XML declaration, other entity references, encodings other than UTF-8, bytes that are not XML
/// characters or not UTF-8, names outside ASCII, undeclared namespace prefixes,
/// entity references, control characters and `<` in attribute values, anything not well-formed,
/// a limit of ``XMLLimits`` reached, a cell the handler refuses) makes it answer false, having
/// guessed nothing: the caller then reads the part again from its start through
/// `SafeXML.stream` (libxml2, with its safety measures), which accepts it or reports the
/// diagnostic, with its position, exactly as before the scanner existed.
struct SheetScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    let limits: XMLLimits
    let h: SheetHandler
    var i = 0
    /// Spans of the qualified names of the open elements.
    var stack: [(Int, Int)] = []
    var elements = 0
    /// Text bytes since the last start or end tag (libxml2's path counts the same).
    var textBytes = 0
    /// Namespace prefixes in scope, with the depth of the element that declared them.
    var prefixes: [(name: [UInt8], depth: Int)] = []
    var scratch: [UInt8] = []
    // The attributes of the tag being read: name span, local name start, value span.
    var attrName: [(Int, Int)] = Array(repeating: (0, 0), count: 16)
    var attrLocal: [Int] = Array(repeating: 0, count: 16)
    var attrValue: [(Int, Int)] = Array(repeating: (0, 0), count: 16)
    var attrCount = 0
    var rAttr: (Int, Int)?, tAttr: (Int, Int)?, sAttr: (Int, Int)?, hiddenAttr: (Int, Int)?
    /// A scan of the part's first bytes only (``scanInHalves``): `n` is where the second half
    /// starts, at a `<row` tag, so text may end there.
    var partial = false

    struct Refused: Error {}

    /// Reads `bytes` into `handler`; false when the part must be read by libxml2 instead (the
    /// handler is then in an unspecified state and must not be used).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, limits: XMLLimits, into handler: SheetHandler) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty, bytes.count <= limits.maxBytes else { return false }
        var s = SheetScanner(p: base, n: bytes.count, limits: limits, h: handler)
        do { try s.document() } catch { return false }
        return true
    }

    /// The rows of a large part read by two scanners at once, each half on its own thread into its
    /// own handler: the first from the start to a `<row` tag near the middle (`split`, found when
    /// nil), the second from there to the end, starting in the state the part is in at its first
    /// `<row` (the open `worksheet` and `sheetData`, their namespace declarations).
    ///
    /// The result is exactly what one ``scan(_:limits:into:)`` gives, or nil (the caller then scans
    /// the whole part once): the first half must end in that same state, so the split was a real
    /// tag between two rows and not text in a comment, CDATA or attribute (those cannot end at the
    /// split and refuse), the second half's rows must follow the first's, neither half may refuse
    /// or meet a problem, and the two together stay within the limits.
    static func scanInHalves(_ bytes: UnsafeBufferPointer<UInt8>, limits: XMLLimits, split: Int? = nil,
                             handler make: () -> SheetHandler) -> [XLSXSheet.Row]? {
        guard let base = bytes.baseAddress, bytes.count <= limits.maxBytes,
              let first = rowTag(in: bytes, from: 0),
              let middle = split ?? rowTag(in: bytes, from: bytes.count / 2), middle > first, middle < bytes.count else { return nil }
        // The state at the first row, which the second half starts from.
        var head = SheetScanner(p: base, n: first, limits: limits, h: make())
        head.partial = true
        var rootSeen = false
        do { try head.prolog(); try head.content(rootSeen: &rootSeen) } catch { return nil }
        guard rootSeen, !head.stack.isEmpty, head.h.rows.isEmpty else { return nil }

        var front = SheetScanner(p: base, n: middle, limits: limits, h: make())
        front.partial = true
        var back = SheetScanner(p: base, n: bytes.count, limits: limits, h: make())
        back.i = middle; back.stack = head.stack; back.prefixes = head.prefixes; back.elements = head.elements
        let halves = Halves(front, back)
        DispatchQueue.concurrentPerform(iterations: 2) { k in halves.run(k) }
        guard halves.frontOK, halves.backOK else { return nil }
        front = halves.front; back = halves.back
        guard back.stack.isEmpty, front.stack.count == head.stack.count,
              zip(front.stack, head.stack).allSatisfy({ $0 == $1 }),
              front.prefixes.count == head.prefixes.count,
              zip(front.prefixes, head.prefixes).allSatisfy({ $0.name == $1.name && $0.depth == $1.depth }),
              front.elements + back.elements - head.elements <= limits.maxElements,
              front.h.problem == nil, back.h.problem == nil else { return nil }
        if let last = front.h.rows.last, let next = back.h.rows.first, next.number <= last.number { return nil }
        return front.h.rows + back.h.rows
    }

    /// Where a `<row` start tag (not `<rows…`) begins at or after `from`, by bytes alone.
    static func rowTag(in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var k = from
        while k + 4 < b.count {
            if b[k] == 0x3C, b[k + 1] == 0x72, b[k + 2] == 0x6F, b[k + 3] == 0x77 {
                let c = b[k + 4]
                if c == 0x20 || c == 0x3E || c == 0x2F || c == 0x09 || c == 0x0A || c == 0x0D { return k }
            }
            k += 1
        }
        return nil
    }

    /// Two scanners run on two threads; each touches only its own scanner (and so its own handler).
    private final class Halves: @unchecked Sendable {
        var front: SheetScanner, back: SheetScanner
        var frontOK = false, backOK = false
        init(_ front: SheetScanner, _ back: SheetScanner) { self.front = front; self.back = back }
        func run(_ k: Int) {
            // Each scanner is copied out, run and stored back: run in place, the two scanners'
            // fields (written at every byte) would share cache lines between the two cores.
            if k == 0 {
                var s = front, rootSeen = false
                do { try s.prolog(); try s.content(rootSeen: &rootSeen); frontOK = rootSeen } catch { frontOK = false }
                front = s
            } else {
                var s = back, rootSeen = true
                do { try s.content(rootSeen: &rootSeen); backOK = true } catch { backOK = false }
                back = s
            }
        }
    }

    // MARK: bytes

    @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p[k] : 0 }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }
    @inline(__always) static func isNameStart(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c == 0x5F }
    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E }

    @inline(__always) func matches(_ k: Int, _ s: StaticString) -> Bool {
        let m = s.utf8CodeUnitCount
        guard k + m <= n else { return false }
        let q = s.utf8Start
        for j in 0..<m where p[k + j] != q[j] { return false }
        return true
    }

    mutating func skipSpace() -> Bool {
        let from = i
        while i < n, Self.isSpace(p[i]) { i += 1 }
        return i > from
    }

    /// Checks one UTF-8 sequence starting at `k` (first byte >= 0x80) that is an XML character;
    /// returns its length.
    func utf8(_ k: Int) throws(Refused) -> Int {
        let b0 = p[k]
        var len = 0, v: UInt32 = 0, min: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { len = 2; v = UInt32(b0 & 0x1F); min = 0x80 }
        else if b0 & 0xF0 == 0xE0 { len = 3; v = UInt32(b0 & 0x0F); min = 0x800 }
        else if b0 & 0xF8 == 0xF0 { len = 4; v = UInt32(b0 & 0x07); min = 0x10000 }
        else { throw Refused() }
        guard k + len <= n else { throw Refused() }
        for j in 1..<len {
            let b = p[k + j]
            guard b & 0xC0 == 0x80 else { throw Refused() }
            v = v << 6 | UInt32(b & 0x3F)
        }
        guard v >= min, Self.isChar(v) else { throw Refused() }
        return len
    }

    /// XML 1.0 `Char`.
    static func isChar(_ v: UInt32) -> Bool {
        v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)
    }

    // MARK: document

    mutating func document() throws(Refused) {
        try prolog()
        var rootSeen = false
        try content(rootSeen: &rootSeen)
        guard rootSeen, stack.isEmpty else { throw Refused() }
    }

    /// A byte order mark and the XML declaration, if there.
    mutating func prolog() throws(Refused) {
        if matches(0, "\u{FEFF}") { i = 3 }
        if matches(i, "<?xml"), Self.isSpace(at(i + 5)) { try declaration() }
    }

    /// Markup and text from `i` to `n`.
    mutating func content(rootSeen: inout Bool) throws(Refused) {
        while i < n {
            let c = p[i]
            if c == 0x3C {
                let d = at(i + 1)
                if d == 0x2F {
                    try endTag()
                } else if d == 0x21 {
                    if matches(i, "<!--") { try comment() }
                    else if !stack.isEmpty, matches(i, "<![CDATA[") { try cdata() }
                    else { throw Refused() }     // DOCTYPE, ENTITY and every other declaration
                } else if d == 0x3F {
                    throw Refused()              // processing instructions
                } else {
                    if stack.isEmpty { if rootSeen { throw Refused() }; rootSeen = true }
                    try startTag()
                }
            } else if stack.isEmpty {
                guard Self.isSpace(c) else { throw Refused() }
                i += 1
            } else {
                try text()
            }
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`: version 1.0, UTF-8 only.
    mutating func declaration() throws(Refused) {
        i += 5
        var seen = 0
        while true {
            let space = skipSpace()
            if matches(i, "?>") { i += 2; break }
            guard space else { throw Refused() }
            let name = i
            while i < n, Self.isNameStart(p[i]) { i += 1 }
            let key = (name, i - name)
            _ = skipSpace()
            guard at(i) == 0x3D else { throw Refused() }
            i += 1
            _ = skipSpace()
            let q = at(i)
            guard q == 0x22 || q == 0x27 else { throw Refused() }
            let vs = i + 1
            i = vs
            while i < n, p[i] != q { guard p[i] < 0x80, p[i] >= 0x20 else { throw Refused() }; i += 1 }
            guard i < n else { throw Refused() }
            let value = [UInt8](UnsafeBufferPointer(start: p + vs, count: i - vs))
            i += 1
            let k = [UInt8](UnsafeBufferPointer(start: p + key.0, count: key.1))
            if seen == 0, k == Array("version".utf8), value == Array("1.0".utf8) { seen = 1 }
            else if seen == 1, k == Array("encoding".utf8), String(decoding: value, as: UTF8.self).uppercased() == "UTF-8" { seen = 2 }
            else if seen >= 1, seen < 3, k == Array("standalone".utf8), value == Array("yes".utf8) || value == Array("no".utf8) { seen = 3 }
            else { throw Refused() }
        }
    }

    mutating func comment() throws(Refused) {
        var k = i + 4
        while true {
            guard k + 1 < n else { throw Refused() }
            let c = p[k]
            if c == 0x2D && p[k + 1] == 0x2D {
                guard at(k + 2) == 0x3E else { throw Refused() }
                i = k + 3
                return
            }
            if c >= 0x80 { k += try utf8(k); continue }
            guard c >= 0x20 || Self.isSpace(c) else { throw Refused() }
            k += 1
        }
    }

    mutating func cdata() throws(Refused) {
        let start = i + 9
        var k = start, cr = false
        while true {
            guard k + 2 < n else { throw Refused() }
            let c = p[k]
            if c == 0x5D && p[k + 1] == 0x5D && p[k + 2] == 0x3E { break }
            if c >= 0x80 { k += try utf8(k); continue }
            guard c >= 0x20 || Self.isSpace(c) else { throw Refused() }
            if c == 0x0D { cr = true }
            k += 1
        }
        i = k + 3
        try deliver(start, k, cr: cr)
    }

    /// Text up to the next `<`: character and predefined entity references decoded, line ends
    /// normalised as XML requires.
    mutating func text() throws(Refused) {
        let start = i
        var special = false, cr = false
        while i < n {
            let c = p[i]
            if c == 0x3C { break }
            if c >= 0x80 { i += try utf8(i); continue }
            if c < 0x20 {
                guard Self.isSpace(c) else { throw Refused() }
                if c == 0x0D { cr = true }
            } else if c == 0x26 {
                special = true
            } else if c == 0x5D, at(i + 1) == 0x5D, at(i + 2) == 0x3E {
                throw Refused()                  // `]]>` is not allowed in text
            }
            i += 1
        }
        guard i < n || partial else { throw Refused() }     // text at the end: an element was left open
        if !special { return try deliver(start, i, cr: cr) }
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < i {
            let c = p[k]
            if c == 0x0D {
                scratch.append(0x0A); k += 1
                if k < i, p[k] == 0x0A { k += 1 }
            } else if c == 0x26 {
                k = try reference(k + 1, end: i)
            } else {
                scratch.append(c); k += 1
            }
        }
        textBytes += scratch.count
        guard textBytes <= limits.maxTextBytes else { throw Refused() }
        if h.collecting { scratch.withUnsafeBufferPointer { h.collect($0) } }
    }

    /// The reference after `&` at `k` appended to `scratch`; returns the index after its `;`.
    mutating func reference(_ k: Int, end: Int) throws(Refused) -> Int {
        var j = k
        while j < end, j - k < 12, p[j] != 0x3B { j += 1 }
        guard j < end, p[j] == 0x3B, j > k else { throw Refused() }
        let name = UnsafeBufferPointer(start: p + k, count: j - k)
        if name[0] == 0x23 {
            var v: UInt32 = 0
            let hex = name.count > 1 && name[1] == 0x78
            let digits = name.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, digits.count <= 8 else { throw Refused() }
            for d in digits {
                if d >= 0x30 && d <= 0x39 { v = v * (hex ? 16 : 10) + UInt32(d - 0x30) }
                else if hex, (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 { v = v * 16 + UInt32((d | 0x20) - 0x61 + 10) }
                else { throw Refused() }
            }
            guard Self.isChar(v), let u = Unicode.Scalar(v) else { throw Refused() }
            scratch.append(contentsOf: UTF8.encode(u)!)
        } else {
            switch String(decoding: name, as: UTF8.self) {
            case "lt": scratch.append(0x3C)
            case "gt": scratch.append(0x3E)
            case "amp": scratch.append(0x26)
            case "quot": scratch.append(0x22)
            case "apos": scratch.append(0x27)
            default: throw Refused()             // no other entity exists without a DTD
            }
        }
        return j + 1
    }

    /// Hands text `start..<end` to the handler, with `\r\n` and `\r` made `\n` when `cr`.
    mutating func deliver(_ start: Int, _ end: Int, cr: Bool) throws(Refused) {
        if !cr {
            textBytes += end - start
            guard textBytes <= limits.maxTextBytes else { throw Refused() }
            if h.collecting, end > start { h.collect(UnsafeBufferPointer(start: p + start, count: end - start)) }
            return
        }
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < end {
            if p[k] == 0x0D { scratch.append(0x0A); k += 1; if k < end, p[k] == 0x0A { k += 1 } } else { scratch.append(p[k]); k += 1 }
        }
        textBytes += scratch.count
        guard textBytes <= limits.maxTextBytes else { throw Refused() }
        if h.collecting { scratch.withUnsafeBufferPointer { h.collect($0) } }
    }

    // MARK: tags

    /// A qualified name at `i` (ASCII, at most one colon, a name after it); returns where the
    /// local name starts.
    @inline(__always) mutating func qname() throws(Refused) -> Int {
        let start = i
        guard i < n, Self.isNameStart(p[i]) else { throw Refused() }
        var local = start
        i += 1
        while i < n {
            let c = p[i]
            if Self.isNameChar(c) { i += 1; continue }
            if c == 0x3A {
                guard local == start, Self.isNameStart(at(i + 1)) else { throw Refused() }
                i += 1; local = i; continue
            }
            break
        }
        guard i - start <= 200 else { throw Refused() }
        return local
    }

    func equal(_ a: (Int, Int), _ b: (Int, Int)) -> Bool {
        a.1 == b.1 && memcmp(p + a.0, p + b.0, a.1) == 0
    }

    func isLocal(_ k: Int, _ nameEnd: Int, _ s: StaticString) -> Bool {
        nameEnd - k == s.utf8CodeUnitCount && matches(k, s)
    }

    /// Whether the prefix `start..<local-1` is declared in scope.
    func declared(_ start: Int, _ local: Int) -> Bool {
        let len = local - 1 - start
        for q in prefixes.reversed() where q.name.count == len {
            if q.name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, p + start, len) == 0 }) { return true }
        }
        return false
    }

    /// Drops the declarations of the element closing at depth `stack.count`.
    mutating func closeScope() {
        while let last = prefixes.last, last.depth >= stack.count { prefixes.removeLast() }
    }

    mutating func startTag() throws(Refused) {
        i += 1
        let nameStart = i
        let local = try qname()
        let name = (nameStart, i - nameStart)
        attrCount = 0
        rAttr = nil; tAttr = nil; sAttr = nil; hiddenAttr = nil
        var empty = false
        while true {
            let space = skipSpace()
            guard i < n else { throw Refused() }
            if p[i] == 0x3E { i += 1; break }
            if p[i] == 0x2F { guard at(i + 1) == 0x3E else { throw Refused() }; i += 2; empty = true; break }
            guard space, attrCount < 16 else { throw Refused() }
            let aStart = i
            let aLocal = try qname()
            let aName = (aStart, i - aStart)
            _ = skipSpace()
            guard at(i) == 0x3D else { throw Refused() }
            i += 1
            _ = skipSpace()
            let q = at(i)
            guard q == 0x22 || q == 0x27 else { throw Refused() }
            i += 1
            let vs = i
            while true {
                guard i < n else { throw Refused() }
                let c = p[i]
                if c == q { break }
                if c >= 0x80 { i += try utf8(i); continue }
                guard c >= 0x20, c != 0x3C, c != 0x26 else { throw Refused() }   // normalised whitespace, `<`, references
                i += 1
            }
            let value = (vs, i - vs)
            i += 1
            guard value.1 <= limits.maxAttributeBytes else { throw Refused() }
            // Same local name twice (also `a:r` with `r`): libxml2 may refuse it or not; not guessed.
            let aLocalSpan = (aLocal, aName.0 + aName.1 - aLocal)
            for k in 0..<attrCount {
                let other = (attrLocal[k], attrName[k].0 + attrName[k].1 - attrLocal[k])
                if equal(other, aLocalSpan) { throw Refused() }
            }
            attrName[attrCount] = aName; attrLocal[attrCount] = aLocal; attrValue[attrCount] = value
            attrCount += 1
            // The four the handler reads, kept as they come (local names are distinct, see above).
            let ll = aName.0 + aName.1 - aLocal
            let declaration = aLocal - 1 - aName.0 == 5 && matches(aName.0, "xmlns")   // `xmlns:r` is no attribute `r`
            if declaration {
            } else if ll == 1 {
                switch p[aLocal] {
                case 0x72: rAttr = value
                case 0x74: tAttr = value
                case 0x73: sAttr = value
                default: break
                }
            } else if ll == 6, matches(aLocal, "hidden") { hiddenAttr = value }
        }
        // Namespace declarations, in scope until the element ends.
        let depth = stack.count + 1
        for k in 0..<attrCount {
            let a = attrName[k], l = attrLocal[k]
            let isDefault = a.1 == 5 && matches(a.0, "xmlns")
            let isPrefixed = l > a.0 && l - 1 - a.0 == 5 && matches(a.0, "xmlns")
            if isDefault || isPrefixed {
                let v = attrValue[k]
                if matches(v.0, "http://www.w3.org/XML/1998/namespace") || matches(v.0, "http://www.w3.org/2000/xmlns/") { throw Refused() }
                guard (isDefault && v.1 == 0) || isAbsoluteURI(v.0, v.1) else { throw Refused() }
                if isPrefixed {
                    let pl = a.0 + a.1 - l
                    guard v.1 > 0, !(pl == 3 && matches(l, "xml")), !(pl == 5 && matches(l, "xmlns")) else { throw Refused() }
                    prefixes.append((Array(UnsafeBufferPointer(start: p + l, count: pl)), depth))
                }
            }
        }
        for k in 0..<attrCount {
            let a = attrName[k], l = attrLocal[k]
            guard l > a.0, !(l - 1 - a.0 == 5 && matches(a.0, "xmlns")) else { continue }
            if l - 1 - a.0 == 3 && matches(a.0, "xml") {
                // Only `xml:space` with its two values; libxml2 checks the others' values.
                let v = attrValue[k]
                guard isLocal(l, a.0 + a.1, "space"), (v.1 == 8 && matches(v.0, "preserve")) || (v.1 == 7 && matches(v.0, "default")) else { throw Refused() }
                continue
            }
            guard declared(a.0, l) else { throw Refused() }
        }
        if local > nameStart { guard declared(nameStart, local) else { throw Refused() } }
        // Limits, as libxml2's path applies them.
        stack.append(name)
        elements += 1
        guard stack.count <= limits.maxDepth, elements <= limits.maxElements else { throw Refused() }
        textBytes = 0
        let end = nameStart + name.1
        let e = element(local, end)
        switch e {
        case .row:
            guard h.start(.row, r: span(rAttr), hidden: span(hiddenAttr), t: nil, s: nil) else { throw Refused() }
        case .c:
            guard h.start(.c, r: span(rAttr), hidden: nil, t: span(tAttr), s: span(sAttr)) else { throw Refused() }
        default:
            guard h.start(e, r: nil, hidden: nil, t: nil, s: nil) else { throw Refused() }
        }
        if empty {
            closeScope()
            stack.removeLast()
            textBytes = 0
            guard h.end(e) else { throw Refused() }
        }
    }

    /// A namespace name of the two forms spreadsheet programs write, which libxml2's URI parser
    /// takes: `http(s)://host/path` (host letters, digits, `.` and `-`; path without query,
    /// fragment or port) and `urn:a:b`. Any other name is left to libxml2.
    func isAbsoluteURI(_ k: Int, _ len: Int) -> Bool {
        let end = k + len
        func run(_ from: Int, _ ok: (UInt8) -> Bool) -> Int { var j = from; while j < end, ok(p[j]) { j += 1 }; return j }
        let alnum: (UInt8) -> Bool = { ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) }
        if matches(k, "urn:"), len > 4 {
            return run(k + 4) { alnum($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x3A } == end && p[end - 1] != 0x3A
        }
        let start = matches(k, "http://") ? k + 7 : matches(k, "https://") ? k + 8 : -1
        guard start > 0, start < end else { return false }
        let host = run(start) { alnum($0) || $0 == 0x2D || $0 == 0x2E }
        guard host > start else { return false }
        return host == end || (p[host] == 0x2F && run(host) { alnum($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F || $0 == 0x7E || $0 == 0x2F } == end)
    }

    @inline(__always) static func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }

    func element(_ local: Int, _ end: Int) -> SheetHandler.Element {
        switch end - local {
        case 1: if p[local] == 0x63 { return .c }; if p[local] == 0x76 { return .v }; if p[local] == 0x74 { return .t }
        case 2: if matches(local, "is") { return .inlineString }
        case 3: if matches(local, "row") { return .row }; if matches(local, "rPh") { return .phonetic }
        default: break
        }
        return .other
    }

    @inline(__always) func span(_ v: (Int, Int)?) -> UnsafeBufferPointer<UInt8>? {
        v.map { UnsafeBufferPointer(start: p + $0.0, count: $0.1) }
    }

    mutating func endTag() throws(Refused) {
        i += 2
        let nameStart = i
        let local = try qname()
        let name = (nameStart, i - nameStart)
        _ = skipSpace()
        guard at(i) == 0x3E, let open = stack.last, equal(open, name) else { throw Refused() }
        i += 1
        closeScope()
        stack.removeLast()
        textBytes = 0
        guard h.end(element(local, nameStart + name.1)) else { throw Refused() }
    }
}

