import Dispatch
import Foundation
import PrometheusDemand
import Synchronization

/// A demand trace read from Prometheus: `fleetcast trace export` writes it, and `simulate` and
/// `forecast --prometheus` replay it through the very file path `--trace` takes (a temporary copy of
/// what `trace export` would write), so `--prometheus` and `--trace` on the export agree exactly.
enum PrometheusTrace {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// How trace times are written: seconds since `--from` (t = 0 at the start, as the simulator reads
    /// traces against `--start`), or seconds since 1970 (as `fleetcast forecast` reads them).
    enum TimeBase {
        case sinceStart, unix
    }

    /// `query` sampled every `step` over `[from, to]` as a demand-series CSV (`timestamp_seconds,gpus`).
    /// Samples that are NaN, infinite or negative are dropped (and counted); gaps stay gaps.
    static func csv(url: String, query: String, from: Date, to: Date, step: TimeInterval, timeout: TimeInterval,
                    timeBase: TimeBase) throws(Problem) -> (csv: String, rows: Int, dropped: Int) {
        guard to > from else { throw Problem(description: "--to must be after --from") }
        guard to.timeIntervalSince(from) / step <= 5_000_000 else {
            throw Problem(description: "--from … --to at --step \(Int(step))s is more than 5,000,000 samples; use a longer --step")
        }
        let client: PrometheusClient
        do {
            client = try PrometheusClient(configuration: PrometheusConfiguration(url: url, timeout: timeout))
        } catch {
            throw Problem(description: error.description)
        }
        let result = Blocking.wait { () async -> Result<(samples: [PrometheusSample], dropped: Int), DemandQueryError> in
            do throws(DemandQueryError) {
                return .success(try await client.demandSamples(query, from: from, to: to, step: step))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .failure(let error):
            throw Problem(description: "\(url): \(error.description) (query \(query))")
        case .success(let (samples, dropped)):
            var text = "timestamp_seconds,gpus\n"
            for sample in samples {
                let time = sample.time.timeIntervalSince1970 - (timeBase == .sinceStart ? from.timeIntervalSince1970 : 0)
                text += "\(Self.number(time)),\(Self.number(sample.value))\n"
            }
            return (text, samples.count, dropped)
        }
    }

    /// Writes `csv` to a fresh temporary file and returns its path.
    static func temporaryFile(_ csv: String) throws(Problem) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-prometheus-\(UUID().uuidString).csv").path
        do {
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Problem(description: "cannot write \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// An instant: RFC 3339 (`2026-01-05T00:00:00Z`), a date, seconds since 1970, `now`, or a duration
    /// before `relativeTo` (`14d`, `36h`).
    static func instant(_ text: String, option: String, now: Date, relativeTo base: Date? = nil) throws(Problem) -> Date {
        if text == "now" { return now }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        if let date = formatter.date(from: text) { return date }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return Date(timeIntervalSince1970: seconds) }
        if let duration = CommandDuration(argument: text), duration.seconds >= 0 {
            return (base ?? now).addingTimeInterval(-duration.seconds)
        }
        throw Problem(description: "\(option) \(text): expected an RFC 3339 instant (2026-01-05T00:00:00Z), seconds since 1970, now, or a duration before --to such as 14d")
    }

    /// Integers without a fraction, others as Swift prints them (shortest exact form).
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}

/// Runs async work to completion from a synchronous command.
enum Blocking {
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let box = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let value = await operation()
            box.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return box.withLock { $0 }!
    }
}
