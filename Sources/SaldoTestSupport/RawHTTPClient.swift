import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately raw HTTP/1.1 client for tests of a server on 127.0.0.1: it sends exactly the
/// request line and headers given (a foreign `Host`, a missing `Origin`, a path with `../`), which
/// URLSession would normalise or refuse.
public struct RawHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    public var text: String { String(decoding: body, as: UTF8.self) }
    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    public func headers(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }
}

public enum RawHTTPClient {
    public enum Failure: Error { case connect(Int32), send, malformed(String), timedOut(seconds: Int, received: Int) }

    /// How long one answer may take. Generous on purpose: in a full `swift test` on two cores,
    /// hundreds of synchronous tests share the process's one thread pool with the test servers, and a
    /// request was measured waiting 55 s behind them (a probe with 80 CPU-bound tests of 1.5 s), which
    /// made a 60-second limit fail now and then although the server answered. The wait is in the Swift
    /// executor's queue, where the server's handler tasks run: neither a higher task priority nor giving
    /// the server's ledger reads their own threads shortened it. The limit only has to
    /// end a test whose server truly never answers.
    public static let answerTimeout = 300

    /// Sends one request and reads the whole answer (the request asks the server to close).
    public static func send(port: Int, method: String = "GET", path: String, headers: [(String, String)] = [],
                            body: Data = Data(), host: String? = nil) throws -> RawHTTPResponse {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.connect(errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: answerTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure.connect(errno) }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if !headers.contains(where: { $0.0.lowercased() == "host" }) { head += "Host: \(host ?? "127.0.0.1:\(port)")\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        // A body sent chunked (already encoded by the caller) has no length.
        let chunked = headers.contains { $0.0.lowercased() == "transfer-encoding" }
        if !chunked && (!body.isEmpty || ["POST", "PUT", "PATCH"].contains(method)) { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        var request = Data(head.utf8)
        request.append(body)
        var sent = 0
        try request.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { if sent > 0 { return }; throw Failure.send }
                sent += n
            }
        }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure.timedOut(seconds: answerTimeout, received: answer.count) }
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        return try parse(answer)
    }

    static func parse(_ data: Data) throws -> RawHTTPResponse {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { throw Failure.malformed(String(decoding: data.prefix(200), as: UTF8.self)) }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.malformed(head[0]) }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Data(data[end.upperBound...])
        if headers.contains(where: { $0.0.lowercased() == "transfer-encoding" && $0.1.lowercased().contains("chunked") }) {
            body = try dechunk(body)
        }
        return RawHTTPResponse(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var i = data.startIndex
        while i < data.endIndex {
            guard let lineEnd = data[i...].range(of: Data("\r\n".utf8)) else { break }
            let sizeText = String(decoding: data[i..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw Failure.malformed("chunk size") }
            if size == 0 { break }
            let start = lineEnd.upperBound
            out.append(data[start..<min(start + size, data.endIndex)])
            i = min(start + size + 2, data.endIndex)
        }
        return out
    }
}
