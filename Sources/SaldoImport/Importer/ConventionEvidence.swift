import SaldoCore

/// The evidence consulted when a file's values leave the date order or the decimal mark open:
/// the export's language and layout, then (for dates) the row order and the running balances.
extension CSVStatementReader {
    /// The language of the header names of the columns the profile recognised.
    var headerLanguage: HeaderLanguage? { HeaderLanguage.detect(headerNames.values) }

    /// `Spanish headers (PayPal ES)`.
    func languagePhrase(_ lang: HeaderLanguage) -> String {
        "\(lang.adjective) headers (\(profile.institution) \(lang.rawValue.uppercased()))"
    }

    /// The time zones of an English PayPal file, when every row that states one states a US zone
    /// (`PST`, `PDT`, `America/New_York`…), as written; nil otherwise.
    func usTimeZones() -> [String]? {
        guard profile.institution.lowercased() == "paypal", slot(.timeZone) != nil else { return nil }
        var seen: [String] = []
        for row in rows.indices {
            guard let z = text(row, .timeZone) else { continue }
            guard HeaderLanguage.usTimeZones.contains(z.lowercased()) else { return nil }
            if !seen.contains(z) { seen.append(z) }
        }
        return seen.isEmpty ? nil : seen
    }

    /// Day-first for Spanish, German, French and Italian headers; month-first for English PayPal
    /// with a US time zone column; nil when the language does not tell.
    func languageDateOrder() -> (DateOrder, String)? {
        guard let lang = headerLanguage else { return nil }
        if lang.writesDayFirst { return (.dmy, languagePhrase(lang)) }
        if let zones = usTimeZones() { return (.mdy, "English PayPal with US time zone (\(zones.prefix(3).joined(separator: ", ")))") }
        return nil
    }

    /// A decimal comma for Spanish, German and Italian headers; a point for English PayPal with a
    /// US time zone. French headers do not tell: French-Swiss PayPal writes a point
    /// (statement-formats.md §1.5).
    func languageNotation() -> (NumberNotation, String)? {
        guard let lang = headerLanguage else { return nil }
        switch lang {
        case .es, .de, .it: return (.comma, languagePhrase(lang))
        case .fr: return nil
        case .en:
            guard let zones = usTimeZones() else { return nil }
            return (.point, "English PayPal with US time zone (\(zones.prefix(3).joined(separator: ", ")))")
        }
    }

    /// When the rows are not in date order under either reading, the running balances may still
    /// tell: booked oldest first, they add up under only one. Maps the rows both ways, so it is
    /// only asked for files whose dates nothing else settled (small ones: a file with more than
    /// twelve days in a month has a day above 12).
    func balanceChainOrder() -> DateOrder? {
        guard slot(.balance) != nil, let mark = notationDecision else { return nil }
        let notation: NumberNotation = mark.value == "," ? .comma : .point
        func breaks(_ order: DateOrder) -> Int? {
            var probe = self
            probe.sink = DiagnosticSink()
            probe.skipped = []
            probe.progress = nil
            let ms = probe.movements(notation: notation, order: order)
            var running: [String: Int64] = [:]
            var checked = 0, broken = 0
            for i in Booker.bookingOrder(ms, newestFirst: Booker.listedNewestFirst(ms)) where ms[i].affectsBalance && (ms[i].filtered == nil || ms[i].cls.filteredButAffectsBalance || ms[i].cls == .conversion) {
                let c = ms[i].currency.code
                if let b = ms[i].balance {
                    if let r = running[c] { checked += 1; if r &+ ms[i].net != b { broken += 1 } }
                    running[c] = b
                } else if let r = running[c] {
                    running[c] = r &+ ms[i].net
                }
            }
            return checked > 0 ? broken : nil
        }
        guard let d = breaks(.dmy), let m = breaks(.mdy) else { return nil }
        if d == 0 && m > 0 { return .dmy }
        if m == 0 && d > 0 { return .mdy }
        return nil
    }
}
