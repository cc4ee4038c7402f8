import ArgumentParser
import Foundation
import SaldoCore
import SaldoApp

extension Setting: ExpressibleByArgument {}

struct ConfigCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "config",
        abstract: Console.catalog.text("cli.help.config.abstract"),
        discussion: prose(Console.catalog.text("cli.help.config.discussion", ["keys": Setting.allCases.map(\.rawValue).joined(separator: ", ")])),
        subcommands: [Set_.self, Get.self, List.self, Unset.self]
    ) }

    struct Set_: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "set", abstract: Console.catalog.text("cli.help.config.set.abstract"), discussion: example("saldo config set base-currency EUR")) }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.config.the_key"))) var key: Setting
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.config.the_value"))) var value: String
        func run() throws {
            let v = try Settings.set(key, value, in: ledger.open(.create))
            Console.current.out("\(key.rawValue) = \(v)")
        }
    }
    struct Get: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "get", abstract: Console.catalog.text("cli.help.config.get.abstract"), discussion: example("saldo config get base-currency")) }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.config.the_key"))) var key: Setting
        func run() throws {
            guard let v = try Settings.get(key, in: ledger.open(.existing)) else {
                throw UserError(LocalizedText("error.not_set", ["key": key.rawValue]).english,
                                hint: LocalizedText("error.saldo_config_set_value", ["key": key.rawValue, "help": Console.catalog.text("setting.help.\(key.rawValue)")]).text(in: Console.catalog))
            }
            Console.current.out(v)
        }
    }
    struct Unset: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "unset", abstract: Console.catalog.text("cli.help.config.unset.abstract"), discussion: example("saldo config unset region")) }
        @OptionGroup var ledger: LedgerOption
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.config.the_key"))) var key: Setting
        func run() throws { try Settings.unset(key, in: ledger.open(.existing)) }
    }
    struct List: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: Console.catalog.text("cli.help.config.list.abstract"), discussion: example("saldo config list")) }
        @OptionGroup var ledger: LedgerOption
        func run() throws {
            let L = Console.catalog
            for (k, v) in try Settings.list(in: ledger.open(.existing)) {
                // A value of several lines (the tax profile's JSON) would break the list: it is
                // named, and `config get` shows it whole.
                let shown = v.map { $0.contains("\n") ? L.text("cli.config.stored_document", ["key": k.rawValue]) : $0 } ?? L.text("cli.config.not_set")
                Console.current.out(pad(k.rawValue, 16) + "  " + pad(shown, max(12, L.text("cli.config.not_set").count)) + "  " + Console.current.styled(L.text("setting.help.\(k.rawValue)"), .dim))
            }
        }
    }
}
