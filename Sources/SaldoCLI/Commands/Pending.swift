import ArgumentParser

// Commands whose capability is being wired in; each says so plainly and exits 1.

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
