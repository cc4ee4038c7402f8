import Foundation
import SaldoCore
import SaldoXML

/// The official rate sources Saldo reads, one profile each: the ECB (euro reference rates, read by
/// `ECBXMLReader`/`ECBCSVReader`) and the central banks that publish their currency against the US
/// dollar, for users paid in USD who live in a currency the ECB does not publish.
///
/// Every bank profile reads the JSON the bank's own API returns, unchanged (numbers keep their exact
/// decimal text) and gives rates `USD→X` (one dollar is worth `rate` units of X), except where a
/// series is against the euro (`EUR→X`). Each rate carries ``sourceName`` as its source, so a
/// currency's rate source can be chosen among them (``RateSourceChoice``).
///
/// | profile | bank and series | what Saldo reads |
/// |---|---|---|
/// | `bcra` | Banco Central de la República Argentina, API *Estadísticas Cambiarias* v1.0 (`/estadisticascambiarias/v1.0/Cotizaciones/USD?fechadesde=…&fechahasta=…` or `/Cotizaciones?fecha=…`) | `results[].fecha`, `results[].detalle[].codigoMoneda`, `.tipoCotizacion` (pesos per unit) |
/// | `trm` | Colombia's Tasa Representativa del Mercado (Superintendencia Financiera), datos.gov.co dataset `32sa-8pi3` (`/resource/32sa-8pi3.json`) | `[].valor` (pesos per dollar) valid every day from `vigenciadesde` to `vigenciahasta` |
/// | `banxico` | Banco de México, SIE API (`/SieAPIRest/service/v1/series/SF43718/datos/…`): FIX `SF43718`, settlement `SF60653`, euro `SF46410` | `bmx.series[].idSerie`, `.datos[].fecha` (dd/mm/yyyy), `.dato` (`N/E`: none) |
/// | `bcch` | Banco Central de Chile, BDE API (`SieteRestWS.ashx?function=GetSeries&timeseries=F073.TCO.PRE.Z.D`, dólar observado; `F072.CLP.EUR.N.O.D`, euro) | `Series.seriesId`, `Series.Obs[].indexDateString` (dd-mm-yyyy), `.value`, `.statusCode` (`ND`: none) |
/// | `ptax` | Banco Central do Brasil, Olinda OData PTAX (`CotacaoDolarPeriodo(…)?$format=json`, or `CotacaoMoedaPeriodo` for USD) | `value[].dataHoraCotacao`, `.cotacaoVenda` (the selling rate; of `CotacaoMoedaPeriodo` only the closing bulletin, `tipoBoletim` `Fechamento`) |
/// | `bcu` | Banco Central del Uruguay, SOAP service `awsbcucotizaciones` (the XML answer of `Execute`, dollar *billete*, code 2225) | `datoscotizaciones.dato`: `Fecha` (yyyy-mm-dd), `Moneda`, `CodigoISO`, `TCV` (pesos per dollar, selling) |
/// | `bcrp` | Banco Central de Reserva del Perú, BCRPData API (`/estadisticas/series/api/PD04638PD/json/…`, interbank selling rate) | `periods[].name` (`02.Ene.24`), `periods[].values[0]` (`n.d.`: none) |
public enum RateSourceProfile: String, CaseIterable, Sendable {
    case ecb, bcra, trm, banxico, bcch, ptax, bcrp, bcu

    /// The source name stored with every rate the profile reads.
    public var sourceName: String {
        switch self {
        case .ecb: return ecbSourceName
        case .bcra: return "BCRA"
        case .trm: return "TRM"
        case .banxico: return "Banxico"
        case .bcch: return "Banco Central de Chile"
        case .ptax: return "PTAX"
        case .bcrp: return "BCRP"
        case .bcu: return "BCU"
        }
    }

    /// The currency the bank publishes rates for (nil for the ECB, which publishes many).
    public var currency: CurrencyCode? {
        switch self {
        case .ecb: return nil
        case .bcra: return try? CurrencyCode("ARS")
        case .trm: return try? CurrencyCode("COP")
        case .banxico: return try? CurrencyCode("MXN")
        case .bcch: return try? CurrencyCode("CLP")
        case .ptax: return try? CurrencyCode("BRL")
        case .bcrp: return try? CurrencyCode("PEN")
        case .bcu: return try? CurrencyCode("UYU")
        }
    }

