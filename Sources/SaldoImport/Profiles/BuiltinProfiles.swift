import SaldoCore

/// The layouts Saldo knows out of the box. Each is data; the evidence for every header name and
/// convention is in `/shared/docs/statement-formats.md` (section numbers in `evidence`).
public enum BuiltinProfiles {
    public static let all: [StatementProfile] = [
        paypalActivity, paypalStatement, paypalHistoryShort,
        wiseStatement, wiseTransfers,
        stripeItemized, stripeAllTransactions,
        revolutPersonal, revolutBusiness,
        upwork, payoneer,
    ] + spreadsheetProfiles

    // MARK: PayPal

    static let paypalCommon: [ColumnSpec] = [
        ColumnSpec(.date, ["Date", "Datum", "Fecha", "Data"], required: true),
        ColumnSpec(.time, ["Time", "Uhrzeit", "Hora", "Heure", "Orario"]),
        ColumnSpec(.timeZone, ["TimeZone", "Time Zone", "Zeitzone", "Zona horaria", "Fuseau horaire", "Fuso orario"]),
        ColumnSpec(.currency, ["Currency", "Währung", "Divisa", "Devise", "Valuta"], required: true),
        ColumnSpec(.gross, ["Gross", "Brutto", "Bruto", "Avant commission", "Lordo"], required: true),
        ColumnSpec(.fee, ["Fee", "Gebühr", "Entgelt", "Tarifa", "Comisión", "Commission", "Frais", "Tariffa"]),
        ColumnSpec(.net, ["Net", "Netto", "Neto"]),
        ColumnSpec(.balance, ["Balance", "Guthaben", "Saldo", "Solde"]),
        ColumnSpec(.id, ["Transaction ID", "Transaktionscode", "Id. de transacción", "Numéro de transaction", "Codice transazione"], required: true),
        ColumnSpec(.referenceID, ["Reference Txn ID", "Zugehöriger Transaktionscode", "Id. de referencia de trans.",
                                  "Numéro de la transaction de référence", "Nº de transaction de référence", "Codice transazione di riferimento"]),
        ColumnSpec(.note, ["Item Title", "Artikelbezeichnung", "Titre de l'objet", "Titolo oggetto", "Subject", "Betreff", "Asunto", "Objet", "Oggetto"]),
        ColumnSpec(.balanceImpact, ["Balance Impact", "Auswirkung auf Guthaben", "Impatto sul saldo", "Impact sur le solde", "Impacto en el saldo"]),
        ColumnSpec(.bankName, ["Bank Name", "Name der Bank", "Nombre del banco"]),
    ]

    static let paypalRules: [ClassRule] = [
        ClassRule(.balanceImpact, .equals, ["Memo", "Mémo", "Promemoria", "Nota"], .memo),
        ClassRule(.type, .contains, ["currency conversion", "conversion de devise", "währungsumrechnung", "conversión de divisas", "conversione di valuta"], .conversion),
        ClassRule(.type, .contains, ["hold", "einbehaltung", "retención", "blocage", "trattenuta", "payment release"], .hold),
        ClassRule(.type, .contains, ["authorization", "autorisierung", "autorización", "autorisation", "autorizzazione"], .authorization),
        ClassRule(.type, .equals, ["Order", "Bestellung", "Pedido", "Commande", "Ordine"], .authorization),
        ClassRule(.type, .prefix, ["bank deposit to pp account", "bankgutschrift auf paypal-konto", "virement bancaire sur le compte paypal"], .fundingDeposit),
        ClassRule(.type, .contains, ["gutschrift auf kreditkarte", "credit to credit card", "crédit sur la carte"], .cardFunded),
        ClassRule(.type, .contains, ["withdrawal", "abbuchung", "retirada", "retrait", "prelievo", "transfer to bank"], .payout),
        ClassRule(.type, .contains, ["add funds", "funds added", "überweisung als zahlungsquelle", "approvisionnement", "charge from debit card", "débit sur carte", "transferencia bancaria a cuenta paypal", "bank transfer to paypal", "deposit", "ricarica", "transfer from bank"], .deposit),
        ClassRule(.type, .contains, ["chargeback", "rückbuchung", "contracargo", "rétrofacturation", "payment reversal"], .chargeback),
        ClassRule(.type, .contains, ["refund", "rückzahlung", "erstattung", "reembolso", "remboursement", "rimborso"], .refund),
        ClassRule(.type, .contains, [" fee", "gebühr"], .fee),
    ]

