import ArgumentParser
import Dispatch
import Foundation
import SaldoApp
import SaldoCore
import SaldoStore
import SaldoWeb

/// `saldo serve`: parses its options and hands them to the web app (SaldoWeb).
struct ServeCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "serve",
        abstract: Console.catalog.text("cli.help.serve.abstract"),
        discussion: prose(Console.catalog.text("cli.help.serve.discussion"))
    ) }

    @OptionGroup var ledger: ReadLedgerOption
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.address_to_listen_on_anything"), valueName: "address"))
    var host: String = "127.0.0.1"
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.port_to_listen_on_0"), valueName: "port")) var port: Int = 8421
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.access_token_for_a_non"), valueName: "token")) var token: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.largest_upload_in_mb"), valueName: "MB")) var maxUpload: Int = 200
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.seconds_a_change_waits_for"), valueName: "seconds")) var lockTimeout: Double = 30
    @Flag(help: ArgumentHelp(Console.catalog.text("cli.option.serve.serve_the_demo_ledger_built"))) var demo = false
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.the_day_the_app_computes"), valueName: "date")) var today: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.database"), valueName: "postgres://…")) var database: String?
    @Option(help: ArgumentHelp(Console.catalog.text("cli.option.serve.login_failures_per_address"), valueName: "count")) var loginFailuresPerAddress: Int = 5

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError(Console.catalog.text("cli.serve.bad_port")) }
        guard maxUpload > 0 else { throw ValidationError(Console.catalog.text("cli.serve.bad_max_upload")) }
        guard loginFailuresPerAddress > 0 else { throw ValidationError(Console.catalog.text("cli.serve.bad_login_failures")) }
    }

    func run() throws {
        let console = Console.current
        var location = ledger.location
        var clock = Clock.system
        if let day = try parseDay(today, "--today") { clock = .fixed(day) }
        var demoFolder: URL?
        if demo {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("saldo-serve-demo-\(UUID().uuidString.prefix(8))")
            do { try PrivateFiles.createFolder(dir.path) } catch { throw UserError(Console.catalog.text("cli.serve.cannot_create", ["reason": "\(error)"])) }
            let path = dir.appendingPathComponent("ledger.sqlite").path
            console.err(Console.catalog.text("cli.serve.building_demo"))
            _ = try Demo.buildLedger(at: path, environment: console.environment) { _ in }
            location = LedgerLocation(path: path)
            if today == nil { clock = .fixed(Demo.today) }
            demoFolder = dir
        }
        defer { if let demoFolder { try? FileManager.default.removeItem(at: demoFolder) } }
        var options = WebOptions(host: host, port: port, ledger: location, accessToken: token,
                                 maxUploadBytes: maxUpload * 1024 * 1024, environment: console.environment,
                                 clock: clock, lockTimeout: lockTimeout)
        options.database = database
        options.officePolicy.addressFailureLimit = loginFailuresPerAddress
        let server = try WebServer(options: options)
        if !options.isLoopback && database == nil {
            console.err(console.styled(Console.catalog.text("render.note_prefix"), .yellow) + Console.catalog.text("cli.serve.public_note", ["host": host]))
        }
        let ledgerPath = database.map { Office.displayed($0) } ?? location.displayed, isDemo = demo, catalog = Console.catalog, office = database != nil
        // A workspace of a database is there when the database holds it, not when a file of that name exists.
        let ledgerExists = office || location.exists()
        let done = DispatchSemaphore(value: 0)
        let failure = ErrorBox()
        Task {
            do {
                try await server.run(onReady: { address in
                    console.out(catalog.text("cli.serve.running", ["address": address]))
                    console.out(catalog.text(office ? "cli.serve.office" : isDemo ? "cli.serve.ledger_demo" : "cli.serve.ledger", ["path": ledgerPath]))
                    if !ledgerExists {
                        console.out(catalog.text("cli.serve.no_ledger_yet"))
                    }
                    console.out(catalog.text("cli.serve.stop"))
                })
            } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        server.removeUploads()
        if let error = failure.get() { throw Self.cannotServe(error, host: host, port: port, catalog: Console.catalog) }
    }
}

extension ServeCommand {
    /// What `serve` says when the server could not listen: the cause in the user's words
    /// (``WebServer/ListenFailure``), else the system's text.
    static func cannotServe(_ error: any Error, host: String, port: Int, catalog: Catalog) -> UserError {
        var reason = "\(error)", hint = catalog.text("cli.serve.cannot_serve_hint")
        if let listen = error as? WebServer.ListenFailure {
            switch listen.cause {
            case .addressInUse:
                reason = catalog.text("cli.serve.reason.in_use")
                hint = catalog.text("cli.serve.reason.in_use_hint")
            case .notPermitted:
                reason = catalog.text("cli.serve.reason.not_permitted")
                hint = catalog.text("cli.serve.reason.not_permitted_hint")
            case .noSuchAddress:
                reason = catalog.text("cli.serve.reason.no_such_address")
                hint = catalog.text("cli.serve.reason.no_such_address_hint")
            case .other: break
            }
        }
        return UserError(catalog.text("cli.serve.cannot_serve", ["host": host, "port": String(port), "reason": reason]), hint: hint)
    }
}

/// Carries an error out of the server's task.
final class ErrorBox: @unchecked Sendable {
    private var error: (any Error)?
    private let lock = NSLock()
    func set(_ e: any Error) { lock.lock(); error = e; lock.unlock() }
    func get() -> (any Error)? { lock.lock(); defer { lock.unlock() }; return error }
}
