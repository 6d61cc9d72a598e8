import ArgumentParser
import FleetcastCLI
import Foundation
import Traces

/// How `simulate` and `tune`, which read the same inputs (a pool, `--set` edits, a trace, CronJobs,
/// Prometheus, an output file), report a problem with them: one line on standard error after the
/// command's name, and the exit status that kind of problem means. One mapping, so the two commands
/// cannot drift apart on what exits 1 and what exits 2.
enum ReplayInputFailure {
    /// The exit for `error` when it is a problem with the command's inputs, after printing it; `nil` for
    /// anything else, which the caller rethrows unchanged.
    static func exit(for error: any Error, command: String) -> ExitCode? {
        let message: String
        let status: Int32
        switch error {
        case let problem as SimulationInputs.Problem: (message, status) = (problem.description, ExitStatus.invalid)
        case let problem as SpecOverride.Problem: (message, status) = (problem.description, ExitStatus.invalid)
        case let problem as PoolSelection.Problem: (message, status) = (problem.description, problem.exitStatus)
        case let problem as TraceFormatError: (message, status) = (problem.description, ExitStatus.invalid)
        case let problem as Fleetcast.Simulate.OutputProblem: (message, status) = (problem.description, ExitStatus.usageOrIO)
        case let problem as PrometheusTrace.Problem: (message, status) = (problem.description, ExitStatus.invalid)
        case let problem as CronJobFile.Problem: (message, status) = (problem.description, ExitStatus.invalid)
        default: return nil
        }
        FileHandle.standardError.write(Data("fleetcast \(command): \(message)\n".utf8))
        return ExitCode(status)
    }
}
