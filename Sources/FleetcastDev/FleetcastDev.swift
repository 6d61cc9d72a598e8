import ArgumentParser
import FleetcastCLI

/// `fleetcast-dev`: the developer tools around the virtual cluster, kept out of the in-cluster
/// `fleetcast` binary so the operator maps no API server, certificate authority or fault injection.
@main
struct FleetcastDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleetcast-dev",
        abstract: "Developer tools for Fleetcast: a local Kubernetes-compatible cluster and the demo.",
        discussion: """
            Try Fleetcast without a cluster. `dev-cluster` runs the virtual cluster (an in-memory Kubernetes \
            API server on loopback, optionally with simulated GPU node pools and a replayed workload); `demo` \
            runs it with the real operator (`fleetcast operator`, the fleetcast binary beside this one) and \
            a scheduled burst, printing a live table (make demo).

            The in-cluster commands (operator, validate, crd, status, forecast, simulate, trace) are in the \
            fleetcast executable.

            Exit codes: 0 success; 1 the input is invalid; 2 usage or I/O error.
            """,
        version: BuildInfo.versionLine,
        subcommands: [
            DevCluster.self,
            Demo.self,
        ]
    )

    static func main() async {
        await runMappingUsageErrors()
    }
}
