import Foundation
import SaldoCore
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// What Saldo writes holds someone's income, clients and tax ids, so only its owner may read it:
/// folders Saldo creates are 0700, files it creates 0600, whatever the process umask. Files that
/// already exist keep their mode (their owner chose it).
public enum PrivateFiles {
    public static let folderMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Creates `path` and any missing folders above it, each 0700. Existing folders are left as they are.
    public static func createFolder(_ path: String) throws(PrivateFileError) {
        var missing: [String] = []
        var p = URL(fileURLWithPath: path).standardizedFileURL.path
        while !p.isEmpty && p != "/" {
            var st = stat()
            if stat(p, &st) == 0 {
                guard st.st_mode & S_IFMT == S_IFDIR else { throw PrivateFileError(path: p, reason: LocalizedText("os.file_not_folder").english) }
                break
            }
            missing.append(p)
            p = (p as NSString).deletingLastPathComponent
        }
        for dir in missing.reversed() {
            if mkdir(dir, folderMode) != 0 {
                let e = errno
                var st = stat()
                if e == EEXIST, stat(dir, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { continue }   // created meanwhile
                throw PrivateFileError(path: dir, errno: e)
            }
            // mkdir's mode passes through the umask; set it exactly.
            if chmod(dir, folderMode) != 0 { throw PrivateFileError(path: dir, errno: errno) }
        }
    }

    /// Creates an empty file 0600 at `path` unless something is already there; true if it created it.
    @discardableResult
    public static func createEmptyFile(_ path: String) throws(PrivateFileError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw PrivateFileError(path: path, errno: errno)
        }
        defer { close(fd) }
        if fchmod(fd, fileMode) != 0 { throw PrivateFileError(path: path, errno: errno) }
        return true
    }

    /// Writes `data` to `path` atomically: into a temporary file in the same folder, then renamed over
    /// `path`, so a reader (or a crash) sees the old file or the new one, never half of it. A new file
    /// is 0600; an existing one keeps its mode. Through a symbolic link, the file it points to is
    /// replaced. A device or pipe (`/dev/stdout`) is written in place. The folder must exist.
    public static func write(_ data: Data, to path: String) throws(PrivateFileError) {
        var target = path
        var mode = fileMode
        var st = stat()
        if stat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFDIR: throw PrivateFileError(path: path, reason: LocalizedText("os.is_folder").english)
            case S_IFREG: break
            default: return try writeInPlace(data, to: path)
            }
            mode = st.st_mode & 0o7777
            var lst = stat()
            if lstat(path, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) {
                target = String(cString: real)
                free(real)
            }
        }
        let folder = (target as NSString).deletingLastPathComponent
        let name = String((target as NSString).lastPathComponent.prefix(200))
        var template = Array(((folder.isEmpty ? "." : folder) + "/." + name + ".saldo-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw PrivateFileError(path: path, errno: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        do throws(PrivateFileError) {
            try writeAll(data, to: fd, path: path)
            // mkstemp makes the file 0600 (less the umask); set the mode exactly, before anyone can see it.
            if fchmod(fd, mode) != 0 { throw PrivateFileError(path: path, errno: errno) }
            if fsync(fd) != 0 { throw PrivateFileError(path: path, errno: errno) }
            closed = true
            if close(fd) != 0 { throw PrivateFileError(path: path, errno: errno) }
            if rename(temporary, target) != 0 { throw PrivateFileError(path: path, errno: errno) }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
    }

    static func writeInPlace(_ data: Data, to path: String) throws(PrivateFileError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw PrivateFileError(path: path, errno: errno) }
        defer { close(fd) }
        try writeAll(data, to: fd, path: path)
    }

    static func writeAll(_ data: Data, to fd: Int32, path: String) throws(PrivateFileError) {
        let failure: Int32? = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let e = failure { throw PrivateFileError(path: path, errno: e) }
    }
}

/// A file or folder Saldo could not create or write.
public struct PrivateFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    init(path: String, errno e: Int32) { self.init(path: path, reason: SystemFailure.reason(errno: e)) }
    public var description: String { "\(path): \(reason)" }
}
