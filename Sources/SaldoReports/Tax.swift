import Foundation
import SaldoCore
import SaldoTax

/// A tax result as a document: its JSON is the result itself (boxes named as on the forms); the
/// other formats render its table, each figure not confirmed from an official source a note of its own.
public struct TaxDocument: ReportConvertible, Sendable {
    public var table: TaxTable
    public var json: String

    public init(table: TaxTable, result: some Encodable) {
        self.table = table
        self.json = ReportDocument.encodeJSON(result)
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    /// Column names and the "unconfirmed" mark follow the catalog; section titles, row labels and
    /// notes are the tax engine's and the rule files' own (box names stay as the forms give them).
    public func document(in L: Catalog) -> ReportDocument {
        let cur = (try? CurrencyCode(table.currency)) ?? .EUR
        var blocks: [ReportBlock] = []
        for s in table.sections {
            let rows = s.rows.map { r -> ReportRow in
                let amount: ReportCell = r.amount.flatMap { try? ExactDecimal($0) }.flatMap { try? Money($0, currency: cur) }.map { .money($0) } ?? (r.text.map { .text($0) } ?? .empty)
                return ReportRow([.text(r.label), .text(r.box ?? ""), amount])
            }
            blocks.append(.table(ReportTable(id: Account.normalizeComponent(s.title), title: s.title,
                                             columns: [ReportColumn("label", L("tax.column.what")), ReportColumn("box", L("tax.column.box")), ReportColumn("amount", L("tax.column.amount_in", ["currency": cur.code]), .money(cur))],
                                             rows: rows)))
        }
        let notes = table.notes + table.unconfirmed.map { L("tax.note.unconfirmed_prefix") + $0 }
        return ReportDocument(title: table.title, notes: notes, blocks: blocks, encodedJSON: json)
    }
}
