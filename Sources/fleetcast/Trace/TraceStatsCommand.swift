import ArgumentParser
import FleetcastCLI
import Foundation
import Traces

extension Fleetcast {
    struct TraceStats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Print span, peak, mean and daily/weekly seasonality of a trace file.",
            discussion: """
                Reads either trace format; a job list is summarised through its demand per minute (GPUs \
                of the jobs running at the start of each minute).

                Seasonality is the detrended autocorrelation at a lag of 1 and 7 days: the trend (a \
                centred moving average one lag wide) is removed and the residual's correlation with \
                itself one lag later is reported. Near 1: the same shape every day (week); near 0: none. \
                It needs a trace longer than two lags.

                Exit codes: 0 printed; 1 the file is not a valid trace (FILE:LINE: problem on standard \
                error); 2 usage error or the file cannot be read.
                """
        )

        @Argument(help: ArgumentHelp("The trace CSV file.", valueName: "file"))
        var file: String

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Option(help: ArgumentHelp("Also time parsing: parse the file's bytes this many times and print the "
                                   + "fastest and median time (a benchmark mode; see hack/bench/traces.sh).",
                                   valueName: "runs"))
        var benchmark: Int?

        func validate() throws {
            if let benchmark, !(1...10_000).contains(benchmark) {
                throw ValidationError("--benchmark \(benchmark): must be between 1 and 10000")
            }
        }

        func run() throws {
            let trace: Trace
            do {
                trace = try Trace(contentsOfFile: file)
            } catch {
                FileHandle.standardError.write(Data("\(error.description)\n".utf8))
                throw ExitCode(error.line == nil ? ExitStatus.usageOrIO : ExitStatus.invalid)
            }
            guard let series = trace.demandSeries() else {
                FileHandle.standardError.write(Data("\(file): the job list never has a job running\n".utf8))
                throw ExitCode(ExitStatus.invalid)
            }
            let summary = TraceSummary(file: file, trace: trace, statistics: series.statistics())
            print(json ? summary.json() : summary.table(), terminator: "")
            if let benchmark {
                print(try ParseTiming.measure(file: file, runs: benchmark).line)
            }
        }
    }
}

/// Parse time of a trace file held in memory (so disk speed is left out), for `--benchmark`.
struct ParseTiming {
    var runs: Int
    var fastest: Duration
    var median: Duration
    var bytes: Int

    static func measure(file: String, runs: Int) throws -> ParseTiming {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let bytes = Array(data)
        let clock = ContinuousClock()
        var times: [Duration] = []
        for _ in 0..<runs {
            let start = clock.now
            _ = try Trace(csv: bytes, file: file)
            times.append(clock.now - start)
        }
        times.sort()
        return ParseTiming(runs: runs, fastest: times[0], median: times[runs / 2], bytes: bytes.count)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    }

    var line: String {
        String(format: "parse:    %.2f ms median, %.2f ms fastest over %d runs (%d bytes, %.0f MB/s)",
               Self.milliseconds(median), Self.milliseconds(fastest), runs, bytes,
               Double(bytes) / 1e6 / (Self.milliseconds(median) / 1e3))
    }
}

/// What `fleetcast trace stats` prints, as a table or JSON.
struct TraceSummary {
    var file: String
    var trace: Trace
    var statistics: TraceStatistics

    var format: String {
        switch trace {
        case .demand: "demand series"
        case .jobs: "job list"
        }
    }

    var rows: Int {
        switch trace {
        case .demand(let series): series.count
        case .jobs(let list): list.jobs.count
        }
    }

    func table() -> String {
        func correlation(_ value: Double?, needs days: Int) -> String {
            value.map { String(format: "%.2f", $0) } ?? "n/a, needs a trace longer than \(days) days"
        }
        let unit = rows == 1 ? "row" : "rows"
        return """
            file:     \(file)
            format:   \(format), \(rows) \(unit)\(trace.isJobList ? ", summarised per minute" : "")
            step:     \(String(format: "%g", statistics.step)) s
            span:     \(String(format: "%.2f", statistics.span / 86_400)) days (\(String(format: "%.0f", statistics.span)) s)
            peak:     \(String(format: "%.2f", statistics.peak)) GPUs
            mean:     \(String(format: "%.2f", statistics.mean)) GPUs
            detrended autocorrelation
              daily:  \(correlation(statistics.dailyAutocorrelation, needs: 2))
              weekly: \(correlation(statistics.weeklyAutocorrelation, needs: 14))

            """
    }

    func json() -> String {
        struct Output: Encodable {
            var file: String
            var format: String
            var rows: Int
            var stepSeconds: Double
            var spanSeconds: Double
            var peakGPUs: Double
            var meanGPUs: Double
            var dailyAutocorrelation: Double?
            var weeklyAutocorrelation: Double?
        }
        let output = Output(file: file, format: trace.isJobList ? "jobList" : "demandSeries", rows: rows,
                            stepSeconds: statistics.step, spanSeconds: statistics.span,
                            peakGPUs: statistics.peak, meanGPUs: statistics.mean,
                            dailyAutocorrelation: statistics.dailyAutocorrelation,
                            weeklyAutocorrelation: statistics.weeklyAutocorrelation)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(output)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension Trace {
    var isJobList: Bool {
        if case .jobs = self { return true }
        return false
    }
}
