import Foundation
import SaldoCore
import SaldoTax

/// A tax result as a document: its JSON is the result itself (boxes named as on the forms); the
/// other formats render its table, each figure not confirmed from an official source a note of its own.
public struct TaxDocument: ReportConvertible, Sendable {
    public var table: TaxTable
    public var json: String
    /// Whether the figures not confirmed from an official source are listed among the notes (the
    /// terminal, the files); a page that shows them in a box of their own turns this off.
    public var unconfirmedAsNotes = true

    public init(table: TaxTable, result: some Encodable) {
        self.table = table
        self.json = ReportDocument.encodeJSON(result)
    }

    public func document() -> ReportDocument { document(in: .shipped(.en)) }

    /// The same document without the unconfirmed figures among its notes (see ``unconfirmedAsNotes``).
    public func withoutUnconfirmedNotes() -> TaxDocument { var d = self; d.unconfirmedAsNotes = false; return d }

    /// The figures not confirmed from an official source, one text each, in `L`'s language.
    public func unconfirmed(in L: Catalog) -> [String] {
        table.unconfirmedFlags.isEmpty || L.language == .en
            ? table.unconfirmed
            : table.unconfirmedFlags.map { f in
                L("tax.unconfirmed_flag", ["title": f.title, "rule": f.rule, "file": f.file,
                                           "points": FigureFlag.join(f.points.map { TaxRules.remark(L.translating($0, keyPrefix: "tax.flag."), in: L.language) })])
            }
    }

    /// Every word follows the catalog: titles, row labels and value texts by their keys
    /// (`tax.*`), notes by the English template they were made from (`tax.note.*`, see
    /// `Catalog.recognize`), unconfirmed figures from their flags. Box names and the rule files'
    /// own titles and points stay as the forms and rule files give them.
    public func document(in L: Catalog) -> ReportDocument {
        let cur = (try? CurrencyCode(table.currency)) ?? .EUR
        var blocks: [ReportBlock] = []
        for s in table.sections {
            let rows = s.rows.map { r -> ReportRow in
                let text = r.valueText.map { $0.text(in: L) } ?? r.text
                let amount: ReportCell = r.amount.flatMap { try? ExactDecimal($0) }.flatMap { try? Money($0, currency: cur) }.map { .money($0) } ?? (text.map { .text($0) } ?? .empty)
                return ReportRow([.text(r.labelText.map { $0.text(in: L) } ?? r.label), .text(r.box ?? ""), amount])
            }
            blocks.append(.table(ReportTable(id: Account.normalizeComponent(s.title), title: s.titleText.map { $0.text(in: L) } ?? s.title,
                                             columns: [ReportColumn("label", L("tax.column.what")), ReportColumn("box", L("tax.column.box")), ReportColumn("amount", L("tax.column.amount_in", ["currency": cur.code]), .money(cur))],
                                             rows: rows)))
        }
        let unconfirmed = unconfirmed(in: L)
        // A rule file's remark inside a note (`tax.note.unconfirmed_point`) in the file's own Spanish.
        let notes = table.notes.map { note -> String in
            guard L.language != .en, var t = Catalog.recognize(note, keyPrefix: "tax.note.") else { return note }
            t.arguments = t.arguments.mapValues { TaxRules.remark($0, in: L.language) }
            return t.text(in: L)
        } + (unconfirmedAsNotes ? unconfirmed.map { L("tax.note.unconfirmed_prefix") + $0 } : [])
        return ReportDocument(title: table.titleText.map { $0.text(in: L) } ?? table.title, notes: notes, blocks: blocks, encodedJSON: json)
    }
}
