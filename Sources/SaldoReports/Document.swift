import Foundation
import SaldoCore

/// The output formats every report renders to.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned plain-text table for a terminal (ANSI colour only when ``RenderOptions/color``).
    case table
    /// Comma-separated values, formula-injection safe.
    case csv
    /// The report's documented, stable JSON schema (see docs/reports.md).
    case json
    /// GitHub-flavoured Markdown tables.
    case markdown
    /// One self-contained HTML file with inline CSS and SVG charts.
    case html
}

/// Choices the caller makes about presentation, not content.
public struct RenderOptions: Sendable {
    /// ANSI colour in the terminal table. The CLI sets it from isatty(stdout) and `NO_COLOR`.
    public var color: Bool
    /// Width available for terminal charts.
    public var width: Int
    /// The language of the human formats (table, Markdown, HTML): titles, headings, column names,
    /// notes, chart labels, and numbers, money and dates (``HumanFormat``). CSV and JSON ignore it:
    /// machine outputs are the same in every language.
    public var language: Language
    public init(color: Bool = false, width: Int = 100, language: Language = .en) { self.color = color; self.width = width; self.language = language }

    /// The usual terminal rule: colour when standard output is a terminal, unless `NO_COLOR` is
    /// set to anything non-empty (https://no-color.org) or `TERM` is `dumb`; `COLUMNS` sets the width.
    public static func terminal(isTTY: Bool, environment: [String: String]) -> RenderOptions {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
        let width = Int(environment["COLUMNS"] ?? "").flatMap { $0 >= 40 ? min($0, 400) : nil } ?? 100
        return RenderOptions(color: isTTY && !noColor, width: width, language: Language.resolve(environment: environment))
    }
}

/// A report as a document: what every renderer understands. Reports (monthly, currencies,
/// balances) and the forecast, tax and invoice outputs build one of these and hand it to
/// ``render(_:format:options:)``.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String?
    /// Short remarks shown under the title: the conversion basis, how many rates fell back, "estimate, not advice".
    public var notes: [String]
    public var blocks: [ReportBlock]
    /// The report's own stable JSON. When nil the JSON renderer writes the generic form
    /// (`{"title", "notes", "tables": [{"id", "rows": [{column: value}]}]}`).
    public var json: JSONValue?
    /// JSON written by encoding a result type directly (tax results, whose keys are named as on the
    /// forms; the invoice list's rows), used instead of ``json`` when set. Made only when read: an
    /// import's summary lists every filtered row (33,581 in the 1,000,000-row benchmark, 0.2 s to
    /// encode), and the terminal text never needs it.
    public var encodedJSON: String? {
        get { makeEncodedJSON() }
        set { makeEncodedJSON = { newValue } }
    }
    private var makeEncodedJSON: @Sendable () -> String?
    /// A terminal text of its own, for outputs that are not tables (an import's file-by-file
    /// summary, the account list), used by the table format instead of the blocks when set.
    public var text: String?

    public init(title: String, subtitle: String? = nil, notes: [String] = [], blocks: [ReportBlock] = [], json: JSONValue? = nil,
                encodedJSON: @autoclosure @escaping @Sendable () -> String? = nil, text: String? = nil) {
        self.title = title; self.subtitle = subtitle; self.notes = notes; self.blocks = blocks; self.json = json
        self.makeEncodedJSON = encodedJSON; self.text = text
    }

    /// The same document with other notes.
    public func with(notes: [String]) -> ReportDocument { var d = self; d.notes = notes; return d }

    /// JSON text of an encodable result: pretty, keys sorted, slashes unescaped, a final newline.
    public static func encodeJSON(_ value: some Encodable) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(value)) ?? Data("null".utf8), as: UTF8.self) + "\n"
    }

    public var tables: [ReportTable] { blocks.compactMap { if case .table(let t) = $0 { return t } else { return nil } } }
    public var charts: [ReportChart] { blocks.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }
}

public enum ReportBlock: Sendable {
    case heading(String)
    case paragraph(String)
    case table(ReportTable)
    case chart(ReportChart)
}

