import SaldoCore

/// The HTML report's parts, for pages that embed a report (the web app): the same tables and the
/// same SVG charts as `--format html`, without the page around them.
public enum HTMLReport {
    /// Subtitle, notes, headings, tables and charts of the report (no `<html>`, no title), in `language`.
    /// Each chart comes twice, `<svg class="chart-wide">` and `<svg class="chart-phone">` (drawn for
    /// a 375 px screen): the page's stylesheet shows one by the screen's width.
    public static func fragment(_ report: some ReportConvertible, language: Language = .en) -> String {
        let catalog = Catalog.shipped(language)
        return RenderContext.$catalog.withValue(catalog) {
            HTMLRenderer(catalog: catalog, phoneCharts: true).blocks(report.document(in: catalog))
        }
    }

    /// The report's title in `language`.
    public static func title(_ report: some ReportConvertible, language: Language = .en) -> String {
        report.document(in: Catalog.shipped(language)).title
    }

    /// The report's stylesheet (tables, charts), served by the web app as a file.
    public static var stylesheet: String { HTMLRenderer.css }

    /// Text escaped for HTML element content and attribute values.
    public static func escape(_ text: String) -> String { esc(text) }
}
