import Foundation
import Testing
import SaldoCore
import SaldoTestSupport
@testable import SaldoWeb

/// The web API links a payment through the same use case as `saldo invoices link`: a payment long
/// after the invoice's due date is linked and the answer warns about it, in the request's language.
@Suite struct LateLinkWebTests {
    @Test func theLinkEndpointWarnsAboutALatePayment() async throws {
        let path = try demoLedgerCopy("late-link")
        try await withServer(ledger: path) { s in
            let url = "/api/v1/books/main/invoices/links"
            // LMS-2026-001 was due on 2026-02-27; #556 (Wise, 2026-10-15) brought euros in 230 days later.
            let body = #"{"invoice": "LMS-2026-001", "transaction": 556, "amount": "100.00"}"#
            let en = try await s.change("POST", url, json: body, headers: [("Accept-Language", "en")])
            #expect(en.status == 200, "\(en.text)")
            #expect(en.text.contains("transaction #556 of 2026-10-15 is 230 days after the invoice was due (2026-02-27); check that it pays this invoice"), "\(en.text)")
            #expect(try await s.change("DELETE", url, json: #"{"invoice": "LMS-2026-001", "transaction": 556}"#).status == 200)
            let es = try await s.change("POST", url, json: body, headers: [("Accept-Language", "es-ES,es;q=0.9")])
            #expect(es.status == 200, "\(es.text)")
            #expect(es.text.contains("el movimiento n.º 556 del 15 oct 2026 es 230 días posterior al vencimiento de la factura (27 feb 2026); comprueba que la paga"), "\(es.text)")
        }
    }
}
