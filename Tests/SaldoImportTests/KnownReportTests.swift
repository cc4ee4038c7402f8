import Foundation
import Testing
import SaldoCore
@testable import SaldoImport

/// Exports people take for a statement (`KnownReport`): the error says what the file is and which
/// export to import instead, in English and Spanish. Headers as in the real samples
/// (../shared/samples/statements/revolut/banana-revolut-business-expenses-2024-scrambled.csv and
/// spanish-banks/hledger-csb43-norma43-converted-by-csb2format.csv); rows written here.
@Suite struct KnownReportTests {
    static let revolutExpenses = """
    Transaction started (UTC),Transaction completed (UTC),Transaction ID,Transaction status,Transaction type,Transaction description,Payer,Card number,Expense split #,Orig currency,Orig amount (Orig currency),Payment currency,Amount (Payment currency),Fee,Account,Expense submitted (UTC),Expense completed (UTC),Expense ID,Expense status,Expense description,Receipts,Tax name,Tax rate,Tax amount (Orig currency),Expense category name,Expense category code
    2024-01-20,2024-01-21,a1,COMPLETED,CARD_PAYMENT,Coffee shop,Ana,555555******5555,1,EUR,8.50,EUR,8.50,0.00,EUR,2024-01-21,2024-02-04,e1,APPROVED,Client meeting,1,VAT,10%,0.77,Meals,6282

    """
    static let csb2format = "bank_code,branch_code,account_key,account_number,information_mode,short_name,currency,initial_date,final_date,initial_balance,final_balance,transaction_date,value_date,amount,reference\r\n"
        + "2100,0001,05,0000000001,3,ANA,EUR,2024-01-01,2024-01-31,100.00,150.00,2024-01-10,2024-01-10,50.00,ref\r\n"

    @Test func revolutBusinessExpensesSaysWhatItIsAndWhatToExport() throws {
        let r = StatementImporter.read(data: Data(Self.revolutExpenses.utf8), fileName: "expenses.csv")
        #expect(r.isFatal)
        let e = try #require(r.problems.first)
        #expect(e.code == "csv.not_statement")
        #expect(e.location?.line == 1)
        #expect(e.message.hasPrefix("this is Revolut Business's expenses report, not an account statement"))
        #expect(e.hint?.contains("export the account's statement") == true)
        let es = e.text(in: Catalog.shipped(.es))
        #expect(es.contains("este es el informe de gastos de Revolut Business, no un extracto de la cuenta"), "\(es)")
        #expect(es.contains("exporta el extracto de la cuenta"), "\(es)")
    }

    @Test func csb2formatCSVPointsToTheNorma43File() throws {
        let r = StatementImporter.read(data: Data(Self.csb2format.utf8), fileName: "csb43.csv")
        #expect(r.isFatal)
        let e = try #require(r.problems.first)
        #expect(e.message == "this is a CSV made by the csb2format tool from a Norma 43 file, not the bank's own export")
        let es = e.text(in: Catalog.shipped(.es))
        #expect(es.contains("importa el propio fichero Norma 43"), "\(es)")
    }

    /// A real Revolut Business statement is still read by its profile: the known reports are
    /// consulted only when no profile claims the file.
    @Test func aStatementIsNeverTakenForAReport() {
        let statement = """
        Date started (UTC),Date completed (UTC),ID,Type,Description,Reference,Payer,Card number,Orig currency,Orig amount,Payment currency,Amount,Fee,Balance,Account
        2024-01-20,2024-01-21,a1,CARD_PAYMENT,Coffee shop,,Ana,555555******5555,EUR,-8.50,EUR,-8.50,0.00,91.50,EUR Main

        """
        let r = StatementImporter.read(data: Data(statement.utf8), fileName: "statement.csv")
        #expect(!r.isFatal, "\(r.problems)")
        #expect(KnownReport.match([["date started (utc)", "id", "type", "amount", "balance"]]) == nil)
        // The header found in a later row is named by that row.
        #expect(KnownReport.match([["report"], ["bank_code", "branch_code", "account_key", "information_mode"]])?.row == 1)
    }
}
