import ArgumentParser

// Commands whose capability is being wired in; each says so plainly and exits 1.

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "profiles", abstract: "List statement profiles and check which one reads a file.",
        discussion: "Example: saldo profiles check statement.csv")
    func run() throws { throw NotAvailable(what: "saldo profiles") }
}
