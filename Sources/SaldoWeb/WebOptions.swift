import Foundation
import SaldoApp
import SaldoCore

/// How `saldo serve` runs: where it listens, which ledger it serves and what it lets in.
public struct WebOptions: Sendable {
    /// The address to bind. `127.0.0.1` (the default) or `localhost` keep the app on this machine;
    /// any other address requires ``accessToken``.
    public var host: String
    /// The port; 0 lets the system choose one (the address printed says which).
    public var port: Int
    /// The ledger served as the book `main`.
    public var ledger: LedgerLocation
    /// Required on a non-loopback address: a request must carry it (`Authorization: Bearer …`, or
    /// the cookie set by opening the printed address once). Generated when not given.
    public var accessToken: String?
    /// The largest upload accepted, in bytes.
    public var maxUploadBytes: Int
    /// The process environment (profiles folder, rate source, locale).
    public var environment: [String: String]
    /// What "today" is (tests pin it).
    public var clock: Clock
    /// How long a write waits for another program's write to finish before giving up, in seconds.
    public var lockTimeout: Double
    /// The folder uploads are streamed to (private, 0700); a fresh one under the temporary folder when nil.
    public var uploadFolder: String?
    /// Keep the overview computed in the background whenever a ledger changes, so the page answers
    /// from the cache (tests that run many servers at once turn it off).
    public var computeAhead = true
    /// Office mode: the PostgreSQL database (the app role's address) whose workspaces are served,
    /// behind logins. nil: the one ledger above, no login (single-user mode).
    public var database: String?
    /// Office mode: sessions, throttling and password cost.
    public var officePolicy = OfficePolicy()

    public init(host: String = "127.0.0.1", port: Int = 8421, ledger: LedgerLocation, accessToken: String? = nil,
                maxUploadBytes: Int = 200 * 1024 * 1024, environment: [String: String] = [:],
                clock: Clock = .system, lockTimeout: Double = 30, uploadFolder: String? = nil) {
        self.host = host; self.port = port; self.ledger = ledger; self.accessToken = accessToken
        self.maxUploadBytes = maxUploadBytes; self.environment = environment; self.clock = clock
        self.lockTimeout = lockTimeout; self.uploadFolder = uploadFolder
    }

    /// Whether the address only accepts connections from this machine.
    public var isLoopback: Bool { WebOptions.isLoopback(host) }

    public static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}

/// A random token, URL-safe, 256 bits from the system's generator.
func randomToken() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
