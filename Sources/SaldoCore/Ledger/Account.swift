/// A colon-separated account path under one of five roots, e.g. `assets:paypal`,
/// `expenses:fees:wise`, `income:prolific`.
///
/// Components are lower case letters, digits, `-` and `_` (so that the same names load in
/// hledger and, capitalised, in beancount). Input is normalised: trimmed, lower-cased,
/// spaces become `-`.
public struct Account: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public enum Root: String, CaseIterable, Sendable {
        case assets, liabilities, income, expenses, equity
    }

    public let path: String

    public init(_ text: String) throws(LedgerError) {
        let norm = text.trimmingCharactersWhitespace().lowercased()
        let parts = norm.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let root = parts.first, Root(rawValue: root) != nil else {
            throw .invalidAccount(text, reason: "it must start with assets, liabilities, income, expenses or equity")
        }
        for p in parts where p.isEmpty {
            throw .invalidAccount(text, reason: "it has an empty part between colons")
        }
        for p in parts where !p.allSatisfy({ ($0.isLetter && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "-" || $0 == "_" }) {
            throw .invalidAccount(text, reason: "\"\(p)\" may hold only letters a-z, digits, - and _")
        }
        path = parts.joined(separator: ":")
    }

    /// Builds `root:a:b` from free text parts (institution names, platform names), normalising each.
    public init(_ root: Root, _ parts: String...) {
        let comps = [root.rawValue] + parts.map { Account.normalizeComponent($0) }.filter { !$0.isEmpty }
        path = comps.joined(separator: ":")
    }

    /// `PayPal Europe` → `paypal-europe`; accents dropped, other characters removed.
    public static func normalizeComponent(_ s: String) -> String {
        var out = ""
        var lastDash = false
        for ch in s.lowercased().folding(options: .diacriticInsensitive, locale: nil) {
            if (ch.isASCII && ch.isLetter) || (ch.isASCII && ch.isNumber) || ch == "_" {
                out.append(ch); lastDash = false
            } else if (ch == " " || ch == "-" || ch == "." || ch == "/" || ch == "&") && !lastDash && !out.isEmpty {
                out.append("-"); lastDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// The root, told by the path's first two bytes: every initialiser makes the path start with a
    /// root's name, and the five differ there (`expenses`, `equity` in the second). Read for every
    /// posting of a tax computation: making the first part as a string cost 4% of an office's
    /// quarter-end.
    public var root: Root {
        var bytes = path.utf8.makeIterator()
        switch (bytes.next(), bytes.next()) {
        case (UInt8(ascii: "a"), _): return .assets
        case (UInt8(ascii: "l"), _): return .liabilities
        case (UInt8(ascii: "i"), _): return .income
        case (UInt8(ascii: "e"), UInt8(ascii: "x")): return .expenses
        default: return .equity
        }
    }
    public var components: [String] { path.split(separator: ":").map(String.init) }
    public var parent: Account? {
        guard let i = path.lastIndex(of: ":") else { return nil }
        return try? Account(String(path[..<i]))
    }
    public func isUnder(_ other: Account) -> Bool { path == other.path || path.hasPrefix(other.path + ":") }

    public static func < (a: Account, b: Account) -> Bool { a.path < b.path }
    public var description: String { path }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(path)
    }
}

import Foundation
