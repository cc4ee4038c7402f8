#if canImport(Glibc)
import Glibc

// The allocator keeps what it frees for reuse instead of handing it back to the system at once:
// blocks under 8 MB come from its heap (not a fresh mapping each), and up to 64 MB freed at the top
// of a heap stay there. With glibc's defaults, the PostgreSQL driver's read buffers (a few hundred
// kilobytes, allocated and freed for every large result) were mapped, zero-filled and unmapped
// each time: on an office's quarter-end for 2,000 clients that was 12.6 s of system time against
// 5.0 s with these two settings (measured back to back; docs/architecture.md, "Memory").
// `mallopt` is in <malloc.h>, which the Glibc module does not export: found by name, with the
// option numbers malloc.h gives them (M_TRIM_THRESHOLD -1, M_MMAP_THRESHOLD -3).
if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
    _ = mallopt(-3, 8 << 20)
    _ = mallopt(-1, 64 << 20)
}
#endif

import SaldoCLI
SaldoCLI.main()
