import FleetcastAPI
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

    static func load(trace path: String, pool poolPath: String?, step: TimeInterval?,
                     quantile: Double?) throws(LoadError) -> ForecastInputs {
        var configuration = ForecastConfiguration.standard
        if let poolPath {
            let pools: [GPUPool]
            do {
                pools = try loadValidGPUPools(fromFile: poolPath)
            } catch {
                throw LoadError(description: error.description, exitStatus: ExitStatus.invalid)
            }
            guard let pool = pools.first else {
                throw LoadError(description: "\(poolPath): no GPUPool found", exitStatus: ExitStatus.invalid)
            }
            configuration = try Self.configuration(for: pool.spec, file: poolPath)
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
