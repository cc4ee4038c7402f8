import Foundation

/// A language Saldo speaks. Human outputs (messages, help, report titles, web pages) follow it;
/// machine outputs (JSON, CSV, ledger exports, exit codes) never do.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en
    case es

    /// The language's name in itself, for language switches.
    public var autonym: String {
        switch self {
        case .en: return "English"
        case .es: return "Español"
        }
    }

    /// The language named by a tag such as `es`, `es_ES.UTF-8`, `es-MX`, `en_GB`; nil when Saldo
    /// does not speak it (or for `C`/`POSIX`).
    public static func parse(_ tag: String) -> Language? {
        let trimmed = tag.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { return nil }
        let primary = trimmed.prefix { $0.isLetter }
        return Language(rawValue: String(primary))
    }

    /// Resolution order for the command line: an explicit choice (`--lang`), then `SALDO_LANG`,
    /// then the POSIX locale variables in their order of precedence (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`), then English. The first variable that is set decides, as POSIX says, even if Saldo
    /// does not speak its language (then English).
    public static func resolve(explicit: String? = nil, environment: [String: String]) -> Language {
        if let explicit, let language = parse(explicit) { return language }
        if let saldo = environment["SALDO_LANG"], let language = parse(saldo) { return language }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return parse(value) ?? .en
        }
        return .en
    }

    /// The preferred language of an HTTP `Accept-Language` header (RFC 9110 §12.5.4): the
    /// highest-weighted tag Saldo speaks; nil when none.
    public static func preferred(acceptLanguage header: String) -> Language? {
        var best: (language: Language, weight: Double, index: Int)?
        for (index, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first, let language = parse(String(tag)) else { continue }
            var weight = 1.0
            for parameter in pieces.dropFirst() {
                let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2, kv[0] == "q", let q = Double(kv[1]) { weight = q }
            }
            guard weight > 0 else { continue }
            if best == nil || weight > best!.weight { best = (language, weight, index) }
        }
        return best?.language
    }
}
