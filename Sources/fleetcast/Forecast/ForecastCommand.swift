import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Forecasting
import Foundation
import Traces

extension Fleetcast {
    struct ForecastCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forecast",
            abstract: "Forecast a demand trace, or backtest the forecasting models on it.",
            discussion: """
                Learns the trace's demand (bin peaks) from the history before --at, exactly as the operator \
                does for a pool, and prints the forecast peak demand of every bin of the next --horizon: the \
                mean and the --quantile upper quantile the planner provisions for. Declared schedules of the \
                pool (-f FILE, --pool NAME when the file holds several) are added on top. Trace times are seconds from the trace's origin (its first local \
                midnight); they are read as seconds since 1970-01-01 UTC, so daily phases line up.

                --prometheus URL --query Q reads the history from Prometheus instead: the pool's \
                spec.forecast.history (336h without -f) before --to, plus --from when backtesting, sampled \
                every minute; trace times are then seconds since 1970 (UTC).

                --backtest instead runs the rolling-origin protocol: origins every --every over the last \
                --from of the trace, each fitted only on the history before it and scored on the --horizon \
                after it. It prints, per model and for the automatic choice, WAPE of the mean, pinball loss \
                and coverage of the upper quantile, and the fit+forecast time per origin.

                JSON output of a forecast: {"model", "origin", "step", "quantile", "ready", "reason", \
                "points": [{"t", "mean", "upper"}]} with times in trace seconds.

                Exit codes: 0 success; 1 the trace or the pool is invalid (FILE:LINE: message on standard \
                error); 2 usage or I/O error (an unreadable file, several pools in -f and no --pool).
                """
        )

        @Option(help: ArgumentHelp("A demand-series or job-list trace (CSV).", valueName: "file"))
        var trace: String?

        @Option(help: ArgumentHelp("Read the history from this Prometheus server instead of --trace (with --query).", valueName: "url"))
        var prometheus: String?

        @Option(help: ArgumentHelp("With --prometheus: PromQL returning demand in GPUs as one series.", valueName: "promql"))
        var query: String?

        @Option(help: ArgumentHelp("With --prometheus: end of the history read (RFC 3339, seconds since 1970, or now); the default forecast origin.", valueName: "instant"))
        var to: String = "now"

        @Option(name: [.customShort("f"), .customLong("filename")],
                help: ArgumentHelp("A GPUPool manifest: step, seasonalities, history, quantile and schedules come from its pool.",
                                   valueName: "pool.yaml"))
        var poolFile: String?

        @Option(help: ArgumentHelp("The GPUPool to use when -f holds several.", valueName: "name"))
        var pool: String?

        @Option(help: ArgumentHelp("Use only history before this trace time, in seconds. Default: the end of the trace.",
                                   valueName: "seconds"))
        var at: Double?

        @Option(help: "How far ahead to forecast (Go duration, or days as 7d).")
        var horizon: CommandDuration = CommandDuration(seconds: 7200)

        @Option(help: "Bin width (default: the pool's forecast.step, else 5m).")
        var step: CommandDuration?

        @Option(help: "Quantile of the upper forecast (default: the pool's forecast.quantile, else 0.95).")
        var quantile: Double?

        @Option(help: ArgumentHelp("Restrict to one model family: profile, regression, holt-winters, ensemble.", valueName: "model"))
        var model: ForecastModelKind?

        @Option(help: "Output format: table, json or csv.")
        var format: OutputFormat = .table

        @Flag(help: "Run the rolling-origin backtest instead of one forecast.")
        var backtest = false

        @Option(help: "Backtest: time between origins.")
        var every: CommandDuration = CommandDuration(seconds: 7200)

        @Option(name: .customLong("from"), help: "Backtest: how far before the end of the trace the origins start.")
        var span: CommandDuration = CommandDuration(seconds: 7 * 86_400)

        func validate() throws {
            if let quantile, !(quantile > 0 && quantile < 1) {
                throw ValidationError("--quantile must lie strictly between 0 and 1, got \(quantile)")
            }
            let stepSeconds = step?.seconds ?? GPUPoolLimits.step.lowerBound.seconds
            try CommandDuration.check(horizon, "--horizon", within: 1...Self.maxHorizon)
            if let step { try CommandDuration.check(step, "--step", within: GPUPoolLimits.step.lowerBound.seconds...GPUPoolLimits.step.upperBound.seconds) }
            if horizon.seconds / stepSeconds > Double(Self.maxPoints) {
                throw ValidationError("--horizon \(horizon) at a step of \(CommandDuration(seconds: stepSeconds)) is more than \(Self.maxPoints) forecast points; use a shorter horizon or a longer --step")
            }
            try CommandDuration.check(every, "--every", within: 1...TraceLimits.maxSeconds)
            try CommandDuration.check(span, "--from", within: 0...TraceLimits.maxSeconds)
            if span.seconds / every.seconds > Double(Self.maxOrigins) {
                throw ValidationError("--from \(span) every \(every) is more than \(Self.maxOrigins) backtest origins; use a larger --every")
            }
            if let at, !(at.isFinite && at >= 0 && at <= TraceLimits.maxSeconds) {
                throw ValidationError("--at must be a number of seconds between 0 and \(Int(TraceLimits.maxSeconds)) (trace time), got \(at)")
            }
        }

        /// Longest --horizon: a year, far beyond any lead time, and bounded so a typo cannot hang.
        static let maxHorizon: Double = 366 * 86_400
        /// Most forecast points one run prints (--horizon / --step).
        static let maxPoints = 100_000
        /// Most backtest origins (--from / --every); each is one fit.
        static let maxOrigins = 10_000

        /// The trace file to learn from: `--trace`, or the Prometheus series written to a temporary file
        /// with absolute times.
        private func traceFile(pool: GPUPool?) throws(ForecastInputs.LoadError) -> (path: String, temporary: Bool, end: Date?) {
            switch (trace, prometheus) {
            case (let path?, nil):
                return (path, false, nil)
            case (nil, let url?):
                guard let query else { throw ForecastInputs.LoadError(description: "--prometheus needs --query", exitStatus: ExitStatus.usageOrIO) }
                do {
                    let end = try PrometheusTrace.instant(to, option: "--to", now: Date())
                    var window = GPUPoolDefaults.history.seconds
                    if let pool { window = pool.spec.effectiveHistory.seconds }
                    if backtest { window += span.seconds }
                    let (csv, _, _) = try PrometheusTrace.csv(url: url, query: query, from: end.addingTimeInterval(-window), to: end,
                                                              step: 60, timeout: 60, timeBase: .unix)
                    return (try PrometheusTrace.temporaryFile(csv), true, end)
                } catch {
                    throw ForecastInputs.LoadError(description: error.description, exitStatus: ExitStatus.invalid)
                }
            default:
                throw ForecastInputs.LoadError(description: "give either --trace FILE or --prometheus URL --query Q", exitStatus: ExitStatus.usageOrIO)
            }
        }

        func run() throws {
            let inputs: ForecastInputs
            var prometheusEnd: Date?
            do {
                let selected = try ForecastInputs.pool(file: poolFile, name: pool)
                let source = try traceFile(pool: selected)
                prometheusEnd = source.end
                defer { if source.temporary { try? FileManager.default.removeItem(atPath: source.path) } }
                inputs = try ForecastInputs.load(trace: source.path, pool: selected, poolFile: poolFile, step: step?.seconds, quantile: quantile)
            } catch {
                FileHandle.standardError.write(Data("fleetcast forecast: \(error.description)\n".utf8))
                throw ExitCode(error.exitStatus)
            }
            var configuration = inputs.configuration
            if let model { configuration.models = [model] }
            if backtest {
                let report = BacktestReport.run(inputs: inputs, configuration: configuration, model: model,
                                                horizon: horizon.seconds, every: every.seconds, span: span.seconds)
                guard !report.rows.isEmpty, report.origins > 0 else {
                    FileHandle.standardError.write(Data("fleetcast forecast: the trace is too short for a backtest over --from \(span)\n".utf8))
                    throw ExitCode(ExitStatus.invalid)
                }
                print(report.rendered(format), terminator: "")
                return
            }
            let now = at.map { Date(timeIntervalSince1970: $0) } ?? prometheusEnd ?? inputs.end
            let forecast = DemandForecaster(configuration: configuration).fit(history: inputs.history, at: now)
                .forecast(at: now, horizon: horizon.seconds)
            print(ForecastRendering(forecast: forecast, trace: trace ?? prometheus ?? "").rendered(format), terminator: "")
        }
    }
}

/// Output formats of `fleetcast forecast`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension ForecastModelKind: ExpressibleByArgument {}
