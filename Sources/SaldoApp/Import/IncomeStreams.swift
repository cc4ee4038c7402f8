import SaldoCore
import SaldoInvoices

/// Who income is attributed to: the platform that paid, and a direct client (one who pays against
/// an invoice, not through a platform) is its own platform, in reports as in forecasts.
public enum IncomeStreams {
    /// An invoice's ledger transaction, attributed to the client who pays it (issued) or the seller
    /// paid (received) when no platform is named.
    public static func attribute(_ t: Transaction, invoice: Invoice) -> Transaction {
        var t = t
        if t.platform == nil { t.platform = invoice.direction == .issued ? invoice.buyer.name : invoice.seller.name }
        return t
    }
}
