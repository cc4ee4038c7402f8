import Foundation
import SaldoCore

/// The text encoding a statement file was written in, as detected from its bytes.
public enum TextEncoding: String, Sendable, Equatable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16LE = "UTF-16 LE"
    case utf16BE = "UTF-16 BE"
    case windows1252 = "Windows-1252"
    /// DOS Latin-2 (Central European), still written by some banks' MT940 exports.
    case cp852 = "CP852 (DOS Latin-2)"
}

/// Turns the bytes of a file into UTF-8 bytes, detecting the encoding.
///
/// Order: a UTF-8 BOM, a UTF-16 BOM (LE or BE), valid UTF-8 without BOM, and finally
/// Windows-1252 (a superset of Latin-1 for printable text). Files that hold NUL bytes or many
/// control characters are refused as binary; UTF-32 and BOM-less UTF-16 are refused by name.
public enum TextDecoding {
    public struct Decoded: Sendable {
        public var bytes: ByteBuffer
        public var encoding: TextEncoding
    }

    public static func decode(_ input: Data, file: String) -> Result<Decoded, Diagnostic> {
        let data = input.startIndex == 0 ? input : Data(input)
        // Only the first bytes are copied for sniffing; the text itself is used in place.
        let b = [UInt8](data.prefix(4096))
        let loc = SourceLocation(file: file)
        if b.count >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) || (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)) {
            return .failure(.error("csv.encoding", "unsupported text encoding: the file starts with a UTF-32 byte-order mark",
                                   at: loc, hint: "save the file as UTF-8 (or UTF-16 with a byte-order mark) and import it again"))
        }
        if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
            let rest = Data(data.dropFirst(3))
            if let bad = rest.withUnsafeBytes({ firstInvalidUTF8($0.bindMemory(to: UInt8.self)) }) {
                return .failure(.error("csv.encoding", "the file declares UTF-8 (byte-order mark) but byte \(bad + 4) is not valid UTF-8",
                                       at: loc, hint: "re-export the file, or convert it to UTF-8"))
            }
            return .success(Decoded(bytes: ByteBuffer(rest), encoding: .utf8BOM))
        }
        if b.count >= 2 && b[0] == 0xFF && b[1] == 0xFE { return utf16([UInt8](data), littleEndian: true, file: file) }
        if b.count >= 2 && b[0] == 0xFE && b[1] == 0xFF { return utf16([UInt8](data), littleEndian: false, file: file) }

        // NUL bytes: BOM-less UTF-16, or binary data.
        let sample = b.prefix(4096)
        let nuls = sample.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        if nuls > 0 {
            var evenNul = 0, oddNul = 0
            for (i, x) in sample.enumerated() where x == 0 { if i % 2 == 0 { evenNul += 1 } else { oddNul += 1 } }
            if sample.count >= 8 && (oddNul * 10 >= sample.count * 4 || evenNul * 10 >= sample.count * 4) && min(evenNul, oddNul) * 10 < max(evenNul, oddNul) {
                return .failure(.error("csv.encoding", "unknown text encoding: the file looks like UTF-16 without a byte-order mark",
                                       at: loc, hint: "save the file as UTF-8, or as UTF-16 with a byte-order mark"))
            }
            return .failure(.error("csv.binary", "the file is not text: it contains \(nuls) NUL byte(s) in its first \(sample.count) bytes",
                                   at: loc, hint: "import the CSV or Norma 43 export itself, not a spreadsheet, PDF or archive"))
        }
        var controls = 0
        for x in sample where x < 0x20 && x != 0x09 && x != 0x0A && x != 0x0D && x != 0x0C { controls += 1 }
        if controls > 0 && controls * 20 > sample.count {
            return .failure(.error("csv.binary", "the file is not text: \(controls) of its first \(sample.count) bytes are control characters",
                                   at: loc, hint: "import the CSV or Norma 43 export itself, not a spreadsheet, PDF or archive"))
        }
        if data.withUnsafeBytes({ firstInvalidUTF8($0.bindMemory(to: UInt8.self)) }) == nil {
            return .success(Decoded(bytes: ByteBuffer(data), encoding: .utf8))
        }
        return .success(Decoded(bytes: ByteBuffer(windows1252ToUTF8([UInt8](data))), encoding: .windows1252))
    }

    /// Index of the first byte that breaks UTF-8, or nil when the whole buffer is valid.
    static func firstInvalidUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = p.count
        guard let base = p.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < n {
            // ASCII runs, eight bytes at a time (statements are nearly all ASCII).
            while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let c = p[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var minCode: UInt32 = 0
            var code: UInt32 = 0
            if c & 0xE0 == 0xC0 { need = 1; code = UInt32(c & 0x1F); minCode = 0x80 }
            else if c & 0xF0 == 0xE0 { need = 2; code = UInt32(c & 0x0F); minCode = 0x800 }
            else if c & 0xF8 == 0xF0 { need = 3; code = UInt32(c & 0x07); minCode = 0x10000 }
            else { return i }
            if i + need >= n { return i }
            for k in 1...need {
                let d = p[i + k]
                if d & 0xC0 != 0x80 { return i }
                code = code << 6 | UInt32(d & 0x3F)
            }
            if code < minCode || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) { return i }
            i += need + 1
        }
        return nil
    }

    static func utf16(_ b: [UInt8], littleEndian: Bool, file: String) -> Result<Decoded, Diagnostic> {
        var units: [UInt16] = []
        units.reserveCapacity(b.count / 2)
        var i = 2
        while i + 1 < b.count {
            units.append(littleEndian ? UInt16(b[i]) | UInt16(b[i + 1]) << 8 : UInt16(b[i]) << 8 | UInt16(b[i + 1]))
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count)
        let hadError = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) { out.append($0) }
        if hadError || b.count % 2 != 0 {
            return .failure(.error("csv.encoding", "the file declares UTF-16 (byte-order mark) but holds invalid UTF-16 data",
                                   at: SourceLocation(file: file), hint: "re-export the file, or convert it to UTF-8"))
        }
        return .success(Decoded(bytes: ByteBuffer(out), encoding: littleEndian ? .utf16LE : .utf16BE))
    }

    /// Windows-1252 code points for bytes 0x80…0x9F (undefined ones map to the C1 control of the same value).
    static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// CP852 code points for bytes 0x80…0xFF.
    static let cp852High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x016F, 0x0107, 0x00E7, 0x0142, 0x00EB, 0x0150, 0x0151, 0x00EE, 0x0179, 0x00C4, 0x0106,
        0x00C9, 0x0139, 0x013A, 0x00F4, 0x00F6, 0x013D, 0x013E, 0x015A, 0x015B, 0x00D6, 0x00DC, 0x0164, 0x0165, 0x0141, 0x00D7, 0x010D,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x0104, 0x0105, 0x017D, 0x017E, 0x0118, 0x0119, 0x00AC, 0x017A, 0x010C, 0x015F, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x011A, 0x015E, 0x2563, 0x2551, 0x2557, 0x255D, 0x017B, 0x017C, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x0102, 0x0103, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
        0x0111, 0x0110, 0x010E, 0x00CB, 0x010F, 0x0147, 0x00CD, 0x00CE, 0x011B, 0x2518, 0x250C, 0x2588, 0x2584, 0x0162, 0x016E, 0x2580,
        0x00D3, 0x00DF, 0x00D4, 0x0143, 0x0144, 0x0148, 0x0160, 0x0161, 0x0154, 0x00DA, 0x0155, 0x0170, 0x00FD, 0x00DD, 0x0163, 0x00B4,
        0x00AD, 0x02DD, 0x02DB, 0x02C7, 0x02D8, 0x00A7, 0x00F7, 0x00B8, 0x00B0, 0x00A8, 0x02D9, 0x0171, 0x0158, 0x0159, 0x25A0, 0x00A0,
    ]

    static func cp852ToUTF8(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 8)
        for x in b {
            if x < 0x80 { out.append(x); continue }
            if let u = Unicode.Scalar(cp852High[Int(x) - 0x80]) { out.append(contentsOf: Array(String(Character(u)).utf8)) }
        }
        return out
    }

    /// For a file that is not UTF-8, the legacy code page (Windows-1252 or CP852) whose reading
    /// of the high bytes looks most like words: a letter of the same case as the ASCII letters
    /// around it scores, punctuation, symbols, box drawing and control characters inside a word do
    /// not. Windows-1252 wins ties, so only text that reads better as DOS Latin-2 changes.
    public static func legacyEncoding(_ data: Data) -> TextEncoding {
        let b = [UInt8](data)
        func score(_ map: (UInt8) -> UInt32) -> Int {
            var s = 0
            for i in b.indices where b[i] >= 0x80 {
                guard let u = Unicode.Scalar(map(b[i])) else { s -= 2; continue }
                let p = u.properties
                // Punctuation inside text is common; a C1 control or box drawing is not.
                guard p.isAlphabetic else { if u.value < 0xA0 || (u.value >= 0x2500 && u.value <= 0x25FF) { s -= 2 }; continue }
                let before = i > 0 ? b[i - 1] : 0x20, after = i + 1 < b.count ? b[i + 1] : 0x20
                func lower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
                if p.isLowercase { s += (lower(before) || lower(after)) ? 2 : 1 }
                else if p.isUppercase { s += lower(before) ? -1 : 1 }
            }
            return s
        }
        let w = score { $0 >= 0x80 && $0 <= 0x9F ? cp1252High[Int($0) - 0x80] : UInt32($0) }
        let d = score { cp852High[Int($0) - 0x80] }
        return d > w ? .cp852 : .windows1252
    }

    /// Decodes a non-UTF-8 file with the legacy code page ``legacyEncoding(_:)`` picks.
    public static func decodeLegacy(_ data: Data) -> Decoded {
        let enc = legacyEncoding(data)
        let b = [UInt8](data)
        return Decoded(bytes: ByteBuffer(enc == .cp852 ? cp852ToUTF8(b) : windows1252ToUTF8(b)), encoding: enc)
    }

    static func windows1252ToUTF8(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 8)
        for x in b {
            if x < 0x80 { out.append(x); continue }
            let scalar = (x >= 0x80 && x <= 0x9F) ? cp1252High[Int(x) - 0x80] : UInt32(x)
            if let u = Unicode.Scalar(scalar) { out.append(contentsOf: Array(String(Character(u)).utf8)) }
        }
        return out
    }
}

