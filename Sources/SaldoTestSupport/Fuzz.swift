/// Byte-level mutations for the readers' fuzz tests: each change is (position, value, operation),
/// the operation 0 replacing the byte at `position % count`, 1 inserting `value` there, 2 removing it.
public enum Fuzz {
    public static func mutate(_ seed: [UInt8], _ changes: [(Int, Int, Int)]) -> [UInt8] {
        var bytes = seed
        for (pos, value, op) in changes where !bytes.isEmpty {
            let i = pos % bytes.count
            switch op {
            case 0: bytes[i] = UInt8(truncatingIfNeeded: value)
            case 1: bytes.insert(UInt8(truncatingIfNeeded: value), at: i)
            default: bytes.remove(at: i)
            }
        }
        return bytes
    }
}
