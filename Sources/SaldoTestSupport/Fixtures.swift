import Foundation

/// Finds files under the repository's `fixtures/` folder (located from this source file's path),
/// and `../shared` when it is present.
public enum Fixtures {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relative: String) -> URL { root.appendingPathComponent("fixtures").appendingPathComponent(relative) }
    public static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }
    public static func text(_ relative: String) throws -> String { try String(decoding: data(relative), as: UTF8.self) }

    /// Compares `actual` with the golden file `fixtures/<relative>`. Returns nil when equal, else a readable
    /// failure: the difference, or that the golden is missing (with its path and how to record it).
    /// With `SALDO_UPDATE_GOLDENS=1` it records `actual` instead and returns nil, or the reason the write
    /// failed: a recording that cannot write is a failure, never a silent pass.
    public static func compareGolden(_ actual: String, _ relative: String) -> String? {
        compareGolden(actual, at: url(relative), name: relative, environment: ProcessInfo.processInfo.environment)
    }

    /// `compareGolden` on any file, with the environment given (tests of the comparison itself).
    public static func compareGolden(_ actual: String, at u: URL, name: String, environment: [String: String]) -> String? {
        if environment["SALDO_UPDATE_GOLDENS"] == "1" {
            do {
                try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: u, atomically: true, encoding: .utf8)
                return nil
            } catch {
                return "golden \(name): recording failed, cannot write \(u.path): \(error.localizedDescription)"
            }
        }
        guard FileManager.default.fileExists(atPath: u.path) else {
            return "golden \(name) is missing (\(u.path)); record it with `SALDO_UPDATE_GOLDENS=1 swift test --filter <the test>`, then read the new file before committing it"
        }
        let expected: String
        do { expected = try String(contentsOf: u, encoding: .utf8) } catch {
            return "golden \(name) cannot be read (\(u.path)): \(error.localizedDescription)"
        }
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end>"
            let al = i < a.count ? String(a[i]) : "<end>"
            if el != al { return "golden \(name) differs at line \(i + 1):\n  expected: \(el)\n  actual:   \(al)" }
        }
        return "golden \(name) differs"
    }

    private static let umaskLock = NSLock()

    /// Runs `body` with the process umask set to `mask` (the umask is the whole process's: one test at
    /// a time changes it), then restores it. File modes are checked under the common 022, where
    /// files created without an explicit mode come out 0644.
    public static func withUmask<T>(_ mask: mode_t = 0o022, _ body: () throws -> T) rethrows -> T {
        umaskLock.lock(); defer { umaskLock.unlock() }
        let previous = umask(mask)
        defer { umask(previous) }
        return try body()
    }

    /// The permission bits of a file or folder (following symbolic links), e.g. 0o600; nil when it does not exist.
    public static func mode(_ path: String) -> mode_t? {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