    public var title: String {
        switch self {
        case .ecb: return "European Central Bank, euro foreign exchange reference rates"
        case .bcra: return "Banco Central de la República Argentina, Estadísticas Cambiarias (pesos per dollar)"
        case .trm: return "Colombia, Tasa Representativa del Mercado (datos.gov.co 32sa-8pi3)"
        case .banxico: return "Banco de México, FIX (SIE series SF43718)"
        case .bcch: return "Banco Central de Chile, dólar observado (BDE series F073.TCO.PRE.Z.D)"
        case .ptax: return "Banco Central do Brasil, PTAX selling rate (Olinda OData)"
        case .bcrp: return "Banco Central de Reserva del Perú, interbank selling rate (BCRPData PD04638PD)"
        case .bcu: return "Banco Central del Uruguay, dólar billete selling rate (awsbcucotizaciones)"
        }
    }

    /// A profile by its name or a common alias (`banrep`, `bcentral`, `bcb`…), without regard to case.
    public static func named(_ name: String) -> RateSourceProfile? {
        let n = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let p = RateSourceProfile(rawValue: n) { return p }
        switch n {
        case "ecb (bundled)": return .ecb
        case "banrep", "colombia", "superfinanciera": return .trm
        case "fix", "banxico-fix", "mexico": return .banxico
        case "bcentral", "chile", "banco central de chile": return .bcch
        case "bcb", "brazil", "brasil", "olinda": return .ptax
        case "peru", "perú": return .bcrp
        case "argentina": return .bcra
        case "uruguay": return .bcu
        default: return nil
        }
    }

    /// Whether `rate` came from this profile (the bundled ECB history counts as the ECB).
    public func produced(_ source: String) -> Bool {
        if self == .ecb { return source == ecbSourceName || source == BundledECBRates.sourceName }
        return source == sourceName
    }

    /// The bank profile whose layout `data` has, when exactly one fits (the ECB's files are told
    /// apart by `RateFileReader`/`ECBXMLReader`).
    public static func detect(_ data: Data) -> RateSourceProfile? {
        if data.prefix(4096).range(of: Data("datoscotizaciones".utf8)) != nil { return .bcu }
        guard let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first == 0x7B || first == 0x5B,
              let root = try? JSONReader.parse(data) else { return nil }
        var fits: [RateSourceProfile] = []
        if root["results"]?.array?.contains(where: { $0["detalle"] != nil }) == true { fits.append(.bcra) }
        if root.array?.first?["vigenciadesde"] != nil { fits.append(.trm) }
        if root["bmx"]?["series"] != nil { fits.append(.banxico) }
        if root["Series"]?["Obs"] != nil || root["Series"]?["seriesId"] != nil { fits.append(.bcch) }
        if root["value"]?.array?.first?["cotacaoVenda"] != nil { fits.append(.ptax) }
        if root["periods"] != nil && root["config"] != nil { fits.append(.bcrp) }
        return fits.count == 1 ? fits[0] : nil
    }

    /// Reads the bank's file. Rows without a published value (`N/E`, `ND`, `n.d.`) are left out
    /// silently; anything else that is not a date or a positive rate is an error naming the line.
    public func read(_ data: Data, file: String) -> RateFileContents {
        var reader = BankReader(profile: self, file: file)
        if self == .bcu {
            // The service declares its namespace as the relative URI "Cotiza", which the safe parser refuses
            // as a problem; it names nothing Saldo reads, so it is made absolute before parsing.
            var bytes = data
            if let r = bytes.range(of: Data("xmlns=\"Cotiza\"".utf8)) { bytes.replaceSubrange(r, with: Data("xmlns=\"urn:bcu:Cotiza\"".utf8)) }
            do { reader.bcu(try SafeXML.parse(bytes, file: file, limits: ECBXMLReader.limits)) } catch {
                reader.out.diagnostics.append(.error("fx.bcu.xml", "expected the XML answer of the BCU's awsbcucotizaciones service, found a file that cannot be read",
                                                     at: SourceLocation(file: file), hint: "save the service's answer unchanged; a file cut short cannot be read"))
                reader.out.diagnostics += error.diagnostics
                return reader.out
            }
            if reader.out.rates.isEmpty && reader.out.errors.isEmpty {
                reader.fail("fx.bcu.empty", line: nil, field: nil, "the file holds no \(title) rates", hint: "ask the service for a range of days on which the BCU published rates")
            }
            return reader.out
        }
        let root: JSONNode
        do { root = try JSONReader.parse(data) } catch {
            reader.fail("fx.\(rawValue).json", line: error.line, field: nil,
                        "expected the JSON the \(title) API returns: \(error.message) (line \(error.line), column \(error.column))",
                        hint: "save the API's answer unchanged; a page saved from a browser or a file cut short cannot be read")
            return reader.out
        }
        switch self {
        case .ecb:
            reader.fail("fx.ecb.json", line: root.line, field: nil, "expected an ECB rate file (XML or CSV), found JSON",
                        hint: "the ECB publishes eurofxref-daily.xml, eurofxref-hist-90d.xml and eurofxref-hist.zip")
        case .bcra: reader.bcra(root)
        case .trm: reader.trm(root)
        case .banxico: reader.banxico(root)
        case .bcch: reader.bcch(root)
        case .ptax: reader.ptax(root)
        case .bcrp: reader.bcrp(root)
        case .bcu: break
        }
        if reader.out.rates.isEmpty && reader.out.errors.isEmpty {
            reader.fail("fx.\(rawValue).empty", line: root.line, field: nil, "the file holds no \(title) rates",
                        hint: "ask the API for a range of days on which the bank published rates")
        }
        return reader.out
    }
}