/// What a column holds; decides alignment and formatting in every renderer.
public enum ColumnKind: Sendable, Hashable {
    case text
    /// Money; `nil` currency means each cell may differ and its code is shown.
    case money(CurrencyCode?)
    /// A percentage written as its value: 1.25 means 1.25 %.
    case percent
    case date
    case month
    /// A plain decimal or integer (counts, rates).
    case number
    case flag

    public var isNumeric: Bool {
        switch self {
        case .money, .percent, .number: return true
        default: return false
        }
    }
}

public struct ReportColumn: Sendable, Hashable {
    /// Machine name: the CSV header and the generic JSON key (`gross_eur`).
    public var id: String
    /// Header shown in tables (`Gross EUR`).
    public var title: String
    public var kind: ColumnKind
    public init(_ id: String, _ title: String, _ kind: ColumnKind = .text) { self.id = id; self.title = title; self.kind = kind }
    /// A text column whose title is its id.
    public init(_ id: String) { self.init(id, id, .text) }
}

public enum ReportCell: Sendable, Hashable {
    case empty
    case text(String)
    case money(Money)
    /// 1.25 means 1.25 %.
    case percent(ExactDecimal)
    case date(Day)
    case month(YearMonth)
    case number(ExactDecimal)
    case integer(Int)
    case flag(Bool)

    /// True for a negative amount, percentage or number (shown in red on a colour terminal and in HTML).
    public var isNegative: Bool {
        switch self {
        case .money(let m): return m.isNegative
        case .percent(let d), .number(let d): return d.isNegative
        case .integer(let i): return i < 0
        default: return false
        }
    }

    /// The plain machine form: decimal strings with a point, ISO dates. Used by CSV and JSON.
    public var plain: String {
        switch self {
        case .empty: return ""
        case .text(let s): return s
        case .money(let m): return m.decimalString
        case .percent(let d), .number(let d): return d.description
        case .date(let d): return d.description
        case .month(let m): return m.description
        case .integer(let i): return String(i)
        case .flag(let b): return b ? "true" : "false"
        }
    }

    /// The human form for tables, in the catalog's language: grouped amounts, `1.25%` (English),
    /// `1.234,56 €`, `12,5 %`, `5 dic 2026` (Spanish; see ``HumanFormat``).
    public func display(in kind: ColumnKind, _ catalog: Catalog = .shipped(.en)) -> String {
        let format = HumanFormat(catalog.language)
        switch self {
        case .money(let m):
            if case .money(let c) = kind, c == m.currency { return format.amount(m) }
            return format.money(m)
        case .percent(let d): return format.percent(d)
        case .number(let d): return format.number(d)
        case .integer(let i): return format.integer(i)
        case .date(let d): return format.date(d)
        case .month(let m): return format.month(m)
        case .flag(let b): return catalog.text(b ? "render.yes" : "render.no")
        default: return plain
        }
    }
}

public enum RowStyle: Sendable, Hashable {
    case normal
    /// A quarter subtotal.
    case subtotal
    /// A year or grand total.
    case total
}

public struct ReportRow: Sendable, Hashable {
    public var cells: [ReportCell]
    public var style: RowStyle
    public init(_ cells: [ReportCell], style: RowStyle = .normal) { self.cells = cells; self.style = style }
}

public struct ReportTable: Sendable {
    /// Stable name (`months`, `conversions`); the key in generic JSON and the section in CSV.
    public var id: String
    public var title: String?
    public var columns: [ReportColumn]
    public var rows: [ReportRow]
    /// Where the table appears. A report can give CSV a tidy long table and people a wide one.
    public var audience: Audience

    public enum Audience: Sendable, Hashable {
        case everywhere
        /// Only in CSV (and generic JSON): machine-friendly long form.
        case machines
        /// Only in table, Markdown and HTML.
        case people
    }

    public init(id: String, title: String? = nil, columns: [ReportColumn], rows: [ReportRow], audience: Audience = .everywhere) {
        self.id = id; self.title = title; self.columns = columns; self.rows = rows; self.audience = audience
    }
}

// MARK: Charts

public struct ChartSeries: Sendable, Hashable {
    public var name: String
    public var values: [Double]
    public init(_ name: String, _ values: [Double]) { self.name = name; self.values = values }
}