    static let paypalCompleted = ["Completed", "Abgeschlossen", "Completado", "Terminé", "Completato", "Cleared",
                                  "Refunded", "Partially Refunded", "Erstattet", "Teilweise erstattet", "Reembolsado", "Remboursé", "Rimborsato",
                                  "Reversed", "Storniert", "Revertido", "Annulé", "Stornato"]

    public static let paypalActivity = StatementProfile(
        name: "paypal-activity", title: "PayPal activity download (EN, DE, ES, FR, IT; also the legacy history download)",
        institution: "PayPal",
        columns: paypalCommon + [
            ColumnSpec(.name, ["Name", "Nom", "Nome", "Nombre"]),
            ColumnSpec(.type, ["Type", "Typ", "Tipo"], required: true),
            ColumnSpec(.status, ["Status", "Estado", "État", "Stato"], required: true),
        ],
        amountModel: .grossFeeNet, feeSign: .negative,
        completedStatuses: paypalCompleted, classRules: paypalRules,
        evidence: "statement-formats.md §1.2 (headers in five languages), §1.5 (net = gross + fee), §1.6 (conversions, holds, memos)")

    public static let paypalStatement = StatementProfile(
        name: "paypal-statement", title: "PayPal statement CSV (monthly/custom statement; EN, DE, ES)",
        institution: "PayPal",
        columns: paypalCommon + [
            ColumnSpec(.description, ["Description", "Beschreibung", "Descripción", "Descrizione"], required: true),
            ColumnSpec(.name, ["Name", "Nom", "Nome", "Nombre"]),
        ],
        forbiddenHeaders: ["Type", "Typ", "Tipo", "Status", "Estado", "État", "Stato"],
        amountModel: .grossFeeNet, feeSign: .negative,
        classRules: paypalRules.map { var r = $0; if r.field == .type { r.field = .description }; return r } + [
            ClassRule(.description, .contains, ["retirada iniciada", "user initiated withdrawal"], .payout),
        ],
        evidence: "statement-formats.md §1.1 (Statement product: no Type/Status), §1.2 (EN, ES with trailing spaces, DE headers)")

    public static let paypalHistoryShort = StatementProfile(
        name: "paypal-history-short", title: "PayPal legacy short history (single Amount, no currency column: USD)",
        institution: "PayPal",
        columns: [
            ColumnSpec(.date, ["Date"], required: true),
            ColumnSpec(.time, ["Time"]),
            ColumnSpec(.timeZone, ["Time Zone"]),
            ColumnSpec(.name, ["Name"]),
            ColumnSpec(.type, ["Type"], required: true),
            ColumnSpec(.status, ["Status"], required: true),
            ColumnSpec(.gross, ["Amount"], required: true),
            ColumnSpec(.id, ["Receipt ID"]),
            ColumnSpec(.balance, ["Balance"]),
        ],
        forbiddenHeaders: ["Gross", "Currency"],
        amountModel: .grossFeeNet, feeSign: .negative, currency: "USD",
        completedStatuses: paypalCompleted, classRules: paypalRules, uniqueIDs: false,
        evidence: "statement-formats.md §1.2 (legacy short layout; ledger-autosync assumes $)")

    // MARK: Wise

    public static let wiseStatement = StatementProfile(
        name: "wise-statement", title: "Wise balance statement (one currency; 11- to 22-column layouts incl. 19 and 20 columns)",
        institution: "Wise",
        columns: [
            ColumnSpec(.id, ["TransferWise ID", "Wise ID"], required: true),
            ColumnSpec(.date, ["Date"], required: true),
            ColumnSpec(.time, ["Date Time"]),
            ColumnSpec(.amount, ["Amount"], required: true),
            ColumnSpec(.currency, ["Currency"], required: true),
            ColumnSpec(.description, ["Description"], required: true),
            ColumnSpec(.reference, ["Payment Reference"]),
            ColumnSpec(.balance, ["Running Balance"], required: true),
            ColumnSpec(.exchangeFrom, ["Exchange From"]),
            ColumnSpec(.exchangeTo, ["Exchange To"]),
            ColumnSpec(.exchangeRate, ["Exchange Rate"]),
            ColumnSpec(.name, ["Payer Name"]),
            ColumnSpec(.targetName, ["Payee Name"]),
            ColumnSpec(.note, ["Merchant"]),
            ColumnSpec(.totalFees, ["Total fees"]),
            ColumnSpec(.exchangeToAmount, ["Exchange To Amount"]),
            ColumnSpec(.category, ["Transaction Details Type"]),
        ],
        amountModel: .amountIncludingFee, decimalMark: ".", dateOrder: .dmy,
        classRules: [
            ClassRule(.category, .equals, ["CONVERSION"], .conversion),
            ClassRule(.id, .prefix, ["BALANCE-"], .conversion),
            ClassRule(.description, .prefix, ["Converted ", "Exchanged "], .conversion),
            ClassRule(.id, .prefix, ["FEE-"], .fee),
            ClassRule(.description, .contains, ["charges for:", "fee for "], .fee),
            ClassRule(.id, .prefix, ["CARD-"], .refund, sign: "positive"),
            ClassRule(.description, .prefix, ["Topped up", "Top up", "Added money"], .deposit),
        ],
        uniqueIDs: false,
        evidence: "statement-formats.md §3.1 (header evolution, DD-MM-YYYY, fees inline or as rows reusing the id, conversions per currency file)")