/// The decoded text as UTF-8 bytes, held in a `Data` so that a UTF-8 file is read in place
/// (no copy of a large file).
///
/// The bytes' address is taken once: the reader looks at cells millions of times, and each
/// `Data.withUnsafeBytes` costs a call through Foundation with an exclusivity check. This is sound
/// because `data` is a `let` that is never mutated, so its heap storage (a file mapping, or an
/// allocation) never moves while this buffer holds it; data small enough to be stored inline in
/// the `Data` value itself (whose address is not stable) is copied into storage of our own.
public struct ByteBuffer: Sendable {
    public let data: Data
    private let pinned: Pinned

    /// Keeps the address of the bytes valid for as long as any copy of the buffer lives.
    private final class Pinned: @unchecked Sendable {
        let base: UnsafePointer<UInt8>?
        let owned: UnsafeMutablePointer<UInt8>?
        init(_ data: Data) {
            if data.count <= 64 {
                let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, data.count))
                data.copyBytes(to: p, count: data.count)
                owned = p
                base = UnsafePointer(p)
            } else {
                owned = nil
                base = data.withUnsafeBytes { $0.bindMemory(to: UInt8.self).baseAddress }
            }
        }
        deinit { owned?.deallocate() }
    }

    public init(_ d: Data) {
        data = d.startIndex == 0 ? d : Data(d)
        pinned = Pinned(data)
    }
    public init(_ a: [UInt8]) { self.init(Data(a)) }
    public var count: Int { data.count }
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: pinned.base, count: data.count))
    }
    public subscript(i: Int) -> UInt8 { data[i] }
    public var array: [UInt8] { [UInt8](data) }
    func prefix(_ n: Int) -> ByteBuffer { ByteBuffer(Data(data.prefix(n))) }
}
