import SaldoCore

// MARK: Terminal

/// Aligned plain-text tables, with ASCII/Unicode block charts. ANSI colour only when asked.
struct TerminalRenderer {
    var options: RenderOptions
    var catalog: Catalog = .shipped(.en)

    func style(_ s: String, _ code: String) -> String { options.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func render(_ doc: ReportDocument) -> String {
        if let t = doc.text { return t }
        var out = style(doc.title, "1") + "\n"
        if let s = doc.subtitle { out += s + "\n" }
        for n in doc.notes { out += style(catalog("render.note_prefix"), "2") + n + "\n" }
        for b in doc.blocks {
            switch b {
            case .heading(let h): out += "\n" + style(h, "1") + "\n"
            case .paragraph(let p): out += "\n" + p + "\n"
            case .table(let t) where t.audience != .machines: out += "\n" + table(t)
            case .table: break
            case .chart(let c): out += "\n" + chart(c)
            }
        }
        return out
    }

    func table(_ t: ReportTable) -> String {
        var out = ""
        if let title = t.title { out += style(title, "1") + "\n" }
        let texts = t.rows.map { r in r.cells.enumerated().map { i, c in i < t.columns.count ? c.display(in: t.columns[i].kind, catalog) : c.plain } }
        var widths = t.columns.map { $0.title.count }
        for r in texts { for (i, s) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], s.count) } }
        func line(_ cells: [String], bold: Bool, negatives: [Bool]) -> String {
            var parts: [String] = []
            for (i, w) in widths.enumerated() {
                let s = i < cells.count ? cells[i] : ""
                let padding = String(repeating: " ", count: max(0, w - s.count))
                var cell = t.columns[i].kind.isNumeric ? padding + s : s + padding
                if i < negatives.count && negatives[i] { cell = style(cell, "31") }
                parts.append(cell)
            }
            var l = parts.joined(separator: "  ")
            while l.hasSuffix(" ") { l.removeLast() }
            return bold ? style(l, "1") : l
        }
        out += line(t.columns.map(\.title), bold: true, negatives: []) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        var previous = RowStyle.normal
        for (r, row) in zip(texts, t.rows) {
            defer { previous = row.style }
            if row.style == .total && previous != .total { out += widths.map { String(repeating: "=", count: $0) }.joined(separator: "  ") + "\n" }
            out += line(r, bold: row.style != .normal, negatives: row.cells.map(\.isNegative)) + "\n"
        }
        return out
    }

    func chart(_ c: ReportChart) -> String {
        switch c {
        case .bars(let b): return bars(b)
        case .stackedBars(let s): return stacked(s)
        case .fan(let f): return AsciiFanChart(chart: f, width: options.width).render(color: options.color)
        }
    }

    func bars(_ b: BarChart) -> String {
        var out = style(b.title, "1") + "\n"
        let labelWidth = b.labels.map(\.count).max() ?? 0
        let maxAbs = b.values.map { abs($0) }.max() ?? 0
        let room = max(10, options.width - labelWidth - 20)
        for (l, v) in zip(b.labels, b.values) {
            let n = maxAbs > 0 ? Int((abs(v) / maxAbs * Double(room)).rounded()) : 0
            let bar = String(repeating: v < 0 ? "░" : "█", count: n)
            out += l + String(repeating: " ", count: labelWidth - l.count) + "  " + style(bar, v < 0 ? "31" : "36") + " " + ChartNumber.money(v, unit: b.unit) + " " + b.unit + "\n"
        }
        return out
    }

    static let fills: [Character] = ["█", "▓", "▒", "░", "#", "=", "+", "*", "o", "~"]
    static let ansi = ["34", "32", "33", "35", "36", "31", "94", "92", "93", "95"]

    func stacked(_ s: StackedBarChart) -> String {
        var out = style(s.title, "1") + "\n"
        let labelWidth = s.categories.map(\.count).max() ?? 0
        var maxPos = 0.0, maxNeg = 0.0
        for i in s.categories.indices {
            let vals = s.series.map { i < $0.values.count ? $0.values[i] : 0 }
            maxPos = max(maxPos, vals.filter { $0 > 0 }.reduce(0, +))
            maxNeg = max(maxNeg, -vals.filter { $0 < 0 }.reduce(0, +))
        }
        let room = Double(max(10, options.width - labelWidth - 20))
        let scale = (maxPos + maxNeg) > 0 ? room / (maxPos + maxNeg) : 0
        for (i, cat) in s.categories.enumerated() {
            var bar = ""
            var total = 0.0
            for (k, ser) in s.series.enumerated() {
                let v = i < ser.values.count ? ser.values[i] : 0
                total += v
                guard v > 0 else { continue }
                let n = Int((v * scale).rounded())
                let seg = String(repeating: options.color ? "█" : String(TerminalRenderer.fills[k % 10]), count: n)
                bar += options.color ? style(seg, TerminalRenderer.ansi[k % 10]) : seg
            }
            let neg = s.series.enumerated().reduce(0.0) { acc, e in let v = i < e.1.values.count ? e.1.values[i] : 0; return acc + (v < 0 ? -v : 0) }
            if neg > 0 { bar += style(String(repeating: "-", count: Int((neg * scale).rounded())), "31") }
            out += cat + String(repeating: " ", count: labelWidth - cat.count) + "  " + bar + " " + ChartNumber.money(total, unit: s.unit) + "\n"
        }
        let legend = s.series.enumerated().map { k, ser in
            (options.color ? style("█", TerminalRenderer.ansi[k % 10]) : String(TerminalRenderer.fills[k % 10])) + " " + ser.name
        }
        out += "(\(s.unit)) " + legend.joined(separator: "  ") + (maxNeg > 0 ? "  - " + catalog("render.chart.negative") : "") + "\n"
        return out
    }
}

