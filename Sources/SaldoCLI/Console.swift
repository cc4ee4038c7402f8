import Foundation
import SaldoApp
import SaldoReports
import SaldoCore

/// Where commands write. The real terminal by default; tests swap in a buffer with
/// `Console.$current.withValue(...)`, so every command can run in-process.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var outBuffer: String?
    private var errBuffer: String?
    public let environment: [String: String]
    /// Whether standard output is a terminal (progress and colour only then).
    public let isTerminal: Bool

    /// The process's real standard output and error.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        isTerminal = isatty(STDOUT_FILENO) == 1
    }

    /// A console that captures what commands print.
    public init(capturingWith environment: [String: String]) {
        self.environment = environment
        isTerminal = false
        outBuffer = ""
        errBuffer = ""
    }

    @TaskLocal public static var current = Console()
    /// The language of this run (`--lang`, else the environment), set by `SaldoCLI.run`.
    @TaskLocal public static var language: Language = .en
    /// The catalog of this run's language.
    public static var catalog: Catalog { .shipped(language) }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    public var useColor: Bool { RenderOptions.terminal(isTTY: isTerminal, environment: environment).color }

    public func out(_ text: String, terminator: String = "\n") {
        lock.lock(); defer { lock.unlock() }
        if outBuffer != nil { outBuffer! += text + terminator; return }
        FileHandle.standardOutput.write(Data((text + terminator).utf8))
    }

    public func err(_ text: String, terminator: String = "\n") {
        lock.lock(); defer { lock.unlock() }
        if errBuffer != nil { errBuffer! += text + terminator; return }
        FileHandle.standardError.write(Data((text + terminator).utf8))
    }

    /// Progress on a terminal's standard error, overwritten in place; nothing elsewhere.
    public func progress(_ text: String) {
        guard isTerminal, isatty(STDERR_FILENO) == 1 else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
    public func endProgress() {
        guard isTerminal, isatty(STDERR_FILENO) == 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    public var capturedOut: String { lock.lock(); defer { lock.unlock() }; return outBuffer ?? "" }
    public var capturedErr: String { lock.lock(); defer { lock.unlock() }; return errBuffer ?? "" }

    public enum Style: String { case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", cyan = "36" }
    public func styled(_ s: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(s)\u{1B}[0m" : s
    }
}

/// Help text written with line breaks for the source file, reflowed for the terminal: the lines of
/// a paragraph are joined so that the argument parser wraps them to the screen; indented lines
/// (examples) and blank lines stay as written.
func prose(_ text: String) -> String {
    var out: [String] = []
    var paragraph: [String] = []
    func flush() { if !paragraph.isEmpty { out.append(paragraph.joined(separator: " ")); paragraph = [] } }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        if line.isEmpty || line.first == " " || line.hasPrefix("- ") {
            flush()
            if line.hasPrefix("- ") { paragraph = [line] } else { out.append(line) }
        } else {
            paragraph.append(line)
        }
    }
    flush()
    return out.joined(separator: "\n")
}

extension Console: ProgressReporter {}

/// A subcommand's one-line example (`Example: saldo …`), the word from the catalog, the command as written.
func example(_ command: String) -> String { Console.catalog.text("cli.help.example", ["command": command]) }
