import ArgumentParser
public struct SaldoCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(commandName: "saldo")
}
