/// Counts how often each dedup key (as bytes) has been seen in a file: the second genuine
/// identical row gets occurrence 2, and so on. Keys are compared byte for byte (a hash only picks
/// the slot), so two different keys never share a count.
///
/// Built for a million keys: open addressing over one slot array, keys copied into one byte
/// buffer, no `String` or allocation per key (a `[String: Int]` spent more time allocating and
/// freeing its keys than hashing them).
struct OccurrenceCounter {
    private struct Slot {
        var hash: UInt64 = 0
        var start: Int32 = -1      // -1: empty
        var count: Int32 = 0
        var seen: Int32 = 0
    }
    private var slots: [Slot]
    private var keys: [UInt8] = []
    private var used = 0

    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(), count: capacity)
    }

    /// Records one more occurrence of `key` and returns how many times it has now been seen (1 the first time).
    mutating func bump(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        if (used + 1) * 4 > slots.count * 3 { grow() }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.start < 0 {
                let start = keys.count
                keys.append(contentsOf: key)
                slots[i] = Slot(hash: h, start: Int32(start), count: Int32(key.count), seen: 1)
                used += 1
                return 1
            }
            if s.hash == h && Int(s.count) == key.count && equal(s, key) {
                slots[i].seen += 1
                return Int(slots[i].seen)
            }
            i = (i + 1) & mask
        }
    }

    private func equal(_ s: Slot, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        keys.withUnsafeBufferPointer { k in
            guard let a = k.baseAddress, let b = key.baseAddress else { return key.isEmpty }
            return memcmp(a + Int(s.start), b, key.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for s in old where s.start >= 0 {
            var i = Int(truncatingIfNeeded: s.hash) & mask
            while slots[i].start >= 0 { i = (i + 1) & mask }
            slots[i] = s
        }
    }

    /// FNV-1a over 8-byte words, then a final mix (keys are short ASCII).
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(key.count)
        var i = 0
        let n = key.count
        if let base = key.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                h ^= h >> 29
                i += 8
            }
            while i < n { h = (h ^ UInt64(base[i])) &* 0x0000_0100_0000_01B3; i += 1 }
        }
        h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33
        return h
    }
}

import Foundation
