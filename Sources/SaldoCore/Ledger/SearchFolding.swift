/// How searches and name filters compare text: letters without case and without accents, so that
/// "lucia", "Lucía" and "LUCÍA" are the same words, as are "conversion" and "CONVERSIÓN" (banks write in
/// capitals without accents; people type in lower case with them).
///
/// One table, character for character, used by both engines: SQLite calls ``fold(_:)`` as the SQL
/// function `saldo_fold`, PostgreSQL applies ``from`` → ``to`` with `translate` (no extension needed,
/// whatever the database's locale). Only the letters in the table change; everything else (digits,
/// other scripts, a combining accent written apart) stays as it is, the same on both engines.
public enum SearchFolding {
    /// Letters that fold, each to the letter at the same position of ``to``.
    public static let from: String =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        + "ÀÁÂÃÄÅàáâãäåĀāĂăĄą" + "ÇçĆćČč" + "Ďď" + "ÈÉÊËèéêëĒēĘęĚě" + "Ğğ" + "ÌÍÎÏìíîïĪīĮįİı" + "Łł"
        + "ÑñŃńŇň" + "ÒÓÔÕÖØòóôõöøŌōŐő" + "Řř" + "ŚśŠšŞş" + "ŤťŢţ" + "ÙÚÛÜùúûüŪūŮůŰűŲų" + "ÝŸýÿ" + "ŹźŻżŽž"
    /// What each letter of ``from`` becomes.
    public static let to: String =
        "abcdefghijklmnopqrstuvwxyz"
        + "aaaaaaaaaaaaaaaaaa" + "cccccc" + "dd" + "eeeeeeeeeeeeee" + "gg" + "iiiiiiiiiiiiii" + "ll"
        + "nnnnnn" + "oooooooooooooooo" + "rr" + "ssssss" + "tttt" + "uuuuuuuuuuuuuuuu" + "yyyy" + "zzzzzz"

    private static let table: [Unicode.Scalar: Unicode.Scalar] = {
        let f = Array(from.unicodeScalars), t = Array(to.unicodeScalars)
        precondition(f.count == t.count, "SearchFolding: from and to differ in length")
        return Dictionary(uniqueKeysWithValues: zip(f, t))
    }()

    /// `text` with every letter of ``from`` replaced by its letter of ``to``.
    public static func fold(_ text: String) -> String {
        // Most text is ASCII: lower its capitals byte by byte.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
            return String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(table[s] ?? s) }
        return String(out)
    }
}
