// libFuzzer target for Saldo's XML invoice readers. Built by scripts/fuzz-invoices.sh, which
// compiles this file together with the SaldoCore, SaldoXML and SaldoInvoices sources into one
// instrumented binary (`swiftc -sanitize=fuzzer,address -parse-as-library`).
//
// Invariants checked on every input that parses:
// - the readers never trap (no force unwrap, overflow or precondition on input data);
// - every transaction they return balances;
// - rendering, JSON rows and the summary never trap.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func invoiceFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let result = InvoiceReader.read(bytes, file: "fuzz.xml")
    var invoices: [Invoice] = []
    for doc in result.invoices {
        _ = CanonicalText.render(doc)
        if let t = doc.transaction {
            do { try t.validate() } catch { preconditionFailure("unbalanced transaction from the reader: \(error)") }
        }
        _ = try? JSONEncoder().encode(InvoiceRow(doc.invoice, today: doc.invoice.issueDate.adding(days: 45)))
        invoices.append(doc.invoice)
    }
    if let first = invoices.first {
        _ = InvoiceSummary.compute(invoices: invoices, payments: [], today: first.issueDate.adding(days: 100))
        _ = PaymentMatcher().propose(openInvoices: invoices, candidates: [
            PaymentCandidate(id: "p", date: first.issueDate.adding(days: 10), amount: first.payable, counterparty: first.buyer.name, reference: first.number),
        ])
    }
    for d in result.diagnostics { _ = d.description }
    return 0
}
