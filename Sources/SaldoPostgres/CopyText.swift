import Foundation
import NIOCore
import PostgresNIO

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
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\\"): bytes.append(b); bytes.append(b)
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(b)
            }
        }
    }
    package mutating func int(_ v: Int64?) {
        guard let v else { null(); return }
        separate()
        bytes.append(contentsOf: String(v).utf8)
    }
    package mutating func bool(_ v: Bool) { separate(); bytes.append(v ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
    /// Ends the row.
    package mutating func endRow() { bytes.append(UInt8(ascii: "\n")); first = true }
    package mutating func removeAll() { bytes.removeAll(keepingCapacity: true); first = true }
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
