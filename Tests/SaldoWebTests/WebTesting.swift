import Dispatch
import Foundation
import Testing
import SaldoApp
import SaldoCore
import SaldoTestSupport
@testable import SaldoWeb

/// The demo ledger, built once per test process through the application layer.
let webDemoLedger: String = {
    let path = Fixtures.temporaryDirectory().appendingPathComponent("web-demo.sqlite").path
    do { try Demo.buildLedger(at: path) } catch { Issue.record("demo ledger: \(error)") }
    return path
}()

let webDemoDay = Day(year: 2026, month: 11, day: 15)!

/// A server running on 127.0.0.1 on a free port, for one test.
struct RunningServer: Sendable {
    let server: WebServer
    var port: Int { server.port }
    var origin: String { "http://127.0.0.1:\(port)" }

    /// Sends a raw request off the concurrency pool (the client blocks on its socket).
    func send(_ method: String = "GET", _ path: String, headers: [(String, String)] = [], body: Data = Data(),
              host: String? = nil) async throws -> RawHTTPResponse {
        let port = self.port
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try RawHTTPClient.send(port: port, method: method, path: path, headers: headers, body: body, host: host))
                } catch { continuation.resume(throwing: error) }
            }
        }
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> RawHTTPResponse {
        try await send("GET", path, headers: headers)
    }

    /// A change as the app's own pages send it: same Origin and the CSRF token.
    func change(_ method: String, _ path: String, json: String? = nil, body: Data = Data(), contentType: String? = nil,
                headers: [(String, String)] = []) async throws -> RawHTTPResponse {
        var all: [(String, String)] = [("Origin", origin), ("X-CSRF-Token", server.state.csrfToken)]
        if let json { all.append(("Content-Type", "application/json")); return try await send(method, path, headers: all + headers, body: Data(json.utf8)) }
        if let contentType { all.append(("Content-Type", contentType)) }
        return try await send(method, path, headers: all + headers, body: body)
    }
}

/// Runs `body` against a server on the demo ledger (or the options given), then stops it.
func withServer<T: Sendable>(ledger: String = webDemoLedger, host: String = "127.0.0.1", token: String? = nil,
                             maxUploadBytes: Int = 200 * 1024 * 1024, computeAhead: Bool = false,
                             _ body: @Sendable (RunningServer) async throws -> T) async throws -> T {
    var options = WebOptions(host: host, port: 0, ledger: LedgerLocation(path: ledger), accessToken: token,
                             maxUploadBytes: maxUploadBytes, clock: .fixed(webDemoDay))
    // Many servers run at once in the tests: none computes ahead unless the test is about that.
    options.computeAhead = computeAhead
    return try await withServer(options: options, body)
}

/// Runs `body` against a server started with `options`, then stops it: the one start-up every
/// test server shares.
func withServer<T: Sendable>(options: WebOptions, _ body: @Sendable (RunningServer) async throws -> T) async throws -> T {
    let server = try WebServer(options: options)
    let (ready, signal) = AsyncStream<Void>.makeStream()
    let task = Task { try await server.application(onReady: { _ in signal.yield(()) }, logLevel: .critical).run() }
    for await _ in ready { break }
    defer { task.cancel() }
    let result = try await body(RunningServer(server: server))
    task.cancel()
    _ = await task.result
    return result
}
