import ArgumentParser
import Foundation

/// The `fleetcast` command: composition root of every Fleetcast tool. Each subcommand lives in its own
/// file; add yours to `subcommands` below.
@main
struct Fleetcast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetcast",
        abstract: "Predictive autoscaling for Kubernetes GPU node pools.",
        discussion: """
            Fleetcast forecasts a GPU pool's demand (daily and weekly seasonality plus declared schedules) \
            and asks for nodes one start-up time before they are needed. Pools are described by GPUPool \
            resources (fleetcast.dev/v1alpha1).

            Exit codes: 0 success; 1 the input is invalid (e.g. a GPUPool fails validation); \
            2 usage or I/O error.
            """,
        version: "\(BuildInfo.version) (commit \(BuildInfo.commit), Swift \(BuildInfo.swiftVersion))",
        subcommands: [
            Validate.self,
            CRD.self,
            ForecastCommand.self,
            TraceCommand.self,
            Simulate.self,
            Tune.self,
            OperatorCommand.self,
            StatusCommand.self,
            DevCluster.self,
            Demo.self,
        ]
    )

    /// Runs the command line, mapping argument-parser's usage-error exit code (64) to 2, the code every
    /// Fleetcast command documents for usage errors.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usageOrIO)
            }
            exit(withError: error)
        }
    }
}

/// Exit statuses shared by all subcommands.
enum ExitStatus {
    static let success: Int32 = 0
    static let invalid: Int32 = 1
    static let usageOrIO: Int32 = 2
}
