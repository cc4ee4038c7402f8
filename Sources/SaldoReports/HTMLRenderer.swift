import SaldoCore

/// One self-contained HTML file: inline CSS, inline SVG charts, no scripts, no external
/// resources, so it opens offline and can be mailed or archived as is.
struct HTMLRenderer {
    var catalog: Catalog = .shipped(.en)
    /// Each chart also drawn for a phone (``SVGCharts/Size/phone``), beside the wide one; the page's
    /// stylesheet shows one of them by the screen's width (the web app's pages; files keep one).
    var phoneCharts = false
    func render(_ doc: ReportDocument) -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="\(catalog.language.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(esc(doc.title))</title>
        <style>
        \(HTMLRenderer.css)
        </style>
        </head>
        <body>
        <main>
        <h1>\(esc(doc.title))</h1>

        """
        out += blocks(doc)
        out += "<footer>\(esc(catalog("render.html.footer")))</footer>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// The report's body below its title: subtitle, notes, headings, tables and charts. The web
    /// app's pages embed it (``HTMLReport/fragment(_:)``), so the page and the file show the same.
    func blocks(_ doc: ReportDocument) -> String {
        var out = ""
        if let s = doc.subtitle { out += "<p class=\"subtitle\">\(esc(s))</p>\n" }
        if !doc.notes.isEmpty {
            out += "<ul class=\"notes\">\n"
            for n in doc.notes { out += "<li>\(esc(n))</li>\n" }
            out += "</ul>\n"
        }
        var chartNo = 0
        for b in doc.blocks {
            switch b {
            case .heading(let h): out += "<h2>\(esc(h))</h2>\n"
            case .paragraph(let p): out += "<p>\(esc(p))</p>\n"
            case .table(let t) where t.audience != .machines: out += table(t)
            case .table: break
            case .chart(let c):
                chartNo += 1
                out += "<figure>\n<figcaption>\(esc(c.title))</figcaption>\n"
                for size in phoneCharts ? [SVGCharts.Size.wide, .phone] : [.wide] {
                    let svg: String
                    switch c {
                    case .stackedBars(let s): svg = SVGCharts.stackedBars(s, id: chartNo, size: size)
                    case .bars(let s): svg = SVGCharts.bars(s, id: chartNo, size: size)
                    case .fan(let f): svg = SVGCharts.fan(f, id: chartNo, size: size)
                    }
                    // `<svg class="chart-wide"` / `chart-phone`: the page shows one by the screen's width.
                    out += phoneCharts ? svg.replacingOccurrences(of: "<svg ", with: "<svg class=\"\(size.className)\" ", range: svg.range(of: "<svg ")) : svg
                }
                out += "</figure>\n"
            }
        }
        return out
    }

    func table(_ t: ReportTable) -> String {
        var out = "<section class=\"table\">\n"
        if let title = t.title { out += "<h3>\(esc(title))</h3>\n" }
        out += "<table id=\"\(esc(t.id))\">\n<thead><tr>"
        for c in t.columns { out += "<th\(c.kind.isNumeric ? " class=\"num\"" : "")>\(esc(c.title))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for r in t.rows {
            let cls = r.style == .total ? " class=\"total\"" : r.style == .subtotal ? " class=\"subtotal\"" : ""
            out += "<tr\(cls)>"
            for (i, c) in r.cells.enumerated() {
                let kind = i < t.columns.count ? t.columns[i].kind : .text
                var classes: [String] = []
                if kind.isNumeric { classes.append("num") }
                if c.isNegative { classes.append("neg") }
                let attr = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                out += "<td\(attr)>\(esc(c.display(in: kind, catalog)))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"
        return out
    }

    static let css = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d232a; background: #fafbfc; margin: 0; }
    main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
    h1 { font-size: 26px; margin: 8px 0 4px; }
    h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #d8dee4; padding-bottom: 4px; }
    h3 { font-size: 15px; margin: 20px 0 6px; color: #444d56; }
    .subtitle { color: #57606a; margin: 0 0 12px; }
    .notes { color: #57606a; font-size: 13px; padding-left: 18px; }
    table { border-collapse: collapse; font-size: 13px; margin: 4px 0 16px; background: #fff; }
    th, td { padding: 4px 10px; border-bottom: 1px solid #eaeef2; text-align: left; white-space: nowrap; }
    th { background: #f0f3f6; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.neg { color: #c62828; }
    tr.subtotal td { background: #f6f8fa; font-weight: 600; }
    tr.total td { background: #eef2f6; font-weight: 700; border-top: 2px solid #8c959f; }
    figure { margin: 16px 0 24px; background: #fff; border: 1px solid #eaeef2; border-radius: 6px; padding: 8px 12px; }
    figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
    svg { display: block; width: 100%; max-width: 1000px; height: auto; font-family: inherit; }
    svg text { font-size: 11px; fill: #444d56; }
    footer { margin-top: 32px; font-size: 12px; color: #8c959f; }
    @media print { body { background: #fff; } figure { break-inside: avoid; } }
    """
}

