/// Counts how often each dedup key (as bytes) has been seen in a file: the second genuine
/// identical row gets occurrence 2, and so on. Keys are compared byte for byte (a hash only picks
/// the slot), so two different keys never share a count.
///
/// Built for a million keys: open addressing over one table of 8-byte slots, keys copied into one
/// byte buffer, no `String` or allocation per key (a `[String: Int]` spent more time allocating
/// and freeing its keys than hashing them). Nearly every insert lands on a slot no other recent
/// insert touched, so the time goes to cache and TLB misses: the slots are kept small (the table
/// for a million-row file fits in a server's L3 cache) and, on Linux, in huge pages.
struct OccurrenceCounter: ~Copyable {
    /// Per slot: the hash's upper 32 bits, then the key's number + 1 (0: empty).
    private var slots: UnsafeMutableBufferPointer<UInt64>
    /// Per key number: where its bytes start in `keys` (the next key's start is where they end),
    /// and how often it was seen.
    private var starts: [Int] = [0]
    private var seen: [Int32] = []
    private var keys: [UInt8] = []

    init(expected: Int = 1024) {
        var capacity = 16
        while capacity * 3 < expected * 4 { capacity <<= 1 }
        slots = Self.allocate(capacity)
    }

    deinit { Self.free(slots) }

    var count: Int { seen.count }

    /// Records one more occurrence of `key` and returns how many times it has now been seen (1 the first time).
    mutating func bump(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        if (seen.count + 1) * 4 > slots.count * 3 { grow() }
        let h = Self.hash(key)
        let tag = h & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 {
                let n = seen.count
                keys.append(contentsOf: key)
                starts.append(keys.count)
                seen.append(1)
                slots[i] = tag | UInt64(n + 1)
                return 1
            }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let n = Int(s & 0xFFFF_FFFF) - 1
                if equal(n, key) {
                    seen[n] += 1
                    return Int(seen[n])
                }
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ n: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = starts[n], b = starts[n + 1]
        guard b - a == key.count else { return false }
        if key.isEmpty { return true }
        return keys.withUnsafeBufferPointer { k in memcmp(k.baseAddress! + a, key.baseAddress!, key.count) == 0 }
    }

    private mutating func grow() {
        let old = slots
        slots = Self.allocate(old.count * 2)
        let mask = slots.count - 1
        for n in seen.indices {
            let h = keys.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[starts[n]..<starts[n + 1]])) }
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(n + 1)
        }
        Self.free(old)
    }

    /// The standard library's seeded hash of the bytes (keys from a file cannot make probe chains long).
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(key))
        return UInt64(bitPattern: Int64(h.finalize()))
    }

    /// Zeroed slots; tables of 2 MiB or more are asked to live in huge pages (fewer TLB misses).
    private static func allocate(_ count: Int) -> UnsafeMutableBufferPointer<UInt64> {
        let bytes = count * MemoryLayout<UInt64>.stride
        let huge = 2 << 20
        var raw: UnsafeMutableRawPointer?
        if bytes >= huge, posix_memalign(&raw, huge, bytes) == 0, let r = raw {
            #if os(Linux)
            _ = madvise(r, bytes, MADV_HUGEPAGE)
            #endif
            memset(r, 0, bytes)
            return UnsafeMutableBufferPointer(start: r.bindMemory(to: UInt64.self, capacity: count), count: count)
        }
        let r = calloc(count, MemoryLayout<UInt64>.stride)!
        return UnsafeMutableBufferPointer(start: r.bindMemory(to: UInt64.self, capacity: count), count: count)
    }

    private static func free(_ p: UnsafeMutableBufferPointer<UInt64>) {
        // posix_memalign and calloc memory is released with free(3).
        Foundation.free(p.baseAddress)
    }
}

import Foundation
