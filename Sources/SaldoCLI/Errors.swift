import SaldoCore

/// An error the user can fix (bad input, missing data): printed plainly, exit status 1.
public struct UserError: Error, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
    public var description: String { hint.map { "\(message)\n  hint: \($0)" } ?? message }
}

/// A capability that is announced but not part of this build: says so, exit status 1.
public struct NotAvailable: Error, CustomStringConvertible {
    public var what: String
    public var description: String { "\(what) is not available in this version of Saldo yet." }
}

/// Exit statuses: 0 ok, 1 user or input error, 2 usage error, 3 problems found (e.g. a check failed).
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let userError: Int32 = 1
    public static let usage: Int32 = 2
    public static let problemsFound: Int32 = 3
}