    public static let wiseTransfers = StatementProfile(
        name: "wise-transfers", title: "Wise transfer history (all currencies; EN and DE headers)",
        institution: "Wise",
        columns: [
            ColumnSpec(.id, ["ID"], required: true),
            ColumnSpec(.status, ["Status"], required: true),
            ColumnSpec(.direction, ["Direction", "Richtung"], required: true),
            ColumnSpec(.date, ["Created on", "Erstellt am"], required: true),
            ColumnSpec(.completedDate, ["Finished on", "Abgeschlossen am"]),
            ColumnSpec(.sourceFee, ["Source fee amount", "Betrag der Ausgangsgebühr"]),
            ColumnSpec(.sourceFeeCurrency, ["Source fee currency", "Währung der Ausgangsgebühr"]),
            ColumnSpec(.targetFee, ["Target fee amount", "Betrag der Zielgebühr"]),
            ColumnSpec(.targetFeeCurrency, ["Target fee currency", "Währung der Zielgebühr"]),
            ColumnSpec(.sourceName, ["Source name", "Quellenname"]),
            ColumnSpec(.sourceAmount, ["Source amount (after fees)", "Ausgangsbetrag (nach Gebühren)"], required: true),
            ColumnSpec(.sourceCurrency, ["Source currency", "Ausgangswährung"], required: true),
            ColumnSpec(.targetName, ["Target name", "Name des Empfängers"]),
            ColumnSpec(.targetAmount, ["Target amount (after fees)", "Zielbetrag (nach Gebühren)"], required: true),
            ColumnSpec(.targetCurrency, ["Target currency", "Zielwährung"], required: true),
            ColumnSpec(.exchangeRate, ["Exchange rate", "Wechselkurs"]),
            ColumnSpec(.reference, ["Reference", "Referenz"]),
        ],
        amountModel: .transferDirection, decimalMark: ".", dateOrder: .ymd,
        completedStatuses: ["COMPLETED"],
        evidence: "statement-formats.md §3.2 (positive amounts, sign from Direction, NEUTRAL = own balances, only COMPLETED)")

    // MARK: Stripe

    static let stripeRules: [ClassRule] = [
        ClassRule(.type, .equals, ["charge", "payment"], .earning),
        ClassRule(.type, .equals, ["refund", "payment_refund", "refund_failure", "payment_failure_refund"], .refund),
        ClassRule(.type, .equals, ["dispute", "dispute_reversal", "adjustment_dispute"], .chargeback),
        ClassRule(.type, .equals, ["fee", "stripe_fee", "network_cost", "tax", "application_fee", "contribution"], .fee),
        ClassRule(.type, .equals, ["payout", "payout_reversal", "payout_failure", "payout_cancel"], .payout),
        ClassRule(.type, .equals, ["risk_reserved_funds", "reserved_funds", "connect_reserved_funds", "reserve_transaction"], .transfer),
        ClassRule(.type, .equals, ["topup", "topup_reversal"], .deposit),
        ClassRule(.type, .equals, ["adjustment", "other_adjustment"], .adjustment),
    ]

    public static let stripeItemized = StatementProfile(
        name: "stripe-itemized", title: "Stripe balance change from activity / payout reconciliation (itemized report)",
        institution: "Stripe",
        columns: [
            ColumnSpec(.id, ["balance_transaction_id"], required: true),
            ColumnSpec(.date, ["created_utc", "created"], required: true),
            ColumnSpec(.currency, ["currency"], required: true),
            ColumnSpec(.gross, ["gross"], required: true),
            ColumnSpec(.fee, ["fee"], required: true),
            ColumnSpec(.net, ["net"], required: true),
            ColumnSpec(.type, ["reporting_category"], required: true),
            ColumnSpec(.description, ["description"]),
            ColumnSpec(.payoutID, ["automatic_payout_id"]),
            ColumnSpec(.name, ["customer_name"]),
        ],
        amountModel: .grossFeeNet, feeSign: .positive, dateOrder: .ymd,
        classRules: stripeRules, incomeFromCounterparty: false,
        evidence: "statement-formats.md §5.2 and §5.3 (fee positive, net = gross - fee, txn_ ids)")

