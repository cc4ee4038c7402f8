import Foundation

/// Diagnostics in a catalog's language, translated by their CODE at the presentation boundary:
/// the message from `diag.<code>` or `diag.<code>.<variant>` (the English template that makes the
/// English message; placeholders filled from ``Diagnostic/arguments`` or, without them, read back
/// from the English message), the hint likewise from `diag_hint.<code>…`. Location and code are
/// the same in every language; outside English the code follows the message, `[csv.amount]`, so
/// a Spanish message can be searched by its code. English is exactly ``Diagnostic/description``.
extension Diagnostic {
    public func localizedMessage(in L: Catalog) -> String {
        guard L.language != .en else { return message }
        return Diagnostic.translate(message, prefix: "diag.\(code)", arguments: arguments, in: L)
    }

    public func localizedHint(in L: Catalog) -> String? {
        guard L.language != .en, let hint else { return hint }
        return Diagnostic.translate(hint, prefix: "diag_hint.\(code)", arguments: arguments, in: L)
    }

    /// The location in the catalog's language: a field Saldo names itself in a fixed-layout format
    /// (`operation date` of a Norma 43 record, `:61: amount` of MT940) from `field.<family>.*`,
    /// where `<family>` is the code's first part; a file's own column names stay as the file writes them.
    public func localizedLocation(in L: Catalog) -> SourceLocation? {
        guard L.language != .en, var l = location, let field = l.field else { return location }
        let family = code.split(separator: ".").first.map(String.init) ?? code
        if let t = Catalog.recognize(field, keyPrefix: "field.\(family).") { l.field = t.text(in: L) }
        return l
    }

    /// ``description`` in the catalog's language.
    public func text(in L: Catalog) -> String {
        guard L.language != .en else { return description }
        var s = ""
        if let l = localizedLocation(in: L) { s += "\(l): " }
        if severity == .warning { s += L.text("diag.label.warning") }
        s += localizedMessage(in: L) + " [\(code)]"
        if let h = localizedHint(in: L) { s += "\n  " + L.text("diag.label.hint") + " " + h }
        return s
    }

    static func translate(_ english: String, prefix: String, arguments: [String: String], in L: Catalog) -> String {
        let en = Catalog.shipped(.en).entries
        if !arguments.isEmpty {
            for (key, template) in en where (key == prefix || key.hasPrefix(prefix + ".")) && Catalog.fill(template, arguments) == english {
                return LocalizedText(key, arguments).text(in: L)
            }
        }
        if let t = Catalog.recognize(english, keyPrefix: prefix), t.key == prefix || t.key.hasPrefix(prefix + ".") {
            return t.text(in: L)
        }
        // Messages any code may carry (`3 more problem(s) of this kind (csv.currency) not shown`), and hints
        // several codes share (what to export instead of a PDF, an image or a zip).
        if prefix.hasPrefix("diag."), let t = Catalog.recognize(english, keyPrefix: "diag.any.") { return t.text(in: L) }
        if prefix.hasPrefix("diag_hint."), let t = Catalog.recognize(english, keyPrefix: "diag_hint.any.") { return t.text(in: L) }
        return english
    }
}

extension DiagnosticsError {
    /// ``description`` in the catalog's language.
    public func text(in L: Catalog) -> String { diagnostics.map { $0.text(in: L) }.joined(separator: "\n") }
}
