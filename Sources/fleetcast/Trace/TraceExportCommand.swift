import ArgumentParser
import FleetcastCLI
import Foundation
import PrometheusDemand

extension Fleetcast {
    /// `fleetcast trace export`: a demand series from Prometheus, written in the trace format.
    struct TraceExport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a demand-series trace (timestamp_seconds,gpus) from a Prometheus query.",
            discussion: """
                Samples --query every --step from --from to --to with a range query (split into requests of \
                10,000 points) and writes one row per sample, t = 0 at --from (replay it with `fleetcast \
                simulate --trace FILE --start FROM`). NaN, infinite and negative samples are dropped and \
                counted on standard error; missing samples stay missing. The query must return one series \
                (wrap it in sum(...)). See docs/prometheus.md for queries.

                Exit codes: 0 written; 1 Prometheus answered with an error or no data; 2 usage or I/O error.
                """)

        @Option(help: ArgumentHelp("Prometheus server URL, e.g. http://127.0.0.1:9090.", valueName: "url"))
        var prometheus: String

        @Option(help: ArgumentHelp("PromQL returning demand in GPUs as one series.", valueName: "promql"))
        var query: String

        @Option(name: .customLong("from"), help: ArgumentHelp("Start: RFC 3339, seconds since 1970, or a duration before --to (14d).", valueName: "instant"))
        var from: String

        @Option(help: ArgumentHelp("End: RFC 3339, seconds since 1970, or now.", valueName: "instant"))
        var to: String = "now"

        @Option(help: "Time between samples (the trace's row step).")
        var step: CommandDuration = CommandDuration(seconds: 60)

        @Option(help: "Timeout of each Prometheus request.")
        var timeout: CommandDuration = CommandDuration(seconds: 60)

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The CSV file to write.", valueName: "file"))
        var output: String

        func validate() throws {
            try CommandDuration.check(step, "--step", within: 1...86_400)
            try CommandDuration.check(timeout, "--timeout", within: 0.001...3600)
        }

        func run() throws {
            do {
                let now = Date()
                let end = try PrometheusTrace.instant(to, option: "--to", now: now)
                let start = try PrometheusTrace.instant(from, option: "--from", now: now, relativeTo: end)
                let (csv, rows, dropped) = try PrometheusTrace.csv(url: prometheus, query: query, from: start, to: end, step: step.seconds,
                                                                   timeout: timeout.seconds, timeBase: .sinceStart)
                do {
                    try csv.write(toFile: output, atomically: true, encoding: .utf8)
                } catch {
                    FileHandle.standardError.write(Data("fleetcast trace export: cannot write \(output): \(error.localizedDescription)\n".utf8))
                    throw ExitCode(ExitStatus.usageOrIO)
                }
                let formatter = ISO8601DateFormatter()
                let droppedNote = dropped > 0 ? "; \(dropped) NaN/Inf/negative samples dropped" : ""
                let note = "fleetcast trace export: wrote \(rows) rows to \(output) (t = 0 at \(formatter.string(from: start))\(droppedNote))\n"
                FileHandle.standardError.write(Data(note.utf8))
            } catch let problem as PrometheusTrace.Problem {
                FileHandle.standardError.write(Data("fleetcast trace export: \(problem.description)\n".utf8))
                throw ExitCode(ExitStatus.invalid)
            }
        }
    }
}
