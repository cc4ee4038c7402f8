import Foundation

/// A failure the operating system or SQLite reported, in Saldo's words: the common ones (no such
/// file, permission denied, a folder where a file was expected, a full or read-only disk…) as an
/// `os.*` catalog text, so a front end shows them in its language (an argument named `…reason`
/// holding one is translated, see ``Catalog/localizing(_:)``); anything else keeps the system's
/// own words as a detail inside `os.other`.
public enum SystemFailure {
    /// The English text for an `errno` value.
    public static func reason(errno code: Int32) -> String {
        if let key = key(errno: code) { return LocalizedText(key).english }
        return LocalizedText("os.other", ["detail": String(cString: strerror(code))]).english
    }

    /// The English text for an error thrown by Foundation's file APIs (or a POSIX error) on `path`
    /// (a folder where a file was expected is said as such, whatever the error's code).
    public static func reason(_ error: any Error, path: String? = nil) -> String {
        var isFolder: ObjCBool = false
        if let path, FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            return LocalizedText("os.is_folder").english
        }
        let ns = error as NSError
        if let code = posixCode(ns), let key = key(errno: code) { return LocalizedText(key).english }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return LocalizedText("os.no_such_file").english
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return LocalizedText("os.permission").english
            case NSFileWriteOutOfSpaceError: return LocalizedText("os.disk_full").english
            case NSFileWriteVolumeReadOnlyError: return LocalizedText("os.read_only_disk").english
            default: break
            }
        }
        return LocalizedText("os.other", ["detail": ns.localizedDescription]).english
    }

    static func posixCode(_ ns: NSError) -> Int32? {
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let under = ns.userInfo[NSUnderlyingErrorKey] as? NSError { return posixCode(under) }
        return nil
    }

    static func key(errno code: Int32) -> String? {
        switch code {
        case ENOENT: return "os.no_such_file"
        case EACCES, EPERM: return "os.permission"
        case EISDIR: return "os.is_folder"
        case ENOTDIR: return "os.not_folder"
        case ENOSPC, EDQUOT: return "os.disk_full"
        case EROFS: return "os.read_only_disk"
        case EIO: return "os.io"
        case EMFILE, ENFILE: return "os.too_many_files"
        case ENAMETOOLONG: return "os.name_too_long"
        default: return nil
        }
    }
}
