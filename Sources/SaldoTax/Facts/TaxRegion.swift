import Foundation

/// Regions a tax profile can name, by ISO 3166-2 code and by the names people write (English and
/// Spanish, any case, with or without accents). The engine works with codes only: `ES-MD` selects
/// Madrid's IRPF scale, `GB-SCT` the Scottish income-tax bands. A name that is not in the table is
/// refused, never guessed.
public enum TaxRegion {
    public struct Entry: Sendable {
        public var code: String
        public var names: [String]
    }

    public static let entries: [Entry] = [
        // Spain: the autonomous communities and cities (only Madrid has a regional scale in the rule files).
        Entry(code: "ES-AN", names: ["andalucia", "andalusia"]),
        Entry(code: "ES-AR", names: ["aragon"]),
        Entry(code: "ES-AS", names: ["asturias", "principado de asturias"]),
        Entry(code: "ES-IB", names: ["illes balears", "islas baleares", "baleares", "balearic islands"]),
        Entry(code: "ES-CN", names: ["canarias", "islas canarias", "canary islands"]),
        Entry(code: "ES-CB", names: ["cantabria"]),
        Entry(code: "ES-CM", names: ["castilla-la mancha", "castilla la mancha", "castile-la mancha"]),
        Entry(code: "ES-CL", names: ["castilla y leon", "castile and leon"]),
        Entry(code: "ES-CT", names: ["cataluna", "catalunya", "catalonia"]),
        Entry(code: "ES-EX", names: ["extremadura"]),
        Entry(code: "ES-GA", names: ["galicia"]),
        Entry(code: "ES-RI", names: ["la rioja", "rioja"]),
        Entry(code: "ES-MD", names: ["madrid", "comunidad de madrid", "community of madrid"]),
        Entry(code: "ES-MC", names: ["murcia", "region de murcia", "region of murcia"]),
        Entry(code: "ES-NC", names: ["navarra", "navarre"]),
        Entry(code: "ES-PV", names: ["pais vasco", "euskadi", "basque country"]),
        Entry(code: "ES-VC", names: ["comunitat valenciana", "comunidad valenciana", "valencia", "valencian community"]),
        Entry(code: "ES-CE", names: ["ceuta"]),
        Entry(code: "ES-ML", names: ["melilla"]),
        // United Kingdom: Scotland has its own income-tax bands; the others use the rest-of-UK rates.
        Entry(code: "GB-SCT", names: ["scotland"]),
        Entry(code: "GB-ENG", names: ["england"]),
        Entry(code: "GB-WLS", names: ["wales"]),
        Entry(code: "GB-NIR", names: ["northern ireland"]),
    ]

    private static func fold(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased()
    }

    /// The ISO 3166-2 code for a code or name (`GB-SCT`, `gb-sct`, `Scotland`, `Cataluña`); nil when unknown.
    public static func code(for text: String) -> String? {
        let t = fold(text)
        return entries.first { fold($0.code) == t || $0.names.contains(t) }?.code
    }

    /// The country (ISO 3166 alpha-2) of a code: `GB-SCT` → `GB`.
    public static func country(of code: String) -> String {
        String(code.prefix { $0 != "-" })
    }

    /// What is accepted, for messages: `ES-MD (madrid, …), …`.
    public static func acceptedList(country: String? = nil) -> String {
        entries.filter { country == nil || Self.country(of: $0.code) == country }
            .map { "\($0.code) (\($0.names.joined(separator: ", ")))" }.joined(separator: "; ")
    }
}
