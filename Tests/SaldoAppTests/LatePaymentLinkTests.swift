import Foundation
import Testing
import SaldoCore
import SaldoStore
@testable import SaldoApp

/// A payment linked long after the invoice was due (or issued, when it states no due date) is
/// linked with a warning, as an early one is: more than ``Invoices/latePaymentDays`` days late is
/// more often another invoice's payment, or a mistyped transaction id, than a late one.
@Suite struct LatePaymentLinkTests {
    let eur = CurrencyCode.EUR
    func day(_ s: String) -> Day { Day(iso: s)! }
    func money(_ minor: Int64) -> Money { Money(minorUnits: minor, currency: eur) }

    func invoice(issued: String, due: String?) -> Invoice {
        Invoice(number: "F-1", typeCode: "380", kind: .invoice, direction: .issued, issueDate: day(issued), dueDate: due.map(day),
                seller: Party(name: "Me"), buyer: Party(name: "Client"), currency: eur, net: money(100_00), tax: money(0), withholding: money(0),
                total: money(100_00), prepaid: money(0), payable: money(100_00), format: "ubl")
    }

    /// 100.00 EUR arriving in the bank on `date`.
    func payment(_ date: String) -> StoredTransaction {
        StoredTransaction(id: 7, transaction: Transaction(date: day(date), description: "Client pays", kind: .payment, postings: [
            Posting(Account(.assets, "bank"), money(100_00)), Posting(Account(.assets, "receivable", "client"), money(-100_00)),
        ]))
    }

    func warnings(_ inv: Invoice, paid date: String) throws -> [LocalizedText] {
        try Invoices.check(payment(date), pays: inv, value: money(100_00), amountGiven: true)
    }

    @Test func halfAYearAfterTheDueDateIsNotRemarked() throws {
        #expect(Invoices.latePaymentDays == 180)
        let inv = invoice(issued: "2026-01-15", due: "2026-02-14")
        // 2026-02-14 + 180 days = 2026-08-13.
        #expect(try warnings(inv, paid: "2026-08-13").isEmpty)
        #expect(try warnings(inv, paid: "2026-03-20").isEmpty)
    }

    @Test func laterThanThatIsSaidInBothLanguages() throws {
        let inv = invoice(issued: "2026-01-15", due: "2026-02-14")
        let w = try warnings(inv, paid: "2026-08-14")
        #expect(w.map(\.key) == ["invoice.link.warning.late"])
        #expect(w.first?.english == "transaction #7 of 2026-08-14 is 181 days after the invoice was due (2026-02-14); check that it pays this invoice")
        #expect(w.first?.text(in: .shipped(.es)) == "el movimiento n.º 7 del 14 ago 2026 es 181 días posterior al vencimiento de la factura (14 feb 2026); comprueba que la paga")
    }

    /// Without a due date the issue date is what the payment is late against, and the warning says so.
    @Test func withoutADueDateTheIssueDateCounts() throws {
        let inv = invoice(issued: "2026-01-15", due: nil)
        #expect(try warnings(inv, paid: "2026-07-14").isEmpty)   // 180 days after issue
        let w = try warnings(inv, paid: "2026-12-01")
        #expect(w.map(\.key) == ["invoice.link.warning.late_issued"])
        #expect(w.first?.english == "transaction #7 of 2026-12-01 is 320 days after the invoice was issued (2026-01-15) and the invoice states no due date; check that it pays this invoice")
        #expect(w.first?.text(in: .shipped(.es)) == "el movimiento n.º 7 del 1 dic 2026 es 320 días posterior a la emisión de la factura (15 ene 2026), que no indica vencimiento; comprueba que la paga")
    }
}