/// The readers' shared bookkeeping: where, what was expected, what was found.
struct BankReader {
    let profile: RateSourceProfile
    let file: String
    var out = RateFileContents()

    var code: String { profile.rawValue }
    var usd: CurrencyCode { .USD }
    var local: CurrencyCode { profile.currency ?? .USD }

    mutating func fail(_ code: String, line: Int?, field: String?, _ message: String, hint: String? = nil) {
        out.diagnostics.append(.error(code, message, at: SourceLocation(file: file, line: line, field: field), hint: hint))
    }

    /// Expected member `key` of `node` (an object).
    mutating func member(_ node: JSONNode, _ key: String, _ what: String) -> JSONNode? {
        if let m = node[key] { return m }
        fail("fx.\(code).layout", line: node.line, field: key, "expected \"\(key)\" (\(what)) in the \(profile.title) answer, found none",
             hint: "save the API's JSON answer unchanged")
        return nil
    }

    mutating func add(_ day: Day, base: CurrencyCode, quote: CurrencyCode, _ node: JSONNode, field: String) {
        guard let t = node.text, let rate = parseRate(ArraySlice(Array(t.utf8))) else {
            fail("fx.\(code).rate", line: node.line, field: field, "expected a positive rate such as 1234.56, found \(node.text.map { "\"\($0)\"" } ?? "no number"); the day was left out")
            return
        }
        out.rates.append(ExchangeRate(date: day, base: base, quote: quote, rate: rate, source: profile.sourceName))
    }

    mutating func day(_ node: JSONNode, field: String, _ parse: (String) -> Day?, _ form: String) -> Day? {
        if let t = node.text, let d = parse(t) { return d }
        fail("fx.\(code).date", line: node.line, field: field, "expected a date \(form), found \(node.text.map { "\"\($0)\"" } ?? "no date"); the day was left out")
        return nil
    }

    static func iso(_ s: String) -> Day? { s.count >= 10 ? Day(iso: s.prefix(10)) : nil }
    /// `02/01/2024` or `02-01-2024`: day first.
    static func dayFirst(_ s: String) -> Day? {
        let p = s.split(whereSeparator: { $0 == "/" || $0 == "-" })
        guard p.count == 3, p[0].count <= 2, p[1].count <= 2, p[2].count == 4, let d = Int(p[0]), let m = Int(p[1]), let y = Int(p[2]) else { return nil }
        return Day(year: y, month: m, day: d)
    }
    static let spanishMonths = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]
    /// BCRP's `02.Ene.24` (September is `Set`, sometimes `Sep`).
    static func bcrpDay(_ s: String) -> Day? {
        let p = s.split(separator: ".")
        guard p.count == 3, let d = Int(p[0]), let yy = Int(p[2]) else { return nil }
        let mon = p[1].lowercased() == "sep" ? "set" : p[1].lowercased()
        guard let mi = spanishMonths.firstIndex(of: mon) else { return nil }
        return Day(year: p[2].count == 2 ? 2000 + yy : yy, month: mi + 1, day: d)
    }

    static func noValue(_ t: String?) -> Bool {
        guard let t = t?.trimmingCharacters(in: .whitespaces).lowercased() else { return true }
        return t.isEmpty || ["n/e", "nd", "n.d.", "nan", "-"].contains(t)
    }

    // MARK: the banks

    mutating func bcra(_ root: JSONNode) {
        if let status = root["status"]?.text, status != "200" {
            let why = root["errorMessages"]?.array?.compactMap(\.text).joined(separator: "; ") ?? ""
            fail("fx.bcra.status", line: root.line, field: "status", "expected an answer with status 200, found status \(status)\(why.isEmpty ? "" : ": \(why)")",
                 hint: "ask the API again for days on which the BCRA published rates")
            return
        }
        guard let results = member(root, "results", "the days")?.array else { return }
        for r in results {
            guard let f = member(r, "fecha", "the day"), let d = day(f, field: "fecha", Self.iso, "yyyy-mm-dd") else { continue }
            guard let detalle = member(r, "detalle", "the rates of the day")?.array else { continue }
            for x in detalle {
                guard let codeText = x["codigoMoneda"]?.text else { _ = member(x, "codigoMoneda", "the currency"); continue }
                guard let c = try? CurrencyCode(codeText) else { continue }   // BCRA lists gold and withdrawn codes too
                if c == local { continue }
                guard let v = member(x, "tipoCotizacion", "pesos per unit") else { continue }
                if Self.noValue(v.text) || v.text.flatMap({ ExactDecimal.parse($0) })?.significand == 0 { continue }   // not quoted that day
                add(d, base: c, quote: local, v, field: "tipoCotizacion")
            }
        }
    }

    mutating func trm(_ root: JSONNode) {
        guard let rows = root.array else {
            fail("fx.trm.layout", line: root.line, field: nil, "expected a list of rates (the datos.gov.co answer), found an object", hint: "save the API's JSON answer unchanged")
            return
        }
        for r in rows {
            if let u = r["unidad"]?.text, u != "COP" {
                fail("fx.trm.unit", line: r.line, field: "unidad", "expected the unit COP, found \"\(u)\"; the row was left out"); continue
            }
            guard let a = member(r, "vigenciadesde", "first day"), let from = day(a, field: "vigenciadesde", Self.iso, "yyyy-mm-ddT00:00:00.000"),
                  let b = member(r, "vigenciahasta", "last day"), let to = day(b, field: "vigenciahasta", Self.iso, "yyyy-mm-ddT00:00:00.000"),
                  let v = member(r, "valor", "pesos per dollar") else { continue }
            guard from <= to, to.ordinal - from.ordinal <= 10 else {
                fail("fx.trm.validity", line: r.line, field: "vigenciahasta", "expected a validity of at most 10 days from \(from), found until \(to); the row was left out")
                continue
            }
            // A TRM certified on Friday holds on Saturday, Sunday and a Monday holiday: one rate per day.
            for o in from.ordinal...to.ordinal { add(Day(ordinal: o), base: usd, quote: local, v, field: "valor") }
        }
    }

    mutating func banxico(_ root: JSONNode) {
        guard let series = root["bmx"]?["series"]?.array else { _ = member(root, "bmx", "the series"); return }
        let known: [String: CurrencyCode] = ["SF43718": .USD, "SF60653": .USD, "SF46410": .EUR]
        for s in series {
            guard let id = member(s, "idSerie", "the series")?.text else { continue }
            guard let base = known[id] else {
                fail("fx.banxico.series", line: s.line, field: "idSerie", "expected the series SF43718 (FIX), SF60653 or SF46410 (euro), found \"\(id)\"; the series was left out")
                continue
            }
            for x in s["datos"]?.array ?? [] {
                guard let f = member(x, "fecha", "the day"), let v = member(x, "dato", "pesos per unit") else { continue }
                if Self.noValue(v.text) { continue }
                guard let d = day(f, field: "fecha", Self.dayFirst, "dd/mm/yyyy") else { continue }
                add(d, base: base, quote: local, v, field: "dato")
            }
        }
    }

    mutating func bcch(_ root: JSONNode) {
        if let c = root["Codigo"]?.text, c != "0" {
            fail("fx.bcch.status", line: root.line, field: "Codigo", "expected Codigo 0 (success), found \(c): \(root["Descripcion"]?.text ?? "")",
                 hint: "ask the BDE API again with valid credentials and the series F073.TCO.PRE.Z.D")
            return
        }
        guard let s = member(root, "Series", "the series") else { return }
        let id = s["seriesId"]?.text ?? "F073.TCO.PRE.Z.D"
        let known: [String: CurrencyCode] = ["F073.TCO.PRE.Z.D": .USD, "F072.CLP.EUR.N.O.D": .EUR]
        guard let base = known[id] else {
            fail("fx.bcch.series", line: s.line, field: "seriesId", "expected the series F073.TCO.PRE.Z.D (dólar observado) or F072.CLP.EUR.N.O.D (euro), found \"\(id)\"")
            return
        }
        for x in s["Obs"]?.array ?? [] {
            guard let f = member(x, "indexDateString", "the day"), let v = member(x, "value", "pesos per unit") else { continue }
            if let st = x["statusCode"]?.text, st != "OK" { continue }
            if Self.noValue(v.text) { continue }
            guard let d = day(f, field: "indexDateString", Self.dayFirst, "dd-mm-yyyy") else { continue }
            add(d, base: base, quote: local, v, field: "value")
        }
    }

    mutating func ptax(_ root: JSONNode) {
        guard let rows = member(root, "value", "the bulletins")?.array else { return }
        for r in rows {
            if let t = r["tipoBoletim"]?.text, t != "Fechamento" { continue }   // only the closing PTAX
            guard let f = member(r, "dataHoraCotacao", "the day"), let d = day(f, field: "dataHoraCotacao", Self.iso, "yyyy-mm-dd hh:mm:ss"),
                  let v = member(r, "cotacaoVenda", "reais per dollar (selling)") else { continue }
            add(d, base: usd, quote: local, v, field: "cotacaoVenda")
        }
    }

    mutating func bcrp(_ root: JSONNode) {
        guard let periods = member(root, "periods", "the days")?.array else { return }
        for p in periods {
            guard let n = member(p, "name", "the day"), let v = member(p, "values", "the rate")?.array?.first else { continue }
            if Self.noValue(v.text) { continue }
            guard let d = day(n, field: "name", Self.bcrpDay, "dd.Mmm.yy such as 02.Ene.24") else { continue }
            add(d, base: usd, quote: local, v, field: "values")
        }
    }
}

