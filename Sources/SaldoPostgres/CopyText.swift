import Foundation
import NIOCore
import PostgresNIO
import SaldoStore

/// PostgreSQL's COPY text format, written by hand: columns separated by a tab, rows ended by a
/// newline, `\N` for NULL, and a backslash, tab, newline or carriage return inside a value written
/// as `\\`, `\t`, `\n`, `\r` (PostgreSQL's "COPY … text format" rules). Every other byte is itself.
package struct CopyTextEncoder {
    package private(set) var bytes: [UInt8] = []
    private var first = true

    package init() {}

    private mutating func separate() {
        if first { first = false } else { bytes.append(UInt8(ascii: "\t")) }
    }
    package mutating func null() { separate(); bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "N")) }
    package mutating func text(_ s: String?) {
        guard let s else { null(); return }
        separate()
        var utf8 = s
        utf8.withUTF8 { appendEscaped($0) }
    }
    /// Text given as UTF-8 bytes (a span of a batch's text buffer): copied whole unless it holds a
    /// byte to escape (rare: a description with a tab or a backslash).
    package mutating func text(_ b: UnsafeBufferPointer<UInt8>) {
        separate()
        appendEscaped(b)
    }
    /// Bytes already in COPY text form (escaped once, written many times: a name, a fixed prefix).
    package mutating func raw(_ b: [UInt8]) {
        separate()
        bytes.append(contentsOf: b)
    }
    /// The COPY text form of `b` (for ``raw(_:)``).
    package static func escaped(_ s: String) -> [UInt8] {
        var e = CopyTextEncoder()
        e.text(s)
        return e.bytes
    }
    private mutating func appendEscaped(_ b: UnsafeBufferPointer<UInt8>) {
        var plain = true
        for c in b where c == UInt8(ascii: "\\") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { plain = false; break }
        if plain { bytes.append(contentsOf: b); return }
        for c in b {
            switch c {
            case UInt8(ascii: "\\"): bytes.append(c); bytes.append(c)
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(c)
            }
        }
    }
    package mutating func int(_ v: Int64?) {
        guard let v else { null(); return }
        separate()
        PostingsColumn.appendDecimal(v, to: &bytes)
    }
    package mutating func bool(_ v: Bool) { separate(); bytes.append(v ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
    /// Ends the row.
    package mutating func endRow() { bytes.append(UInt8(ascii: "\n")); first = true }
    package mutating func removeAll() { bytes.removeAll(keepingCapacity: true); first = true }
    /// Hands the bytes over and starts empty.
    package mutating func take() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.capacity)
        swap(&out, &bytes)
        first = true
        return out
    }
}

/// Runs the async-only `copyFrom` for the synchronous store: a task does the copy and the calling
/// thread waits for it. The task runs on this executor (a serial dispatch queue of its own), not on
/// Swift's cooperative pool: a caller that is itself on that pool (a test, an async front end)
/// blocks one of its few threads while it waits, and a task that needed another of them could wait
/// for ever (seen: two parallel tests, two pool threads, both waiting).
final class CopyExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = CopyExecutor()
    private let queue = DispatchQueue(label: "saldo.postgres.copy")
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

final class CopyResult: @unchecked Sendable {
    var error: (any Error)?
    let done = DispatchSemaphore(value: 0)
}

extension PGTx {
    /// `COPY table (columns) FROM STDIN` with `data` in text format. `table` and `columns` are
    /// constants of this module (PostgresNIO writes them into the statement as given).
    func copy(into table: StaticString, columns: [StaticString], data: [UInt8]) throws {
        let connection = session.connection, logger = session.logger
        let names = columns.map { $0.description }, target = table.description
        let buffer = ByteBuffer(bytes: data)
        let result = CopyResult()
        Task(executorPreference: CopyExecutor.shared) {
            do {
                try await connection.copyFrom(table: target, columns: names, logger: logger) { writer in
                    try await writer.write(buffer)
                }
            } catch {
                result.error = error
            }
            result.done.signal()
        }
        result.done.wait()
        if let e = result.error { throw e }
    }
}

/// A `COPY table (columns) FROM STDIN` left open while the calling thread hands it chunks of COPY
/// text: the chunks go out from a task (on ``CopyExecutor``) while the caller encodes the next
/// ones, so the client's encoding and the server's inserting overlap (they run on different
/// cores). At most `depth` chunks wait in between (memory stays flat; the caller waits when the
/// server is behind). Nothing else may be sent on the connection until ``finish()`` or
/// ``abort()`` returns. A server error (a constraint, say) ends the copy; the next ``send(_:)``
/// or ``finish()`` throws it.
final class CopyStream: @unchecked Sendable {
    private let continuation: AsyncStream<ByteBuffer?>.Continuation
    private let slots: DispatchSemaphore
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?
    private var ended = false
    private struct Abandoned: Error {}

    init(_ tx: PGTx, into table: StaticString, columns: [StaticString], depth: Int = 4) {
        let (stream, continuation) = AsyncStream<ByteBuffer?>.makeStream()
        self.continuation = continuation
        slots = DispatchSemaphore(value: depth)
        let connection = tx.session.connection, logger = tx.session.logger
        let names = columns.map { $0.description }, target = table.description
        Task(executorPreference: CopyExecutor.shared) {
            do {
                try await connection.copyFrom(table: target, columns: names, logger: logger) { writer in
                    for await chunk in stream {
                        guard let chunk else { throw Abandoned() }
                        try await writer.write(chunk)
                        self.slots.signal()
                    }
                }
            } catch {
                self.lock.withLock { self.failure = error }
                self.slots.signal()   // a sender waiting for room learns of it
            }
            self.done.signal()
        }
    }

    private var failed: (any Error)? { lock.withLock { failure } }

    /// Queues one chunk; waits while `depth` chunks are still on their way.
    func send(_ bytes: [UInt8]) throws {
        if let e = failed { throw e }
        slots.wait()
        if let e = failed { slots.signal(); throw e }
        continuation.yield(ByteBuffer(bytes: bytes))
    }

    /// Ends the copy and waits until the server has taken every row (and checked them).
    func finish() throws {
        guard !ended else { return }
        ended = true
        continuation.finish()
        done.wait()
        if let e = failed, !(e is Abandoned) { throw e }
    }

    /// Ends the copy without keeping it (the client sends CopyFail); the transaction is rolled back after.
    func abort() {
        guard !ended else { return }
        ended = true
        continuation.yield(nil)
        continuation.finish()
        done.wait()
    }
}
