import ArgumentParser
import FleetcastCLI
import Foundation

/// The `fleetcast` command: the in-cluster binary and composition root of the operator's tools. Each
/// subcommand lives in its own file; add yours to `subcommands` below. The developer tools that need the
/// virtual cluster (`dev-cluster`, `demo`) are a separate executable, `fleetcast-dev`, so this binary
/// links neither the virtual API server nor the simulated infrastructure.
@main
struct Fleetcast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetcast",
        abstract: "Predictive autoscaling for Kubernetes GPU node pools.",
        discussion: """
            Fleetcast forecasts a GPU pool's demand (daily and weekly seasonality plus declared schedules) \
            and asks for nodes one start-up time before they are needed. Pools are described by GPUPool \
            resources (fleetcast.dev/v1alpha1).

            Commands that read one pool from a manifest (simulate, forecast) take it as -f FILE: a file \
            with one GPUPool selects it, a file with several needs --pool NAME, and any invalid GPUPool \
            in the file is an error with its FILE:LINE.

            The developer tools are in the fleetcast-dev executable built beside this one: \
            `fleetcast-dev dev-cluster` (a local Kubernetes-compatible API server) and `fleetcast-dev demo` \
            (make demo). `fleetcast dev-cluster` and `fleetcast demo` still run them when fleetcast-dev is \
            installed beside fleetcast.

            Exit codes: 0 success; 1 the input is invalid (e.g. a GPUPool fails validation); \
            2 usage or I/O error.
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            Validate.self,
            CRD.self,
            ForecastCommand.self,
            TraceCommand.self,
            Simulate.self,
            Tune.self,
            OperatorCommand.self,
            StatusCommand.self,
            DevToolCommand.DevCluster.self,
            DevToolCommand.Demo.self,
        ]
    )

    static func main() async {
        await runMappingUsageErrors()
    }
}
