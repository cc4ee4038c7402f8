import Foundation
import Testing
@testable import SaldoApp

/// The reader-to-writer handoff of `saldo import`: nothing lost, nothing reordered, bounded, and
/// a writer that gives up never leaves the reader blocked.
@Suite struct HandoffTests {
    @Test func everyValueArrivesOnceInOrder() {
        let handoff = Handoff<Int>(chunkSize: 7, maxChunks: 2)   // the producer must wait often
        let producer = BackgroundWork { () -> Int in
            for i in 0..<10_000 { handoff.send(i) }
            handoff.finish()
            return 10_000
        }
        var received: [Int] = []
        while let chunk = handoff.receive() {
            #expect(chunk.count <= 7)
            received += chunk
        }
        #expect(producer.wait() == 10_000)
        #expect(received == Array(0..<10_000))
    }

    @Test func aCancelledConsumerDoesNotBlockTheProducer() {
        let handoff = Handoff<Int>(chunkSize: 10, maxChunks: 1)
        let producer = BackgroundWork { () -> Int in
            for i in 0..<100_000 { handoff.send(i) }
            handoff.finish()
            return 1
        }
        #expect(handoff.receive() == Array(0..<10))
        handoff.cancel()
        #expect(producer.wait() == 1)        // returns: no send waits after the cancel
        #expect(handoff.receive() == nil)    // and nothing more is handed over
    }

    @Test func emptyInputEndsAtOnce() {
        let handoff = Handoff<String>()
        handoff.finish()
        #expect(handoff.receive() == nil)
    }
}