extension BankReader {
    /// BCU: every `datoscotizaciones.dato`, whatever its namespace prefix; the dollar *billete* (2225)
    /// when the answer has it, else every USD row.
    mutating func bcu(_ doc: XDocument) {
        let all = [doc.root] + doc.root.descendants
        func field(_ e: XElement, _ n: String) -> XElement? { e.children.first { $0.name == n } }
        if let st = all.first(where: { $0.name == "respuestastatus" }), let status = field(st, "status")?.trimmedText, status != "1" {
            let msg = field(st, "mensaje")?.trimmedText ?? ""
            fail("fx.bcu.status", line: st.line, field: "status", "expected status 1 (success), found \(status)\(msg.isEmpty ? "" : ": \(msg)")",
                 hint: "ask the service again for business days (FechaDesde, FechaHasta) and the currency 2225")
            return
        }
        let datos = all.filter { $0.name == "datoscotizaciones.dato" }
        let billete = datos.contains { field($0, "Moneda")?.trimmedText == "2225" }
        for x in datos {
            if billete ? field(x, "Moneda")?.trimmedText != "2225" : field(x, "CodigoISO")?.trimmedText != "USD" { continue }
            let f = field(x, "Fecha")?.trimmedText ?? ""
            guard let d = Self.iso(f), f.count >= 10 else {
                fail("fx.bcu.date", line: x.line, field: "Fecha", "expected a date yyyy-mm-dd, found \"\(f)\"; the day was left out"); continue
            }
            let v = field(x, "TCV")?.trimmedText ?? ""
            guard let rate = parseRate(ArraySlice(Array(v.utf8))) else {
                fail("fx.bcu.rate", line: x.line, field: "TCV", "expected a positive rate such as 39.512, found \"\(v)\"; the day was left out"); continue
            }
            out.rates.append(ExchangeRate(date: d, base: .USD, quote: local, rate: rate, source: profile.sourceName))
        }
    }
}

extension ExactDecimal {
    /// Strictly a plain decimal (`1234.56`), else nil.
    static func parse(_ s: String) -> ExactDecimal? {
        if s.allSatisfy({ $0 == "0" || $0 == "." }) && !s.isEmpty { return ExactDecimal(0) }
        return parseRate(ArraySlice(Array(s.utf8)))
    }
}
