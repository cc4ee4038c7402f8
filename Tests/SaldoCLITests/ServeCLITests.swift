import Foundation
import Testing
import SaldoApp
import SaldoCore
@testable import SaldoCLI
import SaldoTestSupport
import SaldoWeb

/// `saldo serve` that cannot listen says why in the user's words, not NIO's
/// ("bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)"). The server is run here
/// directly (the command itself blocks a thread until the server ends, which the test runner's
/// shared threads cannot spare), then its failure goes through the command's own wording.
@Suite struct ServeCLITests {
    /// A socket listening on a free loopback port: the port another program holds.
    static func occupiedPort() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &size) == 0 }
        }
        try #require(bound)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Runs a server on `host:port` and answers why it could not listen (nil: it could).
    static func failure(host: String, port: Int) async throws -> (any Error)? {
        let ledger = Fixtures.temporaryDirectory().appendingPathComponent("l.sqlite").path
        let server = try WebServer(options: WebOptions(host: host, port: port, ledger: LedgerLocation(path: ledger)))
        defer { server.removeUploads() }
        let task = Task { try await server.run(log: { _ in }) }
        // A server that did listen runs until cancelled: stopped after a moment.
        let timer = Task { try? await Task.sleep(nanoseconds: 3_000_000_000); task.cancel() }
        defer { timer.cancel() }
        do { try await task.value; return nil } catch { return error }
    }

    @Test func aPortInUseIsSaidInTheUsersLanguage() async throws {
        let (fd, port) = try Self.occupiedPort()
        defer { close(fd) }
        let error = try #require(try await Self.failure(host: "127.0.0.1", port: port))
        #expect((error as? WebServer.ListenFailure)?.cause == .addressInUse, "\(error)")
        let es = ServeCommand.cannotServe(error, host: "127.0.0.1", port: port, catalog: .shipped(.es))
        #expect(es.message == "no se puede servir en 127.0.0.1:\(port): otro programa ya está escuchando ahí")
        #expect(es.hint == "elige otro puerto con --port, o --port 0 para uno libre cualquiera")
        let en = ServeCommand.cannotServe(error, host: "127.0.0.1", port: port, catalog: .shipped(.en))
        #expect(en.message == "cannot serve on 127.0.0.1:\(port): another program is already listening there")
    }

    @Test func anAddressThisMachineDoesNotHaveIsSaid() async throws {
        // 192.0.2.0/24 is reserved for documentation: no machine has it.
        let error = try #require(try await Self.failure(host: "192.0.2.1", port: 0))
        #expect((error as? WebServer.ListenFailure)?.cause == .noSuchAddress, "\(error)")
        let en = ServeCommand.cannotServe(error, host: "192.0.2.1", port: 0, catalog: .shipped(.en))
        #expect(en.message == "cannot serve on 192.0.2.1:0: this machine has no such address")
        #expect(en.hint?.hasPrefix("use --host 127.0.0.1") == true)
    }

    @Test func otherFailuresKeepTheSystemsText() {
        struct Odd: Error, CustomStringConvertible { var description: String { "something odd" } }
        let r = ServeCommand.cannotServe(Odd(), host: "127.0.0.1", port: 8421, catalog: .shipped(.en))
        #expect(r.message == "cannot serve on 127.0.0.1:8421: something odd")
        #expect(r.hint == "another program may use this port; choose another with --port, or --port 0 for any free one")
    }
}
