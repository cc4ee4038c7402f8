import Foundation

/// Hands values from one thread to another in chunks, with a bound on how many chunks wait, so
/// that a reader can run ahead of a writer on the other core without holding a whole file of
/// values in memory.
///
/// The producer calls `send` for each value and `finish` once; the consumer calls `receive` until
/// it returns nil. `cancel` (from the consumer) makes further `send`s drop their values, so a
/// producer that cannot be interrupted still ends quickly.
final class Handoff<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [[Value]] = []
    private var pending: [Value] = []
    private var finished = false
    private var cancelled = false
    let chunkSize: Int
    let maxChunks: Int
    /// Seconds the consumer waited for values, and the producer for room (where the time goes).
    private(set) var consumerWaited: Double = 0
    private(set) var producerWaited: Double = 0

    init(chunkSize: Int = 4096, maxChunks: Int = 8) {
        self.chunkSize = chunkSize
        self.maxChunks = maxChunks
        pending.reserveCapacity(chunkSize)
    }

    /// Producer: adds a value, handing the chunk over when it is full (waits while the consumer
    /// is `maxChunks` behind).
    func send(_ v: Value) {
        pending.append(v)
        if pending.count >= chunkSize { flush() }
    }

    /// Producer: no more values.
    func finish() {
        flush()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func flush() {
        guard !pending.isEmpty else { return }
        let chunk = pending
        pending = []
        pending.reserveCapacity(chunkSize)
        condition.lock()
        if ready.count >= maxChunks && !cancelled {
            let t = DispatchTime.now().uptimeNanoseconds
            while ready.count >= maxChunks && !cancelled { condition.wait() }
            producerWaited += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
        }
        if !cancelled { ready.append(chunk) }
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next chunk, or nil once the producer has finished and every chunk was taken.
    func receive() -> [Value]? {
        condition.lock()
        defer { condition.unlock() }
        if ready.isEmpty && !finished {
            let t = DispatchTime.now().uptimeNanoseconds
            while ready.isEmpty && !finished { condition.wait() }
            consumerWaited += Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
        }
        if ready.isEmpty { return nil }
        let chunk = ready.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Consumer: stop taking values; the producer's further sends are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        ready = []
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs `work` on a new thread; `wait()` blocks until it is done and returns its result.
final class BackgroundWork<Result: Sendable>: @unchecked Sendable {
    private let done = NSCondition()
    private var result: Result?

    init(stackSize: Int = 8 << 20, _ work: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            let r = work()
            done.lock()
            result = r
            done.broadcast()
            done.unlock()
        }
        thread.stackSize = stackSize
        thread.start()
    }

    func wait() -> Result {
        done.lock()
        defer { done.unlock() }
        while result == nil { done.wait() }
        return result!
    }
}
