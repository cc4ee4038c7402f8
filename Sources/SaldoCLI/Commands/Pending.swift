import ArgumentParser

// Commands whose capability is being wired in; each says so plainly and exits 1.

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import statements (CSV, Norma 43) and e-invoices (XML) into the ledger.",
        discussion: "Example: saldo import ~/Downloads/paypal.csv")
    @Argument var files: [String] = []
    func run() throws { throw NotAvailable(what: "saldo import") }
}
struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rates", abstract: "Import and show exchange rates (ECB reference rates).",
        discussion: "Example: saldo rates import eurofxref-hist.csv")
    func run() throws { throw NotAvailable(what: "saldo rates") }
}
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Monthly, currency and balance reports.",
        discussion: "Example: saldo report monthly --period 2026")
    func run() throws { throw NotAvailable(what: "saldo report") }
}
struct InvoicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "invoices", abstract: "List invoices and summarise what is paid, outstanding and overdue.",
        discussion: "Example: saldo invoices summary")
    func run() throws { throw NotAvailable(what: "saldo invoices") }
}
struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forecast", abstract: "Next quarter's income as P10/P50/P90.",
        discussion: "Example: saldo forecast --floor 1500")
    func run() throws { throw NotAvailable(what: "saldo forecast") }
}
struct TaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tax", abstract: "Quarterly tax estimates, deadlines and a monthly set-aside.",
        discussion: "Example: saldo tax summary --jurisdiction es --year 2026 --quarter 3")
    func run() throws { throw NotAvailable(what: "saldo tax") }
}
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "List statement profiles and check which one reads a file.",
        discussion: "Example: saldo profiles check statement.csv")
    func run() throws { throw NotAvailable(what: "saldo profiles") }
}
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Run Saldo end to end on bundled sample data, in a temporary ledger.",
        discussion: "Example: saldo demo")
    func run() throws { throw NotAvailable(what: "saldo demo") }
}
