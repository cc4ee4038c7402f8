// Throughput benchmark for the XML invoice readers (release build, one core). Built by
// `scripts/fuzz-invoices.sh bench`: every fixture of 5–20 KB under fixtures/invoices is read in
// memory, then run through the whole reader (libxml2 SAX parse → tree → syntax reader → Invoice +
// Transaction) in a loop for about 5 seconds on the calling thread.
import Foundation

@main
struct InvoiceBench {
    static func main() throws {
        let root = URL(fileURLWithPath: CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "fixtures/invoices")
        var files: [(String, [UInt8])] = []
        for dir in ["ubl", "cii", "facturae", "cfdi"] {
            let d = root.appendingPathComponent(dir)
            for f in try FileManager.default.contentsOfDirectory(atPath: d.path).sorted() where f.hasSuffix(".xml") {
                let bytes = try [UInt8](Data(contentsOf: d.appendingPathComponent(f)))
                if bytes.count >= 5_000 && bytes.count <= 20_500 { files.append(("\(dir)/\(f)", bytes)) }
            }
        }
        guard !files.isEmpty else { print("no 5-20 KB fixtures under \(root.path)"); return }
        let totalBytes = files.reduce(0) { $0 + $1.1.count }
        // Warm up and check every file reads.
        for (name, b) in files where InvoiceReader.read(b, file: name).invoices.isEmpty { print("warning: \(name) gave no invoice") }
        func cpuSeconds() -> Double {
            var u = rusage()
            getrusage(RUSAGE_SELF.rawValue, &u)
            return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        }
        let clock = ContinuousClock()
        let cpuStart = cpuSeconds()
        var count = 0, bytes = 0, booked = 0
        let start = clock.now
        while clock.now - start < .seconds(5) {
            for (name, b) in files {
                let r = InvoiceReader.read(b, file: name)
                booked += r.invoices.count
                count += 1
                bytes += b.count
            }
        }
        let elapsed = clock.now - start
        let cpu = cpuSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("files: \(files.count) (\(totalBytes / files.count) bytes on average, 5-20 KB)")
        print(String(format: "documents: %d in %.2f s = %.0f invoices/s, %.1f MB/s (one core)", count, seconds, Double(count) / seconds, Double(bytes) / seconds / 1e6))
        print(String(format: "CPU time: %.2f s = %.0f invoices per CPU-second (the one-core rate when the machine is shared)", cpu, Double(count) / cpu))
        print("invoices produced: \(booked)")
    }
}
