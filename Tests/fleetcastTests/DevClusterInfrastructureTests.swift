import Foundation
import Testing

/// `fleetcast dev-cluster --infra`: kubectl scales a pool's MachineDeployment and sees its nodes appear.
@Suite("fleetcast dev-cluster with infrastructure")
struct DevClusterInfrastructureTests {
    static let infra = """
        pools:
        - machineDeployment: pool-a
          gpusPerNode: 4
          labels: {fleetcast.dev/pool: pool-a}
          bootDelay: 0s
          gpuInitDelay: 0s
          replicas: 1
        """

    @Test("kubectl scale md adds Machines and Ready nodes advertising their GPUs")
    func kubectlScalesAPool() async throws {
        let files = try FleetcastBinary.directory(with: ["infra.yaml": Self.infra])
        let started = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig",
                                                        "--crds", "hack/dev/crds", "--infra", files.appendingPathComponent("infra.yaml").path])
        defer { started.process.terminate() }
        let kubeconfig = started.directory.appendingPathComponent("kubeconfig").path
        let cache = started.directory.appendingPathComponent("cache").path
        var ready = false
        for _ in 0..<600 where !ready {
            ready = started.stdout.contains("serving")
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready, "no banner; stderr: \(started.stderr)")
        let (scaled, scaleOutput) = try await DevClusterCommandTests.kubectl(["--kubeconfig", kubeconfig, "--cache-dir", cache,
                                                                             "scale", "md", "pool-a", "--replicas=3"])
        #expect(scaled == 0, "\(scaleOutput)")
        var nodes: [Substring] = []
        for _ in 0..<200 where nodes.count < 3 {
            let (_, output) = try await DevClusterCommandTests.kubectl([
                "--kubeconfig", kubeconfig, "--cache-dir", cache, "get", "nodes", "-l", "fleetcast.dev/pool=pool-a",
                "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.allocatable.nvidia\\.com/gpu} "
                    + "{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}",
            ])
            nodes = output.split(separator: "\n").filter { $0.hasSuffix(" 4 True") }
            if nodes.count < 3 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(nodes.count == 3, "stderr: \(started.stderr)")
        // The default table shows each node's status the way kubectl's node printer does.
        let (_, table) = try await DevClusterCommandTests.kubectl(["--kubeconfig", kubeconfig, "--cache-dir", cache,
                                                                  "get", "nodes", "-l", "fleetcast.dev/pool=pool-a"])
        let header = table.split(separator: "\n").first.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(Array(header.prefix(2)) == ["NAME", "STATUS"], "\(table)")
        #expect(table.split(separator: "\n").dropFirst().filter { $0.split(separator: " ").dropFirst().first == "Ready" }.count == 3, "\(table)")
        let (_, machines) = try await DevClusterCommandTests.kubectl(["--kubeconfig", kubeconfig, "--cache-dir", cache,
                                                                     "get", "machines", "-o", "name"])
        #expect(machines.split(separator: "\n").count == 3, "\(machines)")
    }

    @Test("a bad infrastructure file exits 1 naming file, line and field")
    func badFile() async throws {
        let directory = try FleetcastBinary.directory(with: ["infra.yaml": "pools:\n- machineDeployment: a\n  gpusPerNode: -1\n"])
        let started = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--crds", "hack/dev/crds",
                                                        "--infra", directory.appendingPathComponent("infra.yaml").path])
        #expect(await started.exitStatus() == 1)
        #expect(started.stderr.contains("infra.yaml:3: pools[0].gpusPerNode: must be an integer ≥ 1"), "\(started.stderr)")
    }
}
