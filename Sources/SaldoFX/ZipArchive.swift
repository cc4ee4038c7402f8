import Foundation

/// Why a zip archive could not be read.
public enum ZipError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAZip
    case truncated(String)
    case unsupported(String)
    case corrupt(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .notAZip: return "not a zip archive: no end-of-central-directory record was found"
        case .truncated(let w): return "the zip archive is cut short (\(w))"
        case .unsupported(let w): return "the zip archive uses a feature Saldo does not read: \(w)"
        case .corrupt(let w): return "the zip archive is damaged: \(w)"
        case .tooLarge(let w): return "the zip archive is too large to read: \(w)"
        }
    }
}

/// A minimal reader for the zip archives the ECB publishes (`eurofxref-hist.zip`): entries that
/// are stored or deflated, no encryption, no ZIP64. Every size and offset is bounds-checked, the
/// inflated size may not exceed what the directory declares (nor ``maximumEntrySize``), and the
/// CRC-32 is verified.
public enum ZipArchive {
    public struct Entry: Sendable {
        public var name: String
        public var data: Data
    }

    /// 256 MiB: far more than any rate file.
    public static let maximumEntrySize = 256 << 20

    public static func isZip(_ data: Data) -> Bool { data.count >= 4 && data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    public static func entries(_ data: Data) throws(ZipError) -> [Entry] {
        let b = [UInt8](data)
        func u16(_ o: Int) throws(ZipError) -> Int {
            guard o >= 0, o + 2 <= b.count else { throw .truncated("at byte \(o)") }
            return Int(b[o]) | Int(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws(ZipError) -> Int {
            guard o >= 0, o + 4 <= b.count else { throw .truncated("at byte \(o)") }
            return Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
        }
        // End of central directory: the last 22+ bytes, possibly followed by a comment.
        guard b.count >= 22 else { throw .notAZip }
        var eocd = -1
        var i = b.count - 22
        let lowest = max(0, b.count - 22 - 65535)
        while i >= lowest {
            if b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw .notAZip }
        let count = try u16(eocd + 10)
        let cdOffset = try u32(eocd + 16)
        if count == 0xFFFF || cdOffset == 0xFFFF_FFFF { throw .unsupported("ZIP64") }
        var out: [Entry] = []
        var p = cdOffset
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw .corrupt("central directory entry expected at byte \(p)") }
            let flags = try u16(p + 8)
            let method = try u16(p + 10)
            let crc = try u32(p + 16)
            let csize = try u32(p + 20)
            let usize = try u32(p + 24)
            let nlen = try u16(p + 28), elen = try u16(p + 30), clen = try u16(p + 32)
            let local = try u32(p + 42)
            guard p + 46 + nlen <= b.count else { throw .truncated("entry name") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nlen)], as: UTF8.self)
            p += 46 + nlen + elen + clen
            if flags & 1 != 0 { throw .unsupported("\(name) is encrypted") }
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF { throw .unsupported("ZIP64 sizes for \(name)") }
            guard usize <= maximumEntrySize else { throw .tooLarge("\(name) declares \(usize) bytes") }
            guard try u32(local) == 0x0403_4B50 else { throw .corrupt("local header of \(name) missing") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start >= 0, start + csize <= b.count else { throw .truncated("data of \(name)") }
            let raw = b[start..<(start + csize)]
            let bytes: [UInt8]
            switch method {
            case 0:
                guard csize == usize else { throw .corrupt("stored entry \(name) has two different sizes") }
                bytes = Array(raw)
            case 8:
                var inflater = Inflater(raw, limit: usize)
                bytes = try inflater.run(name)
                guard bytes.count == usize else { throw .corrupt("\(name) inflates to \(bytes.count) bytes, the directory says \(usize)") }
            default:
                throw .unsupported("compression method \(method) for \(name) (only stored and deflate are read)")
            }
            guard crc32(bytes) == UInt32(crc) else { throw .corrupt("checksum of \(name) does not match") }
            out.append(Entry(name: name, data: Data(bytes)))
        }
        return out
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for x in bytes { c = crcTable[Int((c ^ UInt32(x)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// A raw DEFLATE (RFC 1951) decoder after Mark Adler's `puff.c`: small, checked at every step,
/// and bounded in output. Used only for rate files, so clarity wins over speed.
struct Inflater {
    let input: ArraySlice<UInt8>
    var pos: Int
    var bitBuffer: UInt32 = 0
    var bitCount: UInt32 = 0
    var out: [UInt8] = []
    let limit: Int

    init(_ input: ArraySlice<UInt8>, limit: Int) {
        self.input = input; self.pos = input.startIndex; self.limit = limit
        out.reserveCapacity(limit)
    }

    struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]
        init(size: Int) { symbol = [Int](repeating: 0, count: size) }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func bits(_ n: UInt32) throws(ZipError) -> Int {
        var v = bitBuffer
        while bitCount < n {
            guard pos < input.endIndex else { throw .truncated("compressed data ends early") }
            v |= UInt32(input[pos]) << bitCount
            pos += 1
            bitCount += 8
        }
        bitBuffer = n == 32 ? 0 : v >> n
        bitCount -= n
        return Int(v & ((1 << n) - 1))
    }

    /// Builds a canonical Huffman decoding table; returns 0 if complete, > 0 if incomplete,
    /// < 0 if over-subscribed.
    static func construct(_ h: inout Huffman, _ lengths: ArraySlice<Int>) -> Int {
        for i in 0..<16 { h.count[i] = 0 }
        for l in lengths { h.count[l] += 1 }
        if h.count[0] == lengths.count { return 0 }
        var left = 1
        for len in 1..<16 {
            left <<= 1
            left -= h.count[len]
            if left < 0 { return left }
        }
        var offs = [Int](repeating: 0, count: 16)
        for len in 1..<15 { offs[len + 1] = offs[len] + h.count[len] }
        for (symbol, l) in lengths.enumerated() where l != 0 {
            h.symbol[offs[l]] = symbol
            offs[l] += 1
        }
        return left
    }

    mutating func decode(_ h: Huffman) throws(ZipError) -> Int {
        var code = 0, first = 0, index = 0
        for len in 1..<16 {
            code |= try bits(1)
            let count = h.count[len]
            if code - count < first { return h.symbol[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw .corrupt("invalid Huffman code")
    }

    mutating func emit(_ byte: UInt8) throws(ZipError) {
        guard out.count < limit else { throw .corrupt("inflates to more bytes than declared") }
        out.append(byte)
    }

    mutating func stored() throws(ZipError) {
        bitBuffer = 0; bitCount = 0
        guard pos + 4 <= input.endIndex else { throw .truncated("stored block header") }
        let len = Int(input[pos]) | Int(input[pos + 1]) << 8
        let nlen = Int(input[pos + 2]) | Int(input[pos + 3]) << 8
        guard len == (~nlen & 0xFFFF) else { throw .corrupt("stored block length check failed") }
        pos += 4
        guard pos + len <= input.endIndex else { throw .truncated("stored block") }
        guard out.count + len <= limit else { throw .corrupt("inflates to more bytes than declared") }
        out += input[pos..<(pos + len)]
        pos += len
    }

    mutating func codes(_ lencode: Huffman, _ distcode: Huffman) throws(ZipError) {
        while true {
            var symbol = try decode(lencode)
            if symbol < 256 { try emit(UInt8(symbol)); continue }
            if symbol == 256 { return }
            symbol -= 257
            guard symbol < 29 else { throw .corrupt("invalid length code") }
            let len = Inflater.lengthBase[symbol] + (try bits(UInt32(Inflater.lengthExtra[symbol])))
            let ds = try decode(distcode)
            guard ds < 30 else { throw .corrupt("invalid distance code") }
            let dist = Inflater.distBase[ds] + (try bits(UInt32(Inflater.distExtra[ds])))
            guard dist <= out.count else { throw .corrupt("distance too far back") }
            guard out.count + len <= limit else { throw .corrupt("inflates to more bytes than declared") }
            var from = out.count - dist
            for _ in 0..<len { out.append(out[from]); from += 1 }
        }
    }

    mutating func fixed() throws(ZipError) {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        var lencode = Huffman(size: 288)
        _ = Inflater.construct(&lencode, lengths[...])
        var distcode = Huffman(size: 30)
        _ = Inflater.construct(&distcode, [Int](repeating: 5, count: 30)[...])
        try codes(lencode, distcode)
    }

    mutating func dynamic() throws(ZipError) {
        let nlen = try bits(5) + 257
        let ndist = try bits(5) + 1
        let ncode = try bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw .corrupt("bad code counts") }
        var lengths = [Int](repeating: 0, count: 320)
        for i in 0..<ncode { lengths[Inflater.order[i]] = try bits(3) }
        var lencode = Huffman(size: 320)
        guard Inflater.construct(&lencode, lengths[0..<19]) == 0 else { throw .corrupt("incomplete code-length code") }
        var index = 0
        while index < nlen + ndist {
            var symbol = try decode(lencode)
            if symbol < 16 {
                lengths[index] = symbol; index += 1
            } else {
                var len = 0
                if symbol == 16 {
                    guard index > 0 else { throw .corrupt("repeat with no previous length") }
                    len = lengths[index - 1]
                    symbol = 3 + (try bits(2))
                } else if symbol == 17 {
                    symbol = 3 + (try bits(3))
                } else {
                    symbol = 11 + (try bits(7))
                }
                guard index + symbol <= nlen + ndist else { throw .corrupt("too many lengths") }
                for _ in 0..<symbol { lengths[index] = len; index += 1 }
            }
        }
        guard lengths[256] != 0 else { throw .corrupt("no end-of-block code") }
        var err = Inflater.construct(&lencode, lengths[0..<nlen])
        guard err >= 0, err == 0 || nlen - lencode.count[0] == 1 else { throw .corrupt("incomplete literal/length code") }
        var distcode = Huffman(size: 30)
        err = Inflater.construct(&distcode, lengths[nlen..<(nlen + ndist)])
        guard err >= 0, err == 0 || ndist - distcode.count[0] == 1 else { throw .corrupt("incomplete distance code") }
        try codes(lencode, distcode)
    }

    mutating func run(_ name: String) throws(ZipError) -> [UInt8] {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored()
            case 1: try fixed()
            case 2: try dynamic()
            default: throw .corrupt("invalid block type in \(name)")
            }
        } while last == 0
        return out
    }
}
