import Foundation
import ZIPFoundation

/// Limits every archive read enforces. The defaults suit statements and rate files: an .xlsx of a
/// million rows is about 100 MiB of XML inflated, with ratios around 10:1.
public struct ZipLimits: Hashable, Sendable {
    /// Most entries (files and folders) in one archive.
    public var maxEntries: Int
    /// Largest inflated size of one entry, declared or actual, in bytes.
    public var maxEntryBytes: Int
    /// Largest inflated size of all entries read from one archive, in bytes.
    public var maxTotalBytes: Int
    /// Highest inflated : compressed ratio accepted for an entry larger than ``ratioFloorBytes``.
    public var maxRatio: Int
    /// Entries that inflate to less than this are not held to ``maxRatio`` (tiny files compress oddly).
    public var ratioFloorBytes: Int

    public init(maxEntries: Int = 10_000, maxEntryBytes: Int = 512 << 20, maxTotalBytes: Int = 1 << 30,
                maxRatio: Int = 200, ratioFloorBytes: Int = 1 << 20) {
        self.maxEntries = maxEntries; self.maxEntryBytes = maxEntryBytes; self.maxTotalBytes = maxTotalBytes
        self.maxRatio = maxRatio; self.ratioFloorBytes = ratioFloorBytes
    }
    public static let standard = ZipLimits()
}

/// Why a zip archive, or one of its entries, was refused. Each case says what was found.
public enum ZipError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No zip structure (no end-of-central-directory record, or a damaged directory).
    case notAZip
    /// The archive is cut short or its directory does not match its contents.
    case damaged(String)
    case unsupported(String)
    case tooManyEntries(found: Int, limit: Int)
    /// An entry declares, or inflates to, more bytes than accepted.
    case tooLarge(entry: String, bytes: Int, limit: Int)
    /// An entry inflates far more than real documents do (a zip bomb).
    case ratio(entry: String, ratio: Int, limit: Int)
    /// A name that could escape a folder when extracted (`..`, an absolute path, a backslash).
    case unsafeName(String)
    case missingEntry(String)

    public var description: String {
        switch self {
        case .notAZip: return "not a zip archive: no readable central directory was found"
        case .damaged(let w): return "the zip archive is damaged or cut short: \(w)"
        case .unsupported(let w): return "the zip archive uses a feature Saldo does not read: \(w)"
        case .tooManyEntries(let n, let l): return "the zip archive holds \(n) entries, more than the \(l) accepted"
        case .tooLarge(let e, let b, let l):
            return "\(e) inflates to more than \(l / (1 << 20)) MiB (\(b) bytes or more), more than accepted"
        case .ratio(let e, let r, let l):
            return "\(e) inflates \(r) times its compressed size, more than the \(l) times real documents reach (a zip bomb)"
        case .unsafeName(let n): return "the zip archive holds an entry named \"\(n)\", which points outside the archive"
        case .missingEntry(let n): return "the zip archive holds no \(n)"
        }
    }
}