    public static let stripeAllTransactions = StatementProfile(
        name: "stripe-balance", title: "Stripe dashboard balance \"All transactions\" export",
        institution: "Stripe",
        columns: [
            ColumnSpec(.id, ["id"], required: true),
            ColumnSpec(.type, ["Type"], required: true),
            ColumnSpec(.reference, ["Source"]),
            ColumnSpec(.gross, ["Amount"], required: true),
            ColumnSpec(.fee, ["Fee"], required: true),
            ColumnSpec(.net, ["Net"], required: true),
            ColumnSpec(.currency, ["Currency"], required: true),
            ColumnSpec(.date, ["Created (UTC)", "Created"], required: true),
            ColumnSpec(.description, ["Description"]),
            ColumnSpec(.payoutID, ["Transfer"]),
        ],
        forbiddenHeaders: ["balance_transaction_id"],
        amountModel: .grossFeeNet, feeSign: .positive, dateOrder: .ymd,
        classRules: stripeRules, incomeFromCounterparty: false,
        evidence: "statement-formats.md §5.1 (decimal comma possible, lowercase currency, fee positive)")

    // MARK: Revolut

    static let revolutRules: [ClassRule] = [
        ClassRule(.type, .equals, ["EXCHANGE", "Umtausch", "Cambio", "Exchange"], .conversion),
        ClassRule(.type, .equals, ["TOPUP", "Aufladen", "Ricarica", "Top-Up"], .deposit),
        ClassRule(.type, .equals, ["CARD_REFUND", "REFUND", "Rimborso su carta", "Kartenerstattung", "Rückerstattung", "Rimborso"], .refund),
        ClassRule(.type, .equals, ["FEE", "Gebühr", "Commissione", "Costo"], .fee),
        ClassRule(.type, .equals, ["CARD_PAYMENT", "Kartenbezahlung", "Pagamento con carta", "ATM", "Geldautomat"], .expense),
    ]

    public static let revolutPersonal = StatementProfile(
        name: "revolut-personal", title: "Revolut personal account statement (EN, DE, IT)",
        institution: "Revolut",
        columns: [
            ColumnSpec(.type, ["Type", "Art", "Tipo"], required: true),
            ColumnSpec(.product, ["Product", "Produkt", "Prodotto"], required: true),
            ColumnSpec(.date, ["Started Date", "Datum des Beginns", "Data di inizio"], required: true),
            ColumnSpec(.completedDate, ["Completed Date", "Datum des Abschlusses", "Data di completamento"]),
            ColumnSpec(.description, ["Description", "Beschreibung", "Descrizione"], required: true),
            ColumnSpec(.amount, ["Amount", "Betrag", "Importo"], required: true),
            ColumnSpec(.fee, ["Fee", "Gebühr", "Costo"], required: true),
            ColumnSpec(.currency, ["Currency", "Währung", "Valuta"], required: true),
            ColumnSpec(.status, ["State", "Status", "Stato"], required: true),
            ColumnSpec(.balance, ["Balance", "Kontostand", "Saldo"]),
        ],
        amountModel: .amountPlusFee, feeSign: .positive, decimalMark: ".", dateOrder: .ymd,
        completedStatuses: ["COMPLETED", "ABGESCHLOSSEN", "COMPLETATO", "COMPLETADO", "TERMINÉ"],
        classRules: revolutRules, uniqueIDs: false,
        evidence: "statement-formats.md §6 (personal: fee positive on top, no id, State not translated in IT)")

