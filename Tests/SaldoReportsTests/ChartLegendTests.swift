import Foundation
import Testing
@testable import SaldoReports

/// A stacked bar chart's legend never overlaps: entries sit in columns at least as wide as the
/// longest (cut) name, and wrap onto more rows; short names keep the six 130-px columns they had.
@Suite struct ChartLegendTests {
    /// (x, y, text) of every legend label in the SVG (the labels after a legend swatch).
    func legend(_ svg: String) -> [(x: Double, y: Double, text: String)] {
        let pattern = try! NSRegularExpression(pattern: #"height="12" fill="[^"]+"/><text x="([0-9.]+)" y="([0-9.]+)">([^<]*)"#)
        return pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map { m in
            let g = { (i: Int) in String(svg[Range(m.range(at: i), in: svg)!]) }
            return (Double(g(1))!, Double(g(2))!, g(3))
        }
    }

    func chart(_ names: [String]) -> String {
        SVGCharts.stackedBars(StackedBarChart(title: "t", unit: "EUR", categories: ["2026-01", "2026-02"],
                                              series: names.map { ChartSeries($0, [100, 200]) }), id: 1)
    }

    @Test func longNamesGetWiderColumnsAndNeverOverlap() {
        let names = ["Acme Research Collective Ltd (annotation)", "Prolific", "Outlier AI — contract 2026 evaluation project long",
                     "Upwork", "Direct client: Fundación Ejemplo de Traducción", "Appen", "Wise"]
        let labels = legend(chart(names))
        #expect(labels.count == names.count)
        for a in labels {
            for b in labels where a.y == b.y && a.x < b.x {
                let width = Double(a.text.count) * SVGCharts.LegendLayout.characterWidth
                #expect(a.x + width <= b.x, "\(a.text) overlaps \(b.text)")
            }
        }
        // Cut at 40 characters, the whole name in its tooltip.
        #expect(labels.allSatisfy { $0.text.count <= SVGCharts.LegendLayout.maxCharacters })
        #expect(chart(names).contains("<title>Outlier AI — contract 2026 evaluation project long</title>"))
    }

    @Test func shortNamesKeepSixColumnsOf130() {
        let labels = legend(chart(["Upwork", "Prolific", "Outlier", "Appen", "Wise", "PayPal", "Stripe"]))
        #expect(labels.map(\.x).prefix(6) == [89, 219, 349, 479, 609, 739])
        #expect(labels[6].x == 89 && labels[6].y > labels[0].y)
    }
}
