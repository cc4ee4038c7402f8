import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore
#if canImport(Glibc)
import Glibc
#endif

/// `saldo office …`: set up an accounting office on PostgreSQL (organisation, staff, clients).
/// Parses, asks for the password (never from argv), calls `Office`, prints.
struct OfficeCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "office",
        abstract: Console.catalog.text("cli.help.office.abstract"),
        discussion: prose(Console.catalog.text("cli.help.office.discussion")),
        subcommands: [OfficeCreate.self, OfficeAddStaff.self, OfficeAddClient.self, OfficeList.self]
    ) }
}

/// The database and how the password is given.
struct OfficeDatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.database"), valueName: "postgres://…"))
    var database: String?
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.office.password_stdin")))
    var passwordStdin = false

    var url: String {
        get throws {
            if let d = database ?? Console.current.environment["SALDO_DATABASE"], !d.isEmpty { return d }
            throw UserError(Console.catalog.text("cli.office.no_database"), hint: Console.catalog.text("cli.office.no_database_hint"))
        }
    }

    /// The password: `SALDO_PASSWORD`, else one line of standard input (`--password-stdin`), else a
    /// prompt without echo on a terminal.
    func password(for who: String) throws -> String {
        let env = Console.current.environment
        if let p = env["SALDO_PASSWORD"], !p.isEmpty { return p }
        if passwordStdin {
            guard let line = readLine(strippingNewline: true) else {
                throw UserError(Console.catalog.text("cli.office.no_password"), hint: Console.catalog.text("cli.office.no_password_hint"))
            }
            return line
        }
        guard isatty(0) != 0 else {
            throw UserError(Console.catalog.text("cli.office.no_password"), hint: Console.catalog.text("cli.office.no_password_hint"))
        }
        let first = promptHidden(Console.catalog.text("cli.office.password_prompt", ["who": who]))
        let again = promptHidden(Console.catalog.text("cli.office.password_again"))
        guard first == again else { throw UserError(Console.catalog.text("cli.office.password_mismatch")) }
        return first
    }

    private func promptHidden(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var old = termios()
        tcgetattr(0, &old)
        var silent = old
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &silent)
        defer { tcsetattr(0, TCSANOW, &old); FileHandle.standardError.write(Data("\n".utf8)) }
        return readLine(strippingNewline: true) ?? ""
    }
}

struct OfficeCreate: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "create", abstract: Console.catalog.text("cli.help.office.create.abstract"),
        discussion: prose(Console.catalog.text("cli.help.office.create.discussion"))) }
    @OptionGroup var db: OfficeDatabaseOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.name"), valueName: "name")) var name: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.admin_email"), valueName: "email")) var adminEmail: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.admin_name"), valueName: "name")) var adminName: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.app_role"), valueName: "role")) var appRole: String = "saldo_app"

    func run() throws {
        let url = try db.url
        let password = try db.password(for: adminEmail)
        let created = try Office.create(database: url, name: name, adminEmail: adminEmail, adminName: adminName, password: password, appRole: appRole)
        Console.current.out(Console.catalog.text("cli.office.created", ["id": String(created.organisation.id), "name": created.organisation.name,
                                                                         "email": created.admin.email]))
    }
}

struct OfficeAddStaff: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "add-staff", abstract: Console.catalog.text("cli.help.office.add_staff.abstract"),
        discussion: prose(Console.catalog.text("cli.help.office.add_staff.discussion"))) }
    @OptionGroup var db: OfficeDatabaseOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.office"), valueName: "number")) var office: Int64
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.email"), valueName: "email")) var email: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.person_name"), valueName: "name")) var name: String?
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.office.admin"))) var admin = false

    func run() throws {
        let url = try db.url
        let password = try db.password(for: email)
        let p = try Office.addStaff(database: url, organisation: office, email: email, name: name, password: password, admin: admin)
        Console.current.out(Console.catalog.text("cli.office.staff_added", ["email": p.email, "id": String(office)]))
    }
}

struct OfficeAddClient: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "add-client", abstract: Console.catalog.text("cli.help.office.add_client.abstract"),
        discussion: prose(Console.catalog.text("cli.help.office.add_client.discussion"))) }
    @OptionGroup var db: OfficeDatabaseOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.office"), valueName: "number")) var office: Int64
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.client_name"), valueName: "name")) var name: String
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.client_email"), valueName: "email")) var email: String?

    func run() throws {
        let url = try db.url
        let login = try email.map { Office.ClientLogin(email: $0, name: name, password: try db.password(for: $0)) }
        let r = try Office.addClient(database: url, organisation: office, name: name, login: login)
        Console.current.out(Console.catalog.text("cli.office.client_added", ["workspace": String(r.workspace.id), "name": r.workspace.name]))
        if let p = r.login { Console.current.out(Console.catalog.text("cli.office.client_login", ["email": p.email])) }
    }
}

struct OfficeList: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "list", abstract: Console.catalog.text("cli.help.office.list.abstract"),
        discussion: prose(Console.catalog.text("cli.help.office.list.discussion"))) }
    @OptionGroup var db: OfficeDatabaseOptions
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.office.office"), valueName: "number")) var office: Int64

    func run() throws {
        let l = try Office.list(database: try db.url, organisation: office)
        let c = Console.current, t = Console.catalog
        c.out(t.text("cli.office.list_title", ["id": String(l.organisation.id), "name": l.organisation.name]))
        c.out(t.text("cli.office.list_workspaces", ["count": String(l.workspaces.count)]))
        for w in l.workspaces { c.out("  \(w.id)\t\(w.name)") }
        c.out(t.text("cli.office.list_people", ["count": String(l.people.count)]))
        for p in l.people {
            c.out("  \(p.email)\t\(p.displayName)\t\(t.text("cli.office.kind.\(p.kind.rawValue)"))" + (p.clientWorkspace.map { "\t\($0)" } ?? ""))
        }
    }
}