    public static let revolutBusiness = StatementProfile(
        name: "revolut-business", title: "Revolut Business account statement (2021-2025 layouts)",
        institution: "Revolut",
        columns: [
            ColumnSpec(.date, ["Date started (UTC)"], required: true),
            ColumnSpec(.completedDate, ["Date completed (UTC)"]),
            ColumnSpec(.id, ["ID"], required: true),
            ColumnSpec(.type, ["Type"], required: true),
            ColumnSpec(.status, ["State"]),
            ColumnSpec(.description, ["Description"]),
            ColumnSpec(.reference, ["Reference"]),
            ColumnSpec(.name, ["Payer"]),
            ColumnSpec(.targetCurrency, ["Orig currency"]),
            ColumnSpec(.targetAmount, ["Orig amount"]),
            ColumnSpec(.currency, ["Payment currency"], required: true),
            ColumnSpec(.amount, ["Amount"], required: true),
            ColumnSpec(.fee, ["Fee"], required: true),
            ColumnSpec(.feeCurrency, ["Fee currency"]),
            ColumnSpec(.exchangeRate, ["Exchange rate"]),
            ColumnSpec(.balance, ["Balance"], required: true),
            ColumnSpec(.account, ["Account"]),
            ColumnSpec(.referenceID, ["Related transaction id"]),
        ],
        forbiddenHeaders: ["Expense ID", "Expense status"],
        amountModel: .amountPlusFee, feeSign: .negative, decimalMark: ".",
        completedStatuses: ["COMPLETED"],
        classRules: revolutRules,
        evidence: "statement-formats.md §6 (business: fee negative, balance = prev + amount + fee; duplicated Description header; DD/MM/YYYY in 2025)")

    // MARK: Upwork

    public static let upwork = StatementProfile(
        name: "upwork", title: "Upwork transaction history (classic, 2023 and 2025 layouts)",
        institution: "Upwork",
        columns: [
            ColumnSpec(.date, ["Date"], required: true),
            ColumnSpec(.id, ["Ref ID"], required: true),
            ColumnSpec(.referenceID, ["Transaction ID"]),
            ColumnSpec(.type, ["Type", "Transaction Type"], required: true),
            ColumnSpec(.description, ["Description", "Transaction Summary", "Description 1"]),
            ColumnSpec(.note, ["Transaction Summary Details", "Entered description"]),
            ColumnSpec(.name, ["Team", "Client team"]),
            ColumnSpec(.gross, ["Amount", "Amount $"], required: true),
            ColumnSpec(.balance, ["Balance", "Current Balance $"]),
        ],
        amountModel: .grossFeeNet, decimalMark: ".", currency: "USD",
        classRules: [
            ClassRule(.type, .equals, ["Hourly", "Fixed Price", "Fixed-price", "Bonus", "Milestone", "Payment Received"], .earning),
            ClassRule(.type, .equals, ["Service Fee", "Withdrawal Fee", "Connects", "Subscription", "Membership Fee", "VAT", "GST", "Fee"], .fee),
            ClassRule(.type, .equals, ["Withdrawal"], .payout),
            ClassRule(.type, .equals, ["Refund"], .refund),
            ClassRule(.type, .equals, ["Journal"], .skip),
        ],
        incomeFromCounterparty: false, emptyBalanceMeansPending: true,
        evidence: "statement-formats.md §2 (layouts A-D; service fee rows; pending rows with empty balance; newest first). No real file seen: UNVERIFIED")

    // MARK: Payoneer

    public static let payoneer = StatementProfile(
        name: "payoneer", title: "Payoneer account activity (layout P1; UNVERIFIED header names)",
        institution: "Payoneer",
        columns: [
            ColumnSpec(.currency, ["Currency"], required: true),
            ColumnSpec(.date, ["Date", "Transaction Date"], required: true),
            ColumnSpec(.time, ["Time"]),
            ColumnSpec(.timeZone, ["Time zone", "Timezone"]),
            ColumnSpec(.credit, ["Credit", "Credit Amount"], required: true),
            ColumnSpec(.debit, ["Debit", "Debit Amount"], required: true),
            ColumnSpec(.status, ["Status"], required: true),
            ColumnSpec(.balance, ["Running balance", "Running Balance"]),
            ColumnSpec(.description, ["Description"], required: true),
            ColumnSpec(.id, ["Transaction ID"]),
        ],
        amountModel: .creditDebit, dateOrder: .mdy,
        completedStatuses: ["Completed"],
        classRules: [
            ClassRule(.description, .prefix, ["Payment from", "Received from"], .earning),
            ClassRule(.description, .prefix, ["Withdrawal to", "Transfer to"], .payout),
            ClassRule(.description, .contains, ["fee"], .fee),
            ClassRule(.description, .prefix, ["Card charge"], .expense),
            ClassRule(.description, .prefix, ["Refund"], .refund),
        ],
        uniqueIDs: true,
        evidence: "statement-formats.md §4 (layout P1 from a PHP importer: MM-DD-YYYY, debit written negative, only Completed). UNVERIFIED")
}