/// A fan chart drawn with characters: `·` history, `░` the P10–P90 band, `●` the P50,
/// `-` the floor. Rows are value levels (top = highest), columns are periods.
public struct AsciiFanChart: Sendable {
    public var chart: FanChart
    public var width: Int
    public var height: Int
    public init(chart: FanChart, width: Int = 100, height: Int = 12) { self.chart = chart; self.width = width; self.height = height }

    public func render(color: Bool = false) -> String {
        func style(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        // Too many past points for the width: keep an even sample, always with the latest.
        var chart = self.chart
        let room = max(4, (width - 12) / 2 - chart.forecast.count)
        if chart.history.count > room {
            let h = chart.history
            let step = Double(h.count - 1) / Double(room - 1)
            chart.history = (0..<room).map { h[min(h.count - 1, Int((Double($0) * step).rounded()))] }
        }
        let labels = chart.history.map(\.label) + chart.forecast.map(\.label)
        let n = labels.count
        let catalog = RenderContext.catalog
        guard n > 0 else { return chart.title + "\n(" + catalog("render.chart.no_data") + ")\n" }
        var values = chart.history.map(\.value) + chart.forecast.flatMap { [$0.p10, $0.p50, $0.p90] }
        if let f = chart.floor { values.append(f) }
        var lo = chart.includesZero ? min(0, values.min() ?? 0) : (values.min() ?? 0), hi = values.max() ?? 1
        if hi <= lo { hi = lo + 1 }
        let pad = (hi - lo) * 0.05
        hi += pad; if lo < 0 || !chart.includesZero { lo -= pad }
        let decimals = ChartNumber.decimals(forSpan: hi - lo)
        let axisWidth = max(ChartNumber.format(hi, decimals: decimals).count, ChartNumber.format(lo, decimals: decimals).count) + 1
        let col = max(2, min(8, (width - axisWidth - 2) / n))
        func row(_ v: Double) -> Int { min(height - 1, max(0, Int(((hi - v) / (hi - lo) * Double(height - 1)).rounded()))) }
        var grid = [[Character]](repeating: [Character](repeating: " ", count: n * col), count: height)
        var kinds = [[Int]](repeating: [Int](repeating: 0, count: n * col), count: height)   // 1 band, 2 median, 3 history, 4 floor
        if let f = chart.floor {
            let r = row(f)
            for x in 0..<(n * col) { grid[r][x] = "-"; kinds[r][x] = 4 }
        }
        let h = chart.history.count
        for (i, p) in chart.history.enumerated() {
            let x = i * col + col / 2
            grid[row(p.value)][x] = "·"; kinds[row(p.value)][x] = 3
        }
        for (j, p) in chart.forecast.enumerated() {
            let i = h + j
            let top = row(p.p90), bottom = row(p.p10)
            for r in top...max(top, bottom) {
                for x in (i * col)..<(i * col + col - 1) { grid[r][x] = "░"; kinds[r][x] = 1 }
            }
            let m = row(p.p50)
            for x in (i * col)..<(i * col + col - 1) { grid[m][x] = "●"; kinds[m][x] = 2 }
        }
        var out = style(chart.title, "1") + "\n"
        for r in 0..<height {
            let v = hi - (hi - lo) * Double(r) / Double(height - 1)
            let label = (r == 0 || r == height - 1 || r == height / 2) ? ChartNumber.format(v, decimals: decimals) : ""
            var line = String(repeating: " ", count: axisWidth - label.count) + label + " |"
            for x in 0..<(n * col) {
                let ch = String(grid[r][x])
                switch kinds[r][x] {
                case 1: line += style(ch, "36")
                case 2: line += style(ch, "1;34")
                case 4: line += style(ch, "31")
                default: line += ch
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        out += String(repeating: " ", count: axisWidth) + " +" + String(repeating: "-", count: n * col) + "\n"
        // Period labels under their columns, as many as fit without overlapping.
        var labelLine = [Character](repeating: " ", count: axisWidth + 2 + n * col + 10)
        var nextFree = 0
        for (i, l) in labels.enumerated() {
            let start = axisWidth + 2 + i * col
            guard start >= nextFree, start + l.count <= labelLine.count else { continue }
            for (k, ch) in l.enumerated() { labelLine[start + k] = ch }
            nextFree = start + l.count + 1
        }
        out += String(labelLine).replacingTrailingSpaces() + "\n"
        var legend = "(\(chart.unit)) · " + catalog("render.chart.actual") + (chart.forecast.isEmpty ? "" : "  ● P50  ░ P10–P90")
        if chart.floor != nil { legend += "  - " + catalog("render.chart.floor") }
        out += legend + "\n"
        return out
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// Number text for chart labels (charts use `Double`; tables never do).
enum ChartNumber {
    /// `12,345` or `-1,234.5` (one decimal below 100); `12.345`, `-1.234,5` in Spanish.
    static func format(_ v: Double) -> String { RenderContext.catalog.format.localizedChartNumber(englishFormat(v)) }

    static func englishFormat(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        let neg = v < 0
        let a = abs(v)
        var s: String
        if a >= 100 || a == a.rounded() {
            s = grouped(Int64(a.rounded()))
        } else {
            let tenths = Int64((a * 10).rounded())
            s = grouped(tenths / 10) + "." + String(tenths % 10)
        }
        if neg && s != "0" { s = "-" + s }
        return s
    }

    /// An amount of money in `unit` (a currency code) as the report's tables write amounts: its
    /// minor units (2 for EUR, 0 for JPY, 3 for KWD), dropped only when they are zero (`1,500`,
    /// `1,500.50`; `1.500,50` in Spanish). A chart's values are `Double`s made from amounts, so
    /// rounding to the minor unit gives the amount back; never rounded to whole units, which showed a
    /// floor of 1500.50 as `1,501`. An unknown unit is taken to have two decimals.
    static func money(_ v: Double, unit: String) -> String {
        RenderContext.catalog.format.localizedChartNumber(englishMoney(v, unit: unit))
    }

    static func englishMoney(_ v: Double, unit: String) -> String {
        guard v.isFinite else { return "–" }
        // Back to minor units, then written as every amount is (HumanFormat); an unknown unit as
        // an amount with two decimals.
        let currency = (try? CurrencyCode(unit)) ?? .EUR
        var scale = 1.0
        for _ in 0..<currency.exponent { scale *= 10 }
        let minor = (v * scale).rounded()
        guard abs(minor) < 9e15 else { return englishFormat(v) }
        let text = HumanFormat.en.amount(Money(minorUnits: Int64(minor), currency: currency))
        guard currency.exponent > 0, Int64(minor) % Int64(scale) == 0 else { return text == "-0" ? "0" : text }
        // Minor units left out when they are zero (`1,500`).
        let whole = String(text.dropLast(currency.exponent + 1))
        return whole == "-0" ? "0" : whole
    }

    /// Decimals that make axis labels distinct over a value span.
    static func decimals(forSpan span: Double) -> Int {
        span < 0.1 ? 4 : span < 1 ? 3 : span < 10 ? 2 : span < 100 ? 1 : 0
    }

    /// `v` with exactly `decimals` decimals (0 → grouped integer), in the render's language.
    static func format(_ v: Double, decimals: Int) -> String {
        guard decimals > 0 else { return format(v.rounded()) }
        return RenderContext.catalog.format.localizedChartNumber(englishFormat(v, decimals: decimals))
    }

    static func englishFormat(_ v: Double, decimals: Int) -> String {
        guard v.isFinite else { return "–" }
        var f = 1.0
        for _ in 0..<decimals { f *= 10 }
        let scaled = Int64((abs(v) * f).rounded())
        let ip = scaled / Int64(f), fp = scaled % Int64(f)
        var frac = String(fp)
        frac = String(repeating: "0", count: decimals - frac.count) + frac
        return (v < 0 && scaled != 0 ? "-" : "") + grouped(ip) + "." + frac
    }

    static func grouped(_ v: Int64) -> String {
        let d = String(v)
        var out = ""
        for (i, ch) in d.enumerated() {
            if i > 0 && (d.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// At most two decimals, no exponent, for SVG coordinates: `12.5`, `-3`, `0.25`.
    static func coord(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let c = Int64((v * 100).rounded())
        let a = c.magnitude
        var s = String(a / 100)
        let f = a % 100
        if f != 0 { s += "." + (f < 10 ? "0" + String(f) : (f % 10 == 0 ? String(f / 10) : String(f))) }
        return c < 0 ? "-" + s : s
    }
}

// MARK: CSV

/// CSV per RFC 4180 (comma, CRLF-free `\n` lines, quotes doubled). Every table meant for
/// machines or for everyone is written, one after another, separated by one empty line; each
/// starts with its header row.
///
/// Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is prefixed with `'` so spreadsheets show it as text, unless the whole cell is a plain
/// number (`-12.50`), which stays a number. Typed cells (money, numbers, percentages) are always
/// plain numbers and never escaped.
struct CSVRenderer {
    func render(_ doc: ReportDocument) -> String {
        let tables = doc.tables.filter { $0.audience != .people }
        var out = ""
        // Several tables of the same columns (a tax return's forms, a set-aside plan's parts) are one
        // table with the part each row belongs to first, as a spreadsheet or filing software reads it:
        // stacked blocks under repeated headers could not be told apart.
        if tables.count > 1, let first = tables.first, tables.allSatisfy({ $0.columns.map(\.id) == first.columns.map(\.id) }) {
            out += (["table"] + first.columns.map(\.id)).map { CSVRenderer.field($0) }.joined(separator: ",") + "\n"
            for t in tables {
                for r in t.rows { out += ([CSVRenderer.field(t.id)] + r.cells.map(Self.cell)).joined(separator: ",") + "\n" }
            }
            return out
        }
        for (k, t) in tables.enumerated() {
            if k > 0 { out += "\n" }
            out += t.columns.map { CSVRenderer.field($0.id) }.joined(separator: ",") + "\n"
            for r in t.rows {
                out += r.cells.map(Self.cell).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    static func cell(_ c: ReportCell) -> String {
        switch c {
        case .text(let s): return CSVRenderer.field(s)
        default: return CSVRenderer.field(c.plain, trusted: true)
        }
    }

    static func isPlainNumber(_ s: String) -> Bool {
        var u = Substring(s)
        if u.first == "-" { u = u.dropFirst() }
        guard let f = u.first, f.isASCII, f.isNumber else { return false }
        var seenPoint = false
        for ch in u {
            if ch == "." { if seenPoint { return false }; seenPoint = true; continue }
            if !(ch.isASCII && ch.isNumber) { return false }
        }
        return u.last != "."
    }

    /// Escapes one field: formula prefix for text, then RFC 4180 quoting.
    static func field(_ raw: String, trusted: Bool = false) -> String {
        var s = raw
        if !trusted, let f = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(f), !isPlainNumber(s) {
            s = "'" + s
        }
        if s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") {
            s = "\"" + s.replacingAll("\"", with: "\"\"") + "\""
        }
        return s
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

// MARK: JSON

/// The report's own schema when it has one, else a generic form built from its tables.
struct JSONRenderer {
    func render(_ doc: ReportDocument) -> String {
        if let e = doc.encodedJSON { return e }
        if let j = doc.json { return j.serialized() }
        var tables: [JSONValue] = []
        for t in doc.tables where t.audience != .people {
            let rows: [JSONValue] = t.rows.map { r in
                .object(zip(t.columns, r.cells).map { col, cell in JSONMember(col.id, JSONRenderer.value(cell)) })
            }
            tables.append(.obj([("id", .string(t.id)), ("title", .optional(t.title.map(JSONValue.string))), ("rows", .array(rows))]))
        }
        return JSONValue.obj([
            ("title", .string(doc.title)),
            ("notes", .array(doc.notes.map(JSONValue.string))),
            ("tables", .array(tables)),
        ]).serialized()
    }

    static func value(_ c: ReportCell) -> JSONValue {
        switch c {
        case .empty: return .null
        case .integer(let i): return .int(i)
        case .flag(let b): return .bool(b)
        default: return .string(c.plain)
        }
    }
}

// MARK: Markdown

/// GitHub-flavoured Markdown: a heading, notes as a quote, pipe tables (numbers right-aligned);
/// fan charts as a fenced ASCII drawing, other charts are left to the HTML output.
struct MarkdownRenderer {
    var catalog: Catalog = .shipped(.en)
    func render(_ doc: ReportDocument) -> String {
        var out = "# \(MarkdownRenderer.escape(doc.title))\n"
        if let s = doc.subtitle { out += "\n\(MarkdownRenderer.escape(s))\n" }
        if !doc.notes.isEmpty {
            out += "\n"
            for n in doc.notes { out += "> \(MarkdownRenderer.escape(n))\n" }
        }
        for b in doc.blocks {
            switch b {
            case .heading(let h): out += "\n## \(MarkdownRenderer.escape(h))\n"
            case .paragraph(let p): out += "\n\(MarkdownRenderer.escape(p))\n"
            case .table(let t) where t.audience != .machines:
                out += "\n"
                if let title = t.title { out += "### \(MarkdownRenderer.escape(title))\n\n" }
                out += "| " + t.columns.map { MarkdownRenderer.escape($0.title) }.joined(separator: " | ") + " |\n"
                out += "|" + t.columns.map { $0.kind.isNumeric ? "---:|" : "---|" }.joined() + "\n"
                for r in t.rows {
                    let cells = r.cells.enumerated().map { i, c -> String in
                        let s = MarkdownRenderer.escape(i < t.columns.count ? c.display(in: t.columns[i].kind, catalog) : c.plain)
                        return r.style == .normal || s.isEmpty ? s : "**\(s)**"
                    }
                    out += "| " + cells.joined(separator: " | ") + " |\n"
                }
            case .table: break
            case .chart(.fan(let f)):
                out += "\n```text\n" + AsciiFanChart(chart: f, width: 80).render() + "```\n"
            case .chart: break
            }
        }
        return out
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "|\\*_`[]<>".contains(ch) { out.append("\\") }
            out.append(ch == "\n" ? " " : ch)
        }
        return out
    }
}
