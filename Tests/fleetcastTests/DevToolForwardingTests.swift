import Foundation
import Testing

/// `fleetcast dev-cluster` and `fleetcast demo`, as users of earlier versions type them: the developer
/// tools moved to `fleetcast-dev`, and the old commands run it from beside `fleetcast`.
@Suite("fleetcast dev-cluster and demo forward to fleetcast-dev")
struct DevToolForwardingTests {
    @Test("the old command runs fleetcast-dev with the same arguments and exit status, saying so", arguments: ["dev-cluster", "demo"])
    func forwards(command: String) async throws {
        let result = try await FleetcastBinary.run([command, "--help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: fleetcast-dev \(command)"), "\(result.stdout)")
        #expect(result.stderr.hasPrefix("fleetcast \(command): moved to `fleetcast-dev \(command)`; running "), "\(result.stderr)")
    }

    @Test("a usage error of the forwarded command keeps its exit status 2")
    func usageErrorStatus() async throws {
        let result = try await FleetcastBinary.run(["dev-cluster", "--listen", "nowhere"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("--listen must be HOST:PORT"), "\(result.stderr)")
    }

    @Test("fleetcast's help lists neither command; fleetcast-dev's lists both")
    func help() async throws {
        let fleetcast = try await FleetcastBinary.run(["--help"])
        #expect(!fleetcast.stdout.contains("  dev-cluster "), "\(fleetcast.stdout)")
        #expect(fleetcast.stdout.contains("fleetcast-dev dev-cluster"), "\(fleetcast.stdout)")
        let dev = try await FleetcastBinary.run(["--help"], executable: try FleetcastBinary.locateDevTools())
        #expect(dev.status == 0)
        #expect(dev.stdout.contains("dev-cluster") && dev.stdout.contains("demo"), "\(dev.stdout)")
    }
}