/// Vertical bars per category, with one stacked segment per series (negative values stack downward).
public struct StackedBarChart: Sendable, Hashable {
    public var title: String
    public var unit: String
    public var categories: [String]
    public var series: [ChartSeries]
    public init(title: String, unit: String, categories: [String], series: [ChartSeries]) {
        self.title = title; self.unit = unit; self.categories = categories; self.series = series
    }
}

/// Horizontal bars, one per label.
public struct BarChart: Sendable, Hashable {
    public var title: String
    public var unit: String
    public var labels: [String]
    public var values: [Double]
    public init(title: String, unit: String, labels: [String], values: [Double]) {
        self.title = title; self.unit = unit; self.labels = labels; self.values = values
    }
}

/// A forecast fan: past values as a line, then per future period the P10–P90 band and the P50.
public struct FanChart: Sendable, Hashable {
    public struct Point: Sendable, Hashable {
        public var label: String
        public var p10: Double, p50: Double, p90: Double
        public init(label: String, p10: Double, p50: Double, p90: Double) { self.label = label; self.p10 = p10; self.p50 = p50; self.p90 = p90 }
    }
    public var title: String
    public var unit: String
    public var history: [(label: String, value: Double)]
    public var forecast: [Point]
    /// A threshold to draw (the user's `--floor`).
    public var floor: Double?
    /// Whether the value axis starts at zero (amounts) or hugs the data (exchange rates).
    public var includesZero: Bool
    public init(title: String, unit: String, history: [(label: String, value: Double)], forecast: [Point], floor: Double? = nil, includesZero: Bool = true) {
        self.title = title; self.unit = unit; self.history = history; self.forecast = forecast; self.floor = floor; self.includesZero = includesZero
    }
    public static func == (a: FanChart, b: FanChart) -> Bool {
        a.title == b.title && a.unit == b.unit && a.forecast == b.forecast && a.floor == b.floor && a.includesZero == b.includesZero
            && a.history.map(\.label) == b.history.map(\.label) && a.history.map(\.value) == b.history.map(\.value)
    }
    public func hash(into h: inout Hasher) { h.combine(title); h.combine(forecast) }
}

public enum ReportChart: Sendable {
    case stackedBars(StackedBarChart)
    case bars(BarChart)
    case fan(FanChart)

    public var title: String {
        switch self {
        case .stackedBars(let c): return c.title
        case .bars(let c): return c.title
        case .fan(let c): return c.title
        }
    }
}

/// Anything that can be shown as a ``ReportDocument``.
public protocol ReportConvertible {
    /// The document in English.
    func document() -> ReportDocument
    /// The document with every word a person reads taken from `catalog`. Machine parts (table and
    /// column ids, JSON) do not depend on it.
    func document(in catalog: Catalog) -> ReportDocument
}

extension ReportConvertible {
    /// A document that has no words of its own to translate.
    public func document(in catalog: Catalog) -> ReportDocument { document() }
}

extension ReportDocument: ReportConvertible {
    public func document() -> ReportDocument { self }
}

/// Where the chart drawings find the language of the render under way (chart numbers and legends).
enum RenderContext {
    @TaskLocal static var catalog: Catalog = .shipped(.en)
}

extension Catalog {
    /// `L("report.monthly.title", ["currency": "EUR"])`: the text of a key, placeholders filled.
    func callAsFunction(_ key: String, _ arguments: [String: String] = [:]) -> String { text(key, arguments) }
    var format: HumanFormat { HumanFormat(language) }
}

/// Renders a report or document in `format`. The one entry point for every output. The human
/// formats follow `options.language`; CSV and JSON are built from the English document, so they
/// are byte-identical in every language.
public func render(_ report: some ReportConvertible, format: OutputFormat, options: RenderOptions = RenderOptions()) -> String {
    let machine = format == .csv || format == .json
    let catalog = Catalog.shipped(machine ? .en : options.language)
    let doc = machine ? report.document() : report.document(in: catalog)
    return RenderContext.$catalog.withValue(catalog) {
        switch format {
        case .table: return TerminalRenderer(options: options, catalog: catalog).render(doc)
        case .csv: return CSVRenderer().render(doc)
        case .json: return JSONRenderer().render(doc)
        case .markdown: return MarkdownRenderer(catalog: catalog).render(doc)
        case .html: return HTMLRenderer(catalog: catalog).render(doc)
        }
    }
}
