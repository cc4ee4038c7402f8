import Foundation

/// Every word a person reads, per language: one catalog per language, shipped as JSON files under
/// `Localization/Catalog/<language>/<area>.json` (flat objects of key → text, merged per language).
///
/// - Keys say what the text is for (`web.nav.overview`, `import.summary.new_rows`).
/// - Placeholders are `{name}`; both languages must use the same set (a test checks).
/// - Plurals are two keys, `<key>.one` and `<key>.other`, chosen by `plural(_:count:)`
///   (English and Spanish both have one/other).
/// - A key missing in a language falls back to English, then to the key itself, so a gap shows
///   rather than crashes; the catalog tests fail on any gap.
public struct Catalog: Sendable {
    public let language: Language
    public let entries: [String: String]

    public init(language: Language, entries: [String: String]) {
        self.language = language
        self.entries = entries
    }

    // Each language is read the first time it is asked for (a static `let` is initialised once,
    // thread-safely): a command in English does not pay for decoding the Spanish files.
    private static let english = Catalog(language: .en, entries: (try? loadEntries(.en)) ?? [:])
    private static let spanish = Catalog(language: .es, entries: (try? loadEntries(.es)) ?? [:])

    /// The shipped catalog of a language.
    public static func shipped(_ language: Language) -> Catalog {
        switch language {
        case .en: english
        case .es: spanish
        }
    }

    /// The folder holding one subfolder per language.
    public static var folder: URL? { Bundle.module.url(forResource: "Catalog", withExtension: nil) }

    /// The entries of one language, with the file each key came from (for the catalog tests).
    public static func loadEntries(_ language: Language) throws -> [String: String] {
        guard let folder else { return [:] }
        let dir = folder.appendingPathComponent(language.rawValue, isDirectory: true)
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var entries: [String: String] = [:]
        for file in files {
            let object = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: file))
            entries.merge(object) { first, _ in first }
        }
        return entries
    }

    /// The text for `key` with its `{placeholders}` filled from `arguments`.
    public func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        let template = entries[key] ?? Catalog.shipped(.en).entries[key] ?? key
        return Catalog.fill(template, arguments)
    }

    /// Whether the catalog (or the English one it falls back to) has a text for `key`.
    public func has(_ key: String) -> Bool { entries[key] != nil || Catalog.shipped(.en).entries[key] != nil }

    /// `<key>.one` when count is 1, else `<key>.other`; `{count}` is filled with the count.
    public func plural(_ key: String, count: Int, _ arguments: [String: String] = [:]) -> String {
        var arguments = arguments
        if arguments["count"] == nil { arguments["count"] = String(count) }
        return text(count == 1 ? key + ".one" : key + ".other", arguments)
    }

    /// Fills `{name}` placeholders; unknown ones stay as written.
    public static func fill(_ template: String, _ arguments: [String: String]) -> String {
        guard !arguments.isEmpty, template.contains("{") else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = arguments[String(after[..<close])] {
                result += value
                rest = after[after.index(after: close)...]
            } else {
                result += "{"
                rest = after
            }
        }
        result += rest
        return result
    }

    /// The placeholder names in a text (`{name}`), for the catalog tests.
    public static func placeholders(in text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = after[..<close]
            if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { names.insert(String(name)) }
            rest = after[after.index(after: close)...]
        }
        return names
    }
}
