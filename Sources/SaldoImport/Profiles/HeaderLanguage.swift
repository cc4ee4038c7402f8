import SaldoCore

/// The language a statement's header row is written in, told from the header names of the columns
/// a profile recognised. Profiles list every language's names for one column side by side
/// (`Date`, `Datum`, `Fecha`, `Data`), so the language is decided here, from which names matched.
enum HeaderLanguage: String, CaseIterable, Sendable {
    case en, de, es, fr, it

    /// `Spanish`, for evidence phrases.
    var adjective: String {
        switch self {
        case .en: return "English"
        case .de: return "German"
        case .es: return "Spanish"
        case .fr: return "French"
        case .it: return "Italian"
        }
    }

    /// Whether exports with headers in this language write the day before the month (PayPal, banks
    /// and platforms in Spanish, German, French and Italian do; English ones differ by country).
    var writesDayFirst: Bool { self != .en }

    /// Header names (normalised: lower case, accents folded) by language: PayPal's in five
    /// languages (statement-formats.md §1.2), Revolut's and Wise's translations (§3.2, §6), and
    /// common Spanish, German, French and Italian bank columns (§8). A name several languages share
    /// (`Date`, `Saldo`, `Tipo`, `Netto`) counts for each.
    static let names: [String: [HeaderLanguage]] = {
        let lists: [HeaderLanguage: [String]] = [
            .en: ["Date", "Time", "TimeZone", "Time Zone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net", "Balance",
                  "Transaction ID", "Reference Txn ID", "Item Title", "Subject", "Balance Impact", "Bank Name", "Description",
                  "Product", "Started Date", "Completed Date", "Amount", "State", "Created on", "Finished on", "Direction",
                  "Reference", "Exchange rate", "Note", "From Email Address", "To Email Address", "Receipt ID"],
            .de: ["Datum", "Uhrzeit", "Zeitzone", "Name", "Typ", "Status", "Währung", "Brutto", "Gebühr", "Entgelt", "Netto",
                  "Guthaben", "Transaktionscode", "Zugehöriger Transaktionscode", "Artikelbezeichnung", "Betreff",
                  "Auswirkung auf Guthaben", "Name der Bank", "Beschreibung", "Art", "Produkt", "Datum des Beginns",
                  "Datum des Abschlusses", "Betrag", "Kontostand", "Richtung", "Erstellt am", "Abgeschlossen am", "Referenz",
                  "Wechselkurs", "Buchungstag", "Buchungsdatum", "Valutadatum", "Wertstellung", "Verwendungszweck", "Buchungstext",
                  "Umsatz", "Saldo nach Buchung"],
            .es: ["Fecha", "Hora", "Zona horaria", "Nombre", "Tipo", "Estado", "Divisa", "Bruto", "Tarifa", "Comisión", "Neto",
                  "Saldo", "Id. de transacción", "Id. de referencia de trans.", "Asunto", "Impacto en el saldo", "Nombre del banco",
                  "Descripción", "Importe", "Concepto", "Fecha operación", "Fecha valor", "F. Valor", "F. Operación", "Movimiento",
                  "Moneda", "Nota", "Correo electrónico del remitente", "Correo electrónico del destinatario"],
            .fr: ["Date", "Heure", "Fuseau horaire", "Nom", "Type", "État", "Statut", "Devise", "Avant commission", "Commission",
                  "Frais", "Net", "Solde", "Numéro de transaction", "Numéro de la transaction de référence",
                  "Nº de transaction de référence", "Titre de l'objet", "Objet", "Impact sur le solde", "Description", "Montant",
                  "Libellé", "Date d'opération", "Date de valeur", "Crédit", "Débit", "Remarque"],
            .it: ["Data", "Orario", "Fuso orario", "Nome", "Tipo", "Stato", "Valuta", "Lordo", "Tariffa", "Netto", "Saldo",
                  "Codice transazione", "Codice transazione di riferimento", "Titolo oggetto", "Oggetto", "Impatto sul saldo",
                  "Descrizione", "Prodotto", "Data di inizio", "Data di completamento", "Importo", "Costo", "Data operazione",
                  "Data valuta", "Causale"],
        ]
        var out: [String: [HeaderLanguage]] = [:]
        for lang in HeaderLanguage.allCases {
            for n in lists[lang] ?? [] {
                let k = HeaderText.normalize(n)
                if !(out[k]?.contains(lang) ?? false) { out[k, default: []].append(lang) }
            }
        }
        return out
    }()

    /// The language most of `headers` are written in: it must have at least two names and more
    /// than any other language; nil when the headers do not tell (too few, or a tie).
    static func detect<S: Sequence>(_ headers: S) -> HeaderLanguage? where S.Element == String {
        var votes: [HeaderLanguage: Int] = [:]
        for h in headers {
            for lang in names[HeaderText.normalize(h)] ?? [] { votes[lang, default: 0] += 1 }
        }
        let ranked = votes.sorted { $0.value > $1.value }
        guard let top = ranked.first, top.value >= 2 else { return nil }
        if ranked.count > 1 && ranked[1].value == top.value { return nil }
        return top.key
    }

    /// Time zones of the United States as PayPal writes them (abbreviations, IANA names).
    static let usTimeZones: Set<String> = [
        "pst", "pdt", "mst", "mdt", "cst", "cdt", "est", "edt", "akst", "akdt", "hst", "hdt",
        "america/los_angeles", "america/denver", "america/phoenix", "america/chicago", "america/new_york",
        "america/detroit", "america/anchorage", "america/boise", "america/indiana/indianapolis", "pacific/honolulu",
        "us/pacific", "us/mountain", "us/central", "us/eastern", "us/alaska", "us/hawaii",
    ]
}
