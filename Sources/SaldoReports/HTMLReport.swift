import SaldoCore

/// The HTML report's parts, for pages that embed a report (the web app): the same tables and the
/// same SVG charts as `--format html`, without the page around them.
public enum HTMLReport {
    /// Subtitle, notes, headings, tables and charts of the report (no `<html>`, no title).
    public static func fragment(_ report: some ReportConvertible) -> String {
        HTMLRenderer().blocks(report.document())
    }

    /// The report's stylesheet (tables, charts), served by the web app as a file.
    public static var stylesheet: String { HTMLRenderer.css }

    /// Text escaped for HTML element content and attribute values.
    public static func escape(_ text: String) -> String { esc(text) }
}
