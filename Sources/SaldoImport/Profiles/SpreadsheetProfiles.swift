import SaldoCore

/// Layouts of Excel (.xlsx) exports. They are profiles like the CSV ones: the sheet is read into
/// the same engine, so a CSV saved from the same sheet is claimed by them too.
extension BuiltinProfiles {
    static let spreadsheetProfiles: [StatementProfile] = [santanderESCuentaOnline, dnbMastercard, bankDebitCreditLabels, adyenSettlementDetails]

    public static let santanderESCuentaOnline = StatementProfile(
        name: "santander-es-xlsx", title: "Santander España \"Cuenta Online\" movements (Excel export; header below a preamble)",
        institution: "Santander",
        columns: [
            ColumnSpec(.date, ["Fecha operación", "Fecha operacion", "F. operación"], required: true),
            ColumnSpec(.completedDate, ["Fecha valor", "F. valor"]),
            ColumnSpec(.description, ["Concepto"], required: true),
            ColumnSpec(.amount, ["Importe"], required: true),
            ColumnSpec(.balance, ["Saldo"], required: true),
            ColumnSpec(.currency, ["Divisa"], required: true),
        ],
        amountModel: .amountIncludingFee, dateOrder: .dmy,
        classRules: [
            ClassRule(.description, .prefix, ["Transferencia a", "Traspaso a"], .payout, sign: "negative"),
            ClassRule(.description, .contains, ["comision", "comisión"], .fee, sign: "negative"),
        ],
        uniqueIDs: false, incomeFromCounterparty: false,
        evidence: "samples/statements/xlsx/santander-es-xlsx-cuenta-online-preamble.xlsx (GPL-3.0, layout only): 6 preamble rows, header on row 7, date cells")

    public static let dnbMastercard = StatementProfile(
        name: "dnb-mastercard", title: "DNB (Norway) Mastercard transaction list (Excel; Inn/Ut columns, NOK)",
        institution: "DNB Mastercard",
        columns: [
            ColumnSpec(.date, ["Dato"], required: true),
            ColumnSpec(.description, ["Beløpet gjelder"], required: true),
            ColumnSpec(.note, ["Valuta"]),
            ColumnSpec(.credit, ["Inn"], required: true),
            ColumnSpec(.debit, ["Ut"], required: true),
        ],
        amountModel: .creditDebit, currency: "NOK",
        classRules: [
            // The amount carried over from the previous invoice repeats last month's purchases.
            ClassRule(.description, .prefix, ["Skyldig beløp fra forrige faktura", "Saldo fra forrige faktura"], .skip),
            ClassRule(.description, .prefix, ["Innbetaling"], .deposit),
            ClassRule(.description, .prefix, ["Refund", "Retur", "Tilbakebetaling"], .refund),
        ],
        uniqueIDs: false, incomeFromCounterparty: true,
        evidence: "samples/statements/xlsx/dnb-no-mastercard-xlsx-fx-inn-ut.xlsx (MIT, staticaland/beancount-no-dnb): sheet transaksjonsliste",
        card: true)

    public static let bankDebitCreditLabels = StatementProfile(
        name: "bank-debit-credit-labels", title: "Bank statement with Date, Operation Number, Label, Debit, Credit, Detail (Excel; text amounts with decimal comma)",
        institution: "Bank",
        columns: [
            ColumnSpec(.date, ["Date"], required: true),
            ColumnSpec(.id, ["Operation Number"], required: true),
            ColumnSpec(.description, ["Label"], required: true),
            ColumnSpec(.debit, ["Debit"], required: true),
            ColumnSpec(.credit, ["Credit"], required: true),
            ColumnSpec(.note, ["Detail"]),
        ],
        amountModel: .creditDebit, dateOrder: .dmy, currency: "EUR",
        uniqueIDs: true, incomeFromCounterparty: false,
        evidence: "samples/statements/xlsx/oca-xlsx-separated-debit-credit-text-decimal-comma-balances.xlsx (AGPL-3.0, layout only): metadata rows, balances above and below the table")

    public static let adyenSettlementDetails = StatementProfile(
        name: "adyen-settlement-details", title: "Adyen settlement details report (payout batch; net amounts in the net currency)",
        institution: "Adyen",
        columns: [
            ColumnSpec(.date, ["Creation Date"], required: true),
            ColumnSpec(.type, ["Type"], required: true),
            ColumnSpec(.id, ["Psp Reference"], required: true),
            ColumnSpec(.reference, ["Merchant Reference"]),
            ColumnSpec(.note, ["Modification Reference"]),
            ColumnSpec(.currency, ["Net Currency"], required: true),
            ColumnSpec(.debit, ["Net Debit (NC)"], required: true),
            ColumnSpec(.credit, ["Net Credit (NC)"], required: true),
            ColumnSpec(.payoutID, ["Batch Number"]),
            // The per-row fees, already taken from the net: booked to expenses:fees:adyen, the
            // gross (net plus fees) to income.
            ColumnSpec(.fee, ["Commission (NC)"]),
            ColumnSpec(.totalFees, ["Markup (NC)"]),
            ColumnSpec(.sourceFee, ["Scheme Fees (NC)"]),
            ColumnSpec(.targetFee, ["Interchange (NC)"]),
        ],
        amountModel: .creditDebit,
        classRules: [
            ClassRule(.type, .equals, ["MerchantPayout"], .payout),
            ClassRule(.type, .equals, ["Fee", "InvoiceDeduction", "PaymentCost"], .fee),
            ClassRule(.type, .equals, ["Refunded", "RefundedExternally"], .refund),
            ClassRule(.type, .equals, ["Chargeback", "SecondChargeback"], .chargeback),
            ClassRule(.type, .equals, ["ChargebackReversed"], .refund),
        ],
        uniqueIDs: false, incomeFromCounterparty: false,
        evidence: "samples/statements/xlsx/oca-adyen-settlement-details-payout-fees-gbp.xlsx (AGPL-3.0, layout only): header on row 4, column A empty, date-time cells")
}
