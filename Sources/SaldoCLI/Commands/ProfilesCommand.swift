import ArgumentParser
import Foundation
import SaldoApp
import SaldoCore

struct ProfilesCommand: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "profiles",
        abstract: Console.catalog.text("cli.help.profiles.abstract"),
        discussion: prose(Console.catalog.text("cli.help.profiles.discussion")),
        subcommands: [List.self, Show.self, Check.self],
        defaultSubcommand: List.self
    ) }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: Console.catalog.text("cli.help.profiles.list.abstract"), discussion: example("saldo profiles list")) }
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.profiles.a_user_profile_file_or"), valueName: "path")) var profiles: String?
        func run() throws {
            let all = try Profiles.list(profilesPath: profiles, environment: Console.current.environment)
            let w = all.map(\.name.count).max() ?? 10
            for p in all { Console.current.out(pad(p.name, w) + "  " + p.title(in: Console.catalog) + (p.origin == "built-in" ? "" : Console.current.styled("  (\(p.origin))", .dim))) }
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "show", abstract: Console.catalog.text("cli.help.profiles.show.abstract"), discussion: example("saldo profiles show paypal-activity")) }
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.profiles.profile_name_see_saldo_profiles"))) var name: String
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.profiles.a_user_profile_file_or"), valueName: "path")) var profiles: String?
        func run() throws {
            Console.current.out(try Profiles.show(name, profilesPath: profiles, environment: Console.current.environment, in: Console.catalog))
        }
    }

    struct Check: ParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(commandName: "check", abstract: Console.catalog.text("cli.help.profiles.check.abstract"), discussion: example("saldo profiles check statement.csv")) }
        @Argument(help: ArgumentHelp(Console.catalog.text("cli.option.profiles.the_statement_file"))) var file: String
        @Option(help: ArgumentHelp(Console.catalog.text("cli.option.profiles.a_user_profile_file_or"), valueName: "path")) var profiles: String?
        func run() throws {
            let r = try Profiles.check(file: file, profilesPath: profiles, environment: Console.current.environment)
            let console = Console.current
            console.out(console.styled(r.matched.map { Console.catalog.text("cli.profiles.read_by", ["file": file, "profile": $0]) } ?? Console.catalog.text("cli.profiles.read_by_none", ["file": file]), r.matched == nil ? .red : .green))
            for line in r.localizedExplanation(in: Console.catalog) { console.out("  " + line) }
            if r.matched == nil { throw ExitCode(ExitStatus.userError) }
        }
    }
}