func esc(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

/// Inline SVG charts with fixed sizes and deterministic output.
enum SVGCharts {
    /// How large a chart is drawn. `wide` is the report files' and the wide screen's; `phone` is
    /// drawn 340 wide for a 375 px screen, where the wide one would be scaled to a third and its
    /// 11 px text read as 4 px: fewer labels, no per-bar totals when bars are narrow, larger text
    /// (the page's stylesheet sets 13 px on `.chart-phone`).
    struct Size: Sendable {
        var width: Double
        /// An average character's width at the chart's text size, in px (to fit labels).
        var characterWidth: Double
        var isPhone: Bool
        var className: String { isPhone ? "chart-phone" : "chart-wide" }
        static let wide = Size(width: 860, characterWidth: LegendLayout.characterWidth, isPhone: false)
        static let phone = Size(width: 340, characterWidth: 8.2, isPhone: true)
        /// About how wide a number's label is drawn (digits narrower than the average character,
        /// separators narrower still), to leave out labels that would run into their neighbours.
        func textWidth(_ s: String) -> Double {
            s.reduce(0.0) { $0 + ($1.isNumber ? characterWidth * 0.85 : $1 == "," || $1 == "." ? characterWidth * 0.45 : characterWidth) }
        }
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    static func c(_ v: Double) -> String { ChartNumber.coord(v) }

    /// Round tick values covering `lo...hi` (about five steps of 1, 2 or 5 × 10^k).
    static func ticks(_ lo: Double, _ hi: Double) -> [Double] {
        let span = hi - lo
        guard span > 0, span.isFinite else { return [lo] }
        let raw = span / 5
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * p }.first { $0 >= raw } ?? p * 10
        // From the first multiple of the step at or above `lo` to the first at or above `hi`.
        var t = (lo / step).rounded(.up) * step
        let end = (hi / step).rounded(.up) * step
        var out: [Double] = []
        while t <= end + step * 1e-9 { out.append(t == 0 ? 0 : t); t += step }
        return out
    }

    static func stackedBars(_ s: StackedBarChart, id: Int, size: Size = .wide) -> String {
        let phone = size.isPhone
        let W = size.width, left = phone ? 52.0 : 72.0, right = phone ? 8.0 : 16.0, top = 26.0
        let n = s.categories.count
        let rotate = !phone && n > 14
        // Legend in columns wide enough for the longest name (130 px, six a row, when every name
        // is short; a long name, cut at 40 characters, widens the columns and wraps the rows).
        // On a phone it starts at the left edge and names are cut to what one row holds.
        let legendLeft = phone ? 8.0 : left
        let legend = phone
            ? LegendLayout(names: s.series.map(\.name), width: W - legendLeft, characterWidth: size.characterWidth,
                           maxCharacters: Int((W - legendLeft - 17) / size.characterWidth))
            : LegendLayout(names: s.series.map(\.name), width: W - left)
        let legendRows = Double(legend.rows)
        let rowH = phone ? 20.0 : 18.0
        let bottom = (rotate ? 64.0 : 36.0) + legendRows * rowH
        // On a phone the legend takes a row per name or two: the bars keep their own 190 px.
        let H = phone ? top + 190 + bottom : 360.0
        var maxPos = 0.0, maxNeg = 0.0
        for i in 0..<n {
            var p = 0.0, q = 0.0
            for ser in s.series where i < ser.values.count { let v = ser.values[i]; if v > 0 { p += v } else { q += v } }
            maxPos = max(maxPos, p); maxNeg = min(maxNeg, q)
        }
        if maxPos == maxNeg { maxPos = maxNeg + 1 }
        let tk = ticks(maxNeg, maxPos)
        let lo = min(maxNeg, tk.first ?? maxNeg), hi = max(maxPos, tk.last ?? maxPos)
        let plotH = H - top - bottom, plotW = W - left - right
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(W)) \(c(H))\" width=\"\(c(W))\" height=\"\(c(H))\" role=\"img\" aria-label=\"\(esc(s.title))\">\n"
        for t in tk {
            out += "<line x1=\"\(c(left))\" x2=\"\(c(W - right))\" y1=\"\(c(y(t)))\" y2=\"\(c(y(t)))\" stroke=\"\(t == 0 ? "#8c959f" : "#eaeef2")\"/>"
            out += "<text x=\"\(c(left - 6))\" y=\"\(c(y(t) + 4))\" text-anchor=\"end\">\(esc(ChartNumber.format(t)))</text>\n"
        }
        out += "<text x=\"\(c(left - 6))\" y=\"\(c(top - 12))\" text-anchor=\"end\">\(esc(s.unit))</text>\n"
        let band = n > 0 ? plotW / Double(n) : plotW
        let bw = min(band * 0.68, 120)
        // On a phone: a category's label every few bars (as many as fit). The bars' totals (amounts
        // as the tables write them, cents and all) only where every one fits above its bar without
        // touching the next, and on a phone only on wide enough bars (the tooltip always has them).
        let labelEvery = phone ? max(1, Int((Double(n) * (9 * size.characterWidth) / plotW).rounded(.up))) : 1
        let totalLabels = (0..<n).map { i in
            ChartNumber.money(s.series.reduce(0.0) { $0 + (i < $1.values.count ? $1.values[i] : 0) }, unit: s.unit)
        }
        let totals = (!phone || band >= 6 * size.characterWidth) && totalLabels.allSatisfy { size.textWidth($0) <= band - 2 }
        // Where each labelled category's label is centred: from the last (this month) backwards,
        // kept inside the chart, and left out where it would touch the label after it.
        var labelAt: [Int: Double] = [:]
        if phone {
            var nextLeft = Double.infinity
            for i in stride(from: n - 1, through: 0, by: -labelEvery) {
                let half = Double(s.categories[i].count) * size.characterWidth / 2
                let centre = left + band * Double(i) + band / 2
                let ax = min(max(centre, left + half - 4), W - right - half)
                guard ax + half + 6 <= nextLeft else { continue }
                labelAt[i] = ax
                nextLeft = ax - half
            }
        }
        for i in 0..<n {
            let x = left + band * Double(i) + (band - bw) / 2
            var pos = 0.0, neg = 0.0
            for (k, ser) in s.series.enumerated() where i < ser.values.count && ser.values[i] != 0 {
                let v = ser.values[i]
                let (a, b): (Double, Double)
                if v > 0 { a = pos + v; b = pos; pos += v } else { a = neg; b = neg + v; neg += v }
                out += "<rect x=\"\(c(x))\" y=\"\(c(y(a)))\" width=\"\(c(bw))\" height=\"\(c(max(0.5, y(b) - y(a))))\" fill=\"\(palette[k % palette.count])\"><title>\(esc(ser.name)) \(esc(s.categories[i])): \(esc(ChartNumber.money(v, unit: s.unit))) \(esc(s.unit))</title></rect>\n"
            }
            let total = pos + neg
            if totals {
                out += "<text x=\"\(c(x + bw / 2))\" y=\"\(c(y(pos) - 4))\" text-anchor=\"middle\">\(esc(ChartNumber.money(total, unit: s.unit)))</text>\n"
            }
            let lx = x + bw / 2, ly = H - bottom + (phone ? 18 : 16)
            if phone {
                // Every few bars, the last one's always; the first and last kept inside the chart.
                guard let ax = labelAt[i] else { continue }
                out += "<text x=\"\(c(ax))\" y=\"\(c(ly))\" text-anchor=\"middle\">\(esc(s.categories[i]))</text>\n"
            } else if rotate {
                out += "<text x=\"\(c(lx))\" y=\"\(c(ly))\" text-anchor=\"end\" transform=\"rotate(-45 \(c(lx)) \(c(ly)))\">\(esc(s.categories[i]))</text>\n"
            } else {
                out += "<text x=\"\(c(lx))\" y=\"\(c(ly))\" text-anchor=\"middle\">\(esc(s.categories[i]))</text>\n"
            }
        }
        // Legend.
        for (k, ser) in s.series.enumerated() {
            let lx = legendLeft + Double(k % legend.perRow) * legend.column, ly = H - legendRows * rowH + Double(k / legend.perRow) * rowH - 4
            out += "<rect x=\"\(c(lx))\" y=\"\(c(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(palette[k % palette.count])\"/>"
            let shown = legend.label(ser.name)
            out += "<text x=\"\(c(lx + 17))\" y=\"\(c(ly))\">\(esc(shown))\(shown == ser.name ? "" : "<title>\(esc(ser.name))</title>")</text>\n"
        }
        out += "</svg>\n"
        return out
    }

    /// Where a chart's legend entries go: equal columns, as many a row as fit.
    struct LegendLayout {
        static let maxCharacters = 40
        /// A generous average width of one character of the chart's text, in px.
        static let characterWidth = 7.2
        let column: Double
        let perRow: Int
        let rows: Int

        let limit: Int

        init(names: [String], width: Double, characterWidth: Double = Self.characterWidth, maxCharacters: Int = Self.maxCharacters) {
            let limit = max(4, maxCharacters)
            self.limit = limit
            let longest = names.map { min($0.count, limit) }.max() ?? 0
            // Swatch (17 px), the text, and a gap.
            column = max(130, 17 + Double(longest) * characterWidth + 16)
            perRow = max(1, min(6, Int(width / column)))
            rows = (names.count + perRow - 1) / perRow
        }

        func label(_ name: String) -> String {
            name.count <= limit ? name : String(name.prefix(limit - 1)) + "…"
        }
    }

    static func bars(_ b: BarChart, id: Int, size: Size = .wide) -> String {
        let phone = size.isPhone
        let W = size.width, rowH = phone ? 28.0 : 26.0, top = 8.0
        let labelW = phone ? min(130.0, Double((b.labels.map(\.count).max() ?? 4)) * size.characterWidth + 12)
                           : min(240.0, Double((b.labels.map(\.count).max() ?? 4) * 7 + 16))
        // On a phone a long label is cut to its column (the bar's tooltip has it whole).
        // (Rounded up by a hair first: 3 × 8.2 + 12 − 12 divided by 8.2 is 2.9999…, which cut "EUR" to "EUR…".)
        let fits = Int((labelW - 12) / size.characterWidth + 1e-9)
        func label(_ l: String) -> String { !phone || l.count <= fits ? l : String(l.prefix(max(3, fits - 1))) + "…" }
        let H = top + rowH * Double(max(1, b.labels.count)) + 24
        let lo = min(0, b.values.min() ?? 0), hi = max(0, b.values.max() ?? 0)
        let span = hi - lo > 0 ? hi - lo : 1
        // Room right of the longest bar for its amount, cents and currency included.
        let valueRoom = b.values.map { size.textWidth(ChartNumber.money($0, unit: b.unit) + " " + b.unit) }.max() ?? 0
        let plotW = W - labelW - max(phone ? 96 : 110, valueRoom + 12)
        func x(_ v: Double) -> Double { labelW + (v - lo) / span * plotW }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(W)) \(c(H))\" width=\"\(c(W))\" height=\"\(c(H))\" role=\"img\" aria-label=\"\(esc(b.title))\">\n"
        for (i, (l, v)) in zip(b.labels, b.values).enumerated() {
            let yy = top + rowH * Double(i)
            let x0 = x(min(0, v)), x1 = x(max(0, v))
            out += "<text x=\"\(c(labelW - 8))\" y=\"\(c(yy + rowH / 2 + 4))\" text-anchor=\"end\">\(esc(label(l)))</text>"
            out += "<rect x=\"\(c(x0))\" y=\"\(c(yy + 4))\" width=\"\(c(max(0.5, x1 - x0)))\" height=\"\(c(rowH - 8))\" fill=\"\(v < 0 ? "#e15759" : palette[i % palette.count])\"><title>\(esc(l)): \(esc(ChartNumber.money(v, unit: b.unit))) \(esc(b.unit))</title></rect>"
            out += "<text x=\"\(c(x1 + 6))\" y=\"\(c(yy + rowH / 2 + 4))\">\(esc(ChartNumber.money(v, unit: b.unit))) \(esc(b.unit))</text>\n"
        }
        out += "<line x1=\"\(c(x(0)))\" x2=\"\(c(x(0)))\" y1=\"\(c(top))\" y2=\"\(c(H - 20))\" stroke=\"#8c959f\"/>\n"
        out += "</svg>\n"
        return out
    }

    static func fan(_ f: FanChart, id: Int, size: Size = .wide) -> String {
        let phone = size.isPhone
        let W = size.width, H = phone ? 290.0 : 340.0, left = phone ? 52.0 : 72.0, right = phone ? 12.0 : 40.0, top = 26.0, bottom = 56.0
        let labels = f.history.map(\.label) + f.forecast.map(\.label)
        let n = labels.count
        var values = f.history.map(\.value) + f.forecast.flatMap { [$0.p10, $0.p50, $0.p90] }
        if let fl = f.floor { values.append(fl) }
        let vmin = values.min() ?? 0, vmax = values.max() ?? 1
        let tk: [Double]
        let lo: Double, hi: Double
        if f.includesZero {
            tk = ticks(min(0, vmin), max(1, vmax))
            lo = min(tk.first ?? 0, vmin); hi = max(tk.last ?? 1, vmax)
        } else {
            let pad = vmax > vmin ? (vmax - vmin) * 0.08 : max(abs(vmax) * 0.01, 1e-6)
            lo = vmin - pad; hi = vmax + pad
            tk = ticks(lo, hi).filter { $0 >= lo && $0 <= hi }
        }
        let decimals = f.includesZero ? 0 : ChartNumber.decimals(forSpan: hi - lo)
        // A fan from zero draws amounts: each written as the tables write amounts (1,500.50, not
        // 1,501); one that hugs its data draws exchange rates, with the decimals they need.
        func value(_ v: Double) -> String { f.includesZero ? ChartNumber.money(v, unit: f.unit) : ChartNumber.format(v) }
        let plotH = H - top - bottom, plotW = W - left - right
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        func x(_ i: Int) -> Double { n <= 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(n - 1) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(W)) \(c(H))\" width=\"\(c(W))\" height=\"\(c(H))\" role=\"img\" aria-label=\"\(esc(f.title))\">\n"
        for t in tk {
            out += "<line x1=\"\(c(left))\" x2=\"\(c(W - right))\" y1=\"\(c(y(t)))\" y2=\"\(c(y(t)))\" stroke=\"\(t == 0 ? "#8c959f" : "#eaeef2")\"/>"
            out += "<text x=\"\(c(left - 6))\" y=\"\(c(y(t) + 4))\" text-anchor=\"end\">\(esc(decimals == 0 ? ChartNumber.format(t) : ChartNumber.format(t, decimals: decimals)))</text>\n"
        }
        out += "<text x=\"\(c(left - 6))\" y=\"\(c(top - 12))\" text-anchor=\"end\">\(esc(f.unit))</text>\n"
        let h = f.history.count
        // Band P10–P90, joined to the last actual value.
        if !f.forecast.isEmpty {
            var upper: [(Double, Double)] = [], lower: [(Double, Double)] = []
            if let last = f.history.last { upper.append((x(h - 1), y(last.value))); lower.append((x(h - 1), y(last.value))) }
            for (j, p) in f.forecast.enumerated() { upper.append((x(h + j), y(p.p90))); lower.append((x(h + j), y(p.p10))) }
            let pts = (upper + lower.reversed()).map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " ")
            out += "<polygon points=\"\(pts)\" fill=\"#4e79a7\" fill-opacity=\"0.22\" stroke=\"none\"><title>P10–P90</title></polygon>\n"
            var median: [(Double, Double)] = []
            if let last = f.history.last { median.append((x(h - 1), y(last.value))) }
            for (j, p) in f.forecast.enumerated() { median.append((x(h + j), y(p.p50))) }
            out += "<polyline points=\"\(median.map { "\(c($0.0)),\(c($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            for (j, p) in f.forecast.enumerated() {
                out += "<circle cx=\"\(c(x(h + j)))\" cy=\"\(c(y(p.p50)))\" r=\"3.5\" fill=\"#4e79a7\"><title>\(esc(p.label)): P10 \(esc(value(p.p10))), P50 \(esc(value(p.p50))), P90 \(esc(value(p.p90))) \(esc(f.unit))</title></circle>\n"
            }
        }
        if h > 0 {
            out += "<polyline points=\"\(f.history.enumerated().map { "\(c(x($0.offset))),\(c(y($0.element.value)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"#1d232a\" stroke-width=\"2\"/>\n"
            for (i, p) in f.history.enumerated() {
                out += "<circle cx=\"\(c(x(i)))\" cy=\"\(c(y(p.value)))\" r=\"2.5\" fill=\"#1d232a\"><title>\(esc(p.label)): \(esc(value(p.value))) \(esc(f.unit))</title></circle>\n"
            }
        }
        if let fl = f.floor {
            out += "<line x1=\"\(c(left))\" x2=\"\(c(W - right))\" y1=\"\(c(y(fl)))\" y2=\"\(c(y(fl)))\" stroke=\"#e15759\" stroke-dasharray=\"4 3\"/>"
            out += "<text x=\"\(c(W - right))\" y=\"\(c(y(fl) - 4))\" text-anchor=\"end\" fill=\"#e15759\">\(esc(RenderContext.catalog("render.chart.floor"))) \(esc(value(fl)))</text>\n"
        }
        // A label every so many points, as many as fit (a label about 60 px wide; 9 characters on a phone).
        let every = max(1, Int((Double(n) * (phone ? 9 * size.characterWidth : 60) / plotW).rounded(.up)))
        let lastLabelled = ((n - 1) / every) * every
        for (i, l) in labels.enumerated() where i % every == 0 || (i == n - 1 && i - lastLabelled >= max(1, every / 2 + 1)) {
            out += "<text x=\"\(c(x(i)))\" y=\"\(c(H - bottom + 18))\" text-anchor=\"middle\">\(esc(l))</text>\n"
        }
        let ly = H - 14
        // The legend: from the chart's left edge on a phone, where the three entries just fit.
        let lg = phone ? 8.0 : left
        out += "<line x1=\"\(c(lg))\" x2=\"\(c(lg + 24))\" y1=\"\(c(ly - 4))\" y2=\"\(c(ly - 4))\" stroke=\"#1d232a\" stroke-width=\"2\"/><text x=\"\(c(lg + 30))\" y=\"\(c(ly))\">\(esc(RenderContext.catalog("render.chart.actual")))</text>"
        if !f.forecast.isEmpty {
        out += "<line x1=\"\(c(lg + 100))\" x2=\"\(c(lg + 124))\" y1=\"\(c(ly - 4))\" y2=\"\(c(ly - 4))\" stroke=\"#4e79a7\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"\(c(lg + 130))\" y=\"\(c(ly))\">P50</text>"
        out += "<rect x=\"\(c(lg + 180))\" y=\"\(c(ly - 10))\" width=\"24\" height=\"12\" fill=\"#4e79a7\" fill-opacity=\"0.22\"/><text x=\"\(c(lg + 210))\" y=\"\(c(ly))\">P10–P90</text>\n"
        }
        out += "\n"
        out += "</svg>\n"
        return out
    }
}