/// Reads zip archives from memory through ZIPFoundation, with ``ZipLimits``: the entry count is
/// checked before anything is inflated, names that could escape a folder are refused, and each
/// entry is inflated chunk by chunk, stopping as soon as it passes its declared size, the size
/// limit or the ratio limit (so a zip bomb costs at most one chunk past the limit). CRC-32 is
/// verified.
public struct ZipReader {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var compressedSize: Int
        public var declaredSize: Int
        public var isDirectory: Bool
    }

    public let limits: ZipLimits
    public let entries: [Entry]
    let archive: Archive
    let byName: [String: ZIPFoundation.Entry]
    var inflatedTotal = 0

    /// Whether the bytes start like a zip archive (a local file header, or an empty archive).
    public static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04]) || data.prefix(4).elementsEqual([0x50, 0x4B, 0x05, 0x06])
    }

    public init(data: Data, limits: ZipLimits = .standard) throws(ZipError) {
        self.limits = limits
        guard data.count >= 22 else { throw data.isEmpty || !Self.looksLikeZip(data) ? .notAZip : .damaged("only \(data.count) bytes") }
        try Self.preflight(data, limits: limits)
        let a: Archive
        do { a = try Archive(data: data, accessMode: .read) } catch {
            throw Self.looksLikeZip(data) ? .damaged("no readable central directory") : .notAZip
        }
        archive = a
        var list: [Entry] = []
        var map: [String: ZIPFoundation.Entry] = [:]
        // The iterator walks the central directory; stop counting past the limit without reading the rest.
        for e in a {
            if list.count >= limits.maxEntries { throw .tooManyEntries(found: list.count + 1, limit: limits.maxEntries) }
            let name = e.path
            try Self.checkName(name)
            let declared = e.uncompressedSize > UInt64(Int.max) ? Int.max : Int(e.uncompressedSize)
            let compressed = e.compressedSize > UInt64(Int.max) ? Int.max : Int(e.compressedSize)
            list.append(Entry(name: name, compressedSize: compressed, declaredSize: declared, isDirectory: e.type == .directory))
            if map[name] == nil { map[name] = e }
        }
        entries = list
        byName = map
        if list.isEmpty && !Self.looksLikeZip(data) { throw .notAZip }
    }

    /// Checks every offset and length the central directory and the local headers give against the
    /// archive's size before ZIPFoundation reads them: its in-memory file (0.9.20,
    /// `Archive.MemoryFile.readData`) traps on a read after a seek past the end, which one damaged
    /// offset causes (pinned by `ZipReaderTests.everyFlippedByteIsAnErrorNotATrap`). ZIP64 is refused:
    /// nothing Saldo reads comes near 4 GiB.
    static func preflight(_ data: Data, limits: ZipLimits) throws(ZipError) {
        let b = data
        let n = b.count
        let s = b.startIndex
        func u16(_ o: Int) throws(ZipError) -> Int {
            guard o >= 0, o + 2 <= n else { throw .damaged("a record runs past the end at byte \(o)") }
            return Int(b[s + o]) | Int(b[s + o + 1]) << 8
        }
        func u32(_ o: Int) throws(ZipError) -> Int {
            guard o >= 0, o + 4 <= n else { throw .damaged("a record runs past the end at byte \(o)") }
            return Int(b[s + o]) | Int(b[s + o + 1]) << 8 | Int(b[s + o + 2]) << 16 | Int(b[s + o + 3]) << 24
        }
        var eocd = -1
        var i = n - 22
        let lowest = max(0, n - 22 - 65535)
        while i >= lowest {
            if b[s + i] == 0x50 && b[s + i + 1] == 0x4B && b[s + i + 2] == 0x05 && b[s + i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw looksLikeZip(data) ? .damaged("the end-of-central-directory record is missing (the file is cut short)") : .notAZip }
        let disk = try u16(eocd + 4), cdDisk = try u16(eocd + 6)
        let count = try u16(eocd + 10), total = try u16(eocd + 8)
        let cdSize = try u32(eocd + 12), cdOffset = try u32(eocd + 16)
        if count == 0xFFFF || cdOffset == 0xFFFF_FFFF || cdSize == 0xFFFF_FFFF { throw .unsupported("ZIP64 (archives over 4 GiB or 65,535 entries)") }
        if disk != 0 || cdDisk != 0 || count != total { throw .unsupported("archives split over several disks") }
        if count > limits.maxEntries { throw .tooManyEntries(found: count, limit: limits.maxEntries) }
        guard cdOffset + cdSize <= eocd else { throw .damaged("the central directory lies outside the archive") }
        var p = cdOffset
        for _ in 0..<count {
            guard try u32(p) == 0x0201_4B50 else { throw .damaged("a central directory entry is expected at byte \(p)") }
            let flags = try u16(p + 8)
            let csize = try u32(p + 20), usize = try u32(p + 24)
            let nlen = try u16(p + 28), elen = try u16(p + 30), clen = try u16(p + 32)
            let local = try u32(p + 42)
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF || local == 0xFFFF_FFFF { throw .unsupported("ZIP64 entries") }
            if flags & 1 != 0 { throw .unsupported("encrypted entries") }
            guard p + 46 + nlen + elen + clen <= cdOffset + cdSize else { throw .damaged("a central directory entry runs past the directory") }
            guard local + 30 <= cdOffset, try u32(local) == 0x0403_4B50 else { throw .damaged("a local file header is missing at byte \(local)") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            let end = start + csize + (flags & 8 != 0 ? 12 : 0)   // a data descriptor: 12 bytes at least
            guard end <= cdOffset else { throw .damaged("an entry's data runs past the start of the central directory") }
            p += 46 + nlen + elen + clen
        }
    }

    static func checkName(_ name: String) throws(ZipError) {
        if name.isEmpty || name.hasPrefix("/") || name.contains("\\") || name.contains("\0") { throw .unsafeName(name) }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains("..") { throw .unsafeName(name) }
        // A drive letter (`C:`) makes a path absolute on Windows.
        if name.count >= 2, name.dropFirst().first == ":" { throw .unsafeName(name) }
    }

    public func contains(_ name: String) -> Bool { byName[name] != nil }

    /// The inflated bytes of `name`, or why they cannot be read.
    public mutating func data(of name: String) throws(ZipError) -> Data {
        guard let e = byName[name] else { throw .missingEntry(name) }
        let declared = e.uncompressedSize > UInt64(Int.max) ? Int.max : Int(e.uncompressedSize)
        let compressed = max(1, e.compressedSize > UInt64(Int.max) ? Int.max : Int(e.compressedSize))
        let limit = min(limits.maxEntryBytes, limits.maxTotalBytes - inflatedTotal)
        if declared > limit { throw .tooLarge(entry: name, bytes: declared, limit: limit) }
        if declared > limits.ratioFloorBytes && declared / compressed > limits.maxRatio {
            throw .ratio(entry: name, ratio: declared / compressed, limit: limits.maxRatio)
        }
        if e.type == .directory { return Data() }
        if e.type == .symlink { throw .unsupported("\(name) is a symbolic link") }
        var out = Data()
        out.reserveCapacity(min(declared, 64 << 20))
        var stop: ZipError?
        var crc = ZipCRC32()
        let limits = self.limits
        do {
            // The checksum is computed here (``ZipCRC32``, eight bytes at a time) rather than by ZIPFoundation.
            _ = try archive.extract(e, bufferSize: 64 * 1024, skipCRC32: true) { chunk in
                chunk.withUnsafeBytes { crc.update($0) }
                out.append(chunk)
                if out.count > declared { stop = .damaged("\(name) inflates to more than the \(declared) bytes its directory entry declares"); throw CancellationError() }
                if out.count > limit { stop = .tooLarge(entry: name, bytes: out.count, limit: limit); throw CancellationError() }
                if out.count > limits.ratioFloorBytes && out.count / compressed > limits.maxRatio {
                    stop = .ratio(entry: name, ratio: out.count / compressed, limit: limits.maxRatio); throw CancellationError()
                }
            }
        } catch {
            if let stop { throw stop }
            throw Self.translate(error, name)
        }
        if out.count != declared { throw .damaged("\(name) inflates to \(out.count) bytes, its directory entry declares \(declared)") }
        if crc.value != e.checksum { throw Self.translate(Archive.ArchiveError.invalidCRC32, name) }
        inflatedTotal += out.count
        return out
    }

    static func translate(_ error: any Error, _ name: String) -> ZipError {
        if let a = error as? Archive.ArchiveError {
            switch a {
            case .invalidCRC32: return .damaged("the checksum of \(name) does not match")
            case .invalidCompressionMethod: return .unsupported("the compression method of \(name) (only stored and deflate are read)")
            case .invalidEntryPath: return .unsafeName(name)
            default: return .damaged("\(name) cannot be read (\(a))")
            }
        }
        return .damaged("\(name) cannot be inflated (\(error))")
    }

    /// Every file entry, inflated, in directory order (folders skipped).
    public static func files(_ data: Data, limits: ZipLimits = .standard) throws(ZipError) -> [(name: String, data: Data)] {
        var r = try ZipReader(data: data, limits: limits)
        var out: [(String, Data)] = []
        for e in r.entries where !e.isDirectory { out.append((e.name, try r.data(of: e.name))) }
        return out
    }
}
