import FleetcastTesting
import Foundation
import Testing

/// `fleetcast demo` end to end through the built binary, shortened: the window opens within about a
/// minute and a half and nodes start in seconds. The real operator runs as the demo's child process, and
/// the real kubectl reads the pool through the kubeconfig the demo prints.
@Suite("fleetcast demo")
struct DemoCommandTests {
    /// hack/demo/infra.yaml with start-ups of seconds instead of half a minute.
    static let quickInfra = """
        seed: 3
        pools:
        - machineDeployment: demo-gpu
          gpusPerNode: 4
          labels: {fleetcast.dev/pool: demo-gpu}
          taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]
          bootDelay: {p50: 4s, p90: 6s}
          gpuInitDelay: 2s
          replicas: 1
        """

    @Test("runs the demo pool against the virtual cluster: capacity is ready before the scheduled window")
    func capacityReadyBeforeTheWindow() async throws {
        let files = try FleetcastBinary.directory(with: ["infra.yaml": Self.quickInfra])
        // --keep-running: the cluster stays up after the summary, so kubectl below cannot race the demo's
        // end however slowly this test is scheduled; SIGTERM then stops it as Ctrl-C would.
        let started = try DevClusterCommandTests.start([
            "demo", "--infra", files.appendingPathComponent("infra.yaml").path, "--schedule-after", "25",
            "--after-window", "10", "--interval", "5", "--kubeconfig-out", "$DIR/kubeconfig", "--keep-running",
        ])
        defer { if started.process.isRunning { started.process.terminate() } }
        var summarized = false
        for _ in 0..<3000 where !summarized {
            summarized = started.stdout.contains("Still running")
            if !summarized { try await Task.sleep(for: .milliseconds(100)) }
        }
        let output = started.stdout
        #expect(summarized, "no summary; stdout:\n\(output)\nstderr:\n\(started.stderr)")
        #expect(output.contains("window opens at"), "\(output)")
        #expect(output.contains("Capacity ready before the window: yes"), "stdout:\n\(output)\nstderr:\n\(started.stderr)")
        #expect(output.contains("Reactive scaling (simulated"), "\(output)")

        // The printed kubectl line shows the pool (the real kubectl, the written kubeconfig).
        let kubeconfig = started.directory.appendingPathComponent("kubeconfig").path
        #expect(output.contains("kubectl --kubeconfig \(kubeconfig) get gpupools"), "\(output)")
        let kubectl = try #require(ToolRun.onPath("kubectl"), "kubectl not found on PATH")
        let (listed, pools) = try await ToolRun.run(kubectl, ["--kubeconfig", kubeconfig, "--cache-dir",
                                                              started.directory.appendingPathComponent("cache").path, "get", "gpupools"])
        #expect(listed == 0, "\(pools)")
        #expect(pools.contains("demo-gpu"), "\(pools)")

        started.process.terminate()
        #expect(await started.exitStatus() == 0, "stderr:\n\(started.stderr)")
    }

    @Test("the demo pool is a valid GPUPool")
    func demoPoolValidates() async throws {
        let result = try await FleetcastBinary.run(["validate", "-f", "hack/demo/gpupool.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("an infrastructure file without the pool's MachineDeployment exits 1 naming the file")
    func infrastructureWithoutTheTarget() async throws {
        let files = try FleetcastBinary.directory(with: ["infra.yaml": "pools:\n- machineDeployment: other\n  gpusPerNode: 4\n"])
        let path = files.appendingPathComponent("infra.yaml").path
        let started = try DevClusterCommandTests.start(["demo", "--infra", path])
        #expect(await started.exitStatus() == 1)
        #expect(started.stderr.contains("\(path): pools: no machineDeployment default/demo-gpu"), "\(started.stderr)")
    }
}
