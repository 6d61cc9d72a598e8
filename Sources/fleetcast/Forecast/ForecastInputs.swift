import FleetcastAPI
import FleetcastCLI
import Forecasting
import Foundation
import PoolPolicy
import Traces

/// What `fleetcast forecast` works on: the trace as a demand history and the forecast configuration
/// (from the pool when given, command-line overrides on top).
struct ForecastInputs {
    var history: DemandHistory
    var configuration: ForecastConfiguration
    /// End of the trace (the default forecast origin).
    var end: Date

    struct LoadError: Error, CustomStringConvertible {
        var description: String
        var exitStatus: Int32
    }

    /// The pool of `-f FILE [--pool NAME]`, chosen by the rules every command shares; nil without `-f`.
    static func pool(file: String?, name: String?) throws(LoadError) -> GPUPool? {
        guard let file else {
            guard let name else { return nil }
            throw LoadError(description: "--pool \(name) names a GPUPool in the manifest given with -f FILE"
                + (FileManager.default.fileExists(atPath: name) ? "; give the file as -f \(name)" : ""),
                exitStatus: ExitStatus.usageOrIO)
        }
        do {
            return try PoolSelection.select(file: file, name: name)
        } catch {
            throw LoadError(description: error.description, exitStatus: error.exitStatus)
        }
    }

    static func load(trace path: String, pool: GPUPool?, poolFile: String?, step: TimeInterval?,
                     quantile: Double?) throws(LoadError) -> ForecastInputs {
        var configuration = ForecastConfiguration.standard
        if let pool {
            configuration = try Self.configuration(for: pool.spec, file: poolFile ?? "")
        }
        if let step { configuration.step = step }
        if let quantile { configuration.quantile = quantile }

        let trace: Trace
        do {
            trace = try Trace(contentsOfFile: path)
        } catch {
            let status = error.line == nil ? ExitStatus.usageOrIO : ExitStatus.invalid
            throw LoadError(description: error.description, exitStatus: status)
        }
        guard let series = trace.demandSeries(step: 60), series.count > 0 else {
            throw LoadError(description: "\(path): the trace holds no demand", exitStatus: ExitStatus.invalid)
        }
        // Keep the whole trace: the forecaster itself reads only `configuration.history` before each origin.
        var history = DemandHistory(step: configuration.step, retention: series.span + 2 * configuration.step)
        for index in 0..<series.count {
            history.record(gpus: series.gpus[index], at: Date(timeIntervalSince1970: series.times[index]))
        }
        return ForecastInputs(history: history, configuration: configuration,
                              end: Date(timeIntervalSince1970: series.end))
    }

    /// The pool's `spec.forecast` and `spec.schedules` (defaults filled in) as a forecast configuration,
    /// converted the way the simulator converts them.
    static func configuration(for spec: GPUPoolSpec, file: String) throws(LoadError) -> ForecastConfiguration {
        do {
            return try ForecastConfiguration(spec: spec)
        } catch {
            throw LoadError(description: "\(file): \(error.description)", exitStatus: ExitStatus.invalid)
        }
    }
}
