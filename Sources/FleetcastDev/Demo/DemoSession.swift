import FleetcastAPI
import FleetcastCLI
import Foundation
import KubeClient
import Synchronization
import VirtualCluster
import VirtualInfrastructure

/// The running demo: the virtual cluster with its simulated infrastructure stepping on the real
/// clock, the operator child process, and the observer reading the cluster like a user would.
struct DemoSession {
    enum Outcome {
        case finished, interrupted
        /// The operator exited by itself; the end of its log.
        case operatorStopped(String)
    }

    let scenario: DemoScenario
    let cluster: RunningVirtualCluster
    let infrastructureLoop: Task<Void, Never>
    let operatorProcess: DemoOperatorProcess
    let observer: DemoObserver
    let recording = DemoRecording()
    let syncPeriod: TimeInterval

    /// Starts everything and prints the banner with the kubeconfig and the kubectl line to try.
    static func start(_ scenario: DemoScenario, crdDirectory: String, directory: String, kubeconfig: String,
                      syncPeriod: TimeInterval) async throws -> DemoSession {
        var configuration = VirtualClusterConfiguration()
        configuration.host = "127.0.0.1"
        configuration.httpsPort = 0
        configuration.httpPort = nil
        let cluster: RunningVirtualCluster
        do {
            cluster = try await VirtualCluster.start(configuration)
        } catch {
            throw DemoSetupError("cannot start the virtual cluster: \(error)")
        }
        do {
            try await cluster.apply(manifestYAML: try GPUPoolCRD.yaml(), file: "fleetcast crd")
            for source in try ManifestSource.readAll([crdDirectory], recursive: false) {
                try await cluster.apply(manifestYAML: source.text, file: source.name)
            }
            let infrastructure = VirtualInfrastructure(cluster: cluster, configuration: scenario.infrastructure)
            try await infrastructure.install()
            let poolJSON = String(decoding: try JSONEncoder().encode(scenario.pool), as: UTF8.self)
            try await cluster.apply(manifestYAML: poolJSON, file: "GPUPool \(scenario.pool.metadata.name ?? "")")
            try cluster.writeKubeconfig(to: kubeconfig)
            if let workload = scenario.workload() { await infrastructure.replay(workload) }
            let loop = Task { await DemoInfrastructureClock.run(infrastructure) }
            let operatorProcess: DemoOperatorProcess
            do {
                operatorProcess = try DemoOperatorProcess(kubeconfig: kubeconfig, syncPeriod: syncPeriod,
                                                          logFile: directory + "/operator.log")
            } catch {
                loop.cancel()
                throw error
            }
            let client = KubeClient(configuration: try KubeconfigLoader(explicitPath: kubeconfig).configuration(context: nil))
            DemoOutput.banner(scenario: scenario, cluster: cluster, kubeconfig: kubeconfig, operatorProcess: operatorProcess)
            return DemoSession(scenario: scenario, cluster: cluster, infrastructureLoop: loop, operatorProcess: operatorProcess,
                               observer: DemoObserver(client: client, pool: scenario.pool), syncPeriod: syncPeriod)
        } catch {
            await cluster.shutdown()
            throw DemoSetupError("cannot set up the demo cluster: \(error)")
        }
    }

    /// Observes until the demo's end (or forever with `keepRunning`), a signal, or the operator's
    /// exit, then prints the summary. Signals are watched once for the whole run: a second signal
    /// source for the same signal would not fire on Linux once the first was cancelled.
    func run(interval: TimeInterval, keepRunning: Bool) async -> Outcome {
        let stop = DemoStopRequest()
        let watcher = Task {
            await TerminationSignals.wait()
            stop.request()
        }
        defer { watcher.cancel() }
        let outcome = await observe(interval: interval, until: scenario.end, stop: stop)
        if case .operatorStopped = outcome { return outcome }
        let samples = await recording.samples
        let measurement = DemoMeasurement.measure(samples: samples, pods: await recording.pods,
                                                  window: scenario.windowStart, scheduledGPUs: scenario.schedule.gpus ?? 0)
        DemoOutput.line(DemoSummary.text(scenario: scenario, measurement: measurement,
                                         reactive: DemoReactiveComparison.simulate(scenario, tick: syncPeriod),
                                         lastSample: samples.last))
        if keepRunning, case .finished = outcome {
            DemoOutput.line("\nStill running (--keep-running); Ctrl-C to stop.")
            return await observe(interval: interval, until: .distantFuture, stop: stop)
        }
        return outcome
    }

    /// Samples the cluster every second, prints a row every `interval` seconds and whenever the plan's
    /// node count changes, and a marker when the window opens.
    private func observe(interval: TimeInterval, until end: Date, stop: DemoStopRequest) async -> Outcome {
        DemoOutput.line(DemoTable.header)
        var lastRow = Date.distantPast
        var lastDesired: Int?
        var announced = Date() >= scenario.windowStart
        while !stop.isRequested {
            let now = Date()
            if now >= end { return .finished }
            // Exit 0 means a signal stopped it: Ctrl-C in a terminal reaches the demo and its child alike.
            if let status = operatorProcess.exitStatus {
                return status == 0 ? .interrupted : .operatorStopped(operatorProcess.logTail())
            }
            if !announced, now >= scenario.windowStart {
                announced = true
                DemoOutput.line("---- \(scenario.schedule.name) window opens at \(DemoTable.clock(scenario.windowStart)): \(scenario.schedule.gpus ?? 0) GPUs scheduled ----")
            }
            do {
                let (sample, pods) = try await observer.sample(at: now)
                await recording.record(sample, pods: pods)
                // A row on every change of plan too, so the scaling sentence is seen, not just "Holding".
                if now.timeIntervalSince(lastRow) >= interval - 0.5 || sample.desiredNodes != lastDesired {
                    lastRow = now
                    lastDesired = sample.desiredNodes
                    DemoOutput.line(DemoTable.row(sample, window: scenario.windowStart))
                }
            } catch {
                DemoOutput.error("cannot read the cluster: \(error)")
            }
            try? await Task.sleep(for: .seconds(1))
        }
        return .interrupted
    }

    /// Stops the operator (SIGTERM), the infrastructure and the cluster.
    func stop() async {
        await operatorProcess.stop()
        infrastructureLoop.cancel()
        await infrastructureLoop.value
        await cluster.shutdown()
    }
}

/// Set once SIGINT or SIGTERM arrived; the observing loop looks at it every second.
final class DemoStopRequest: Sendable {
    private let requested = Mutex(false)

    func request() { requested.withLock { $0 = true } }
    var isRequested: Bool { requested.withLock { $0 } }
}

/// Steps the simulated infrastructure on the real clock once a second.
enum DemoInfrastructureClock {
    static func run(_ infrastructure: VirtualInfrastructure) async {
        while !Task.isCancelled {
            do {
                try await infrastructure.step(at: Date())
            } catch {
                DemoOutput.error("infrastructure step failed: \(error)")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

/// Unbuffered output, so rows appear as they are printed even through a pipe.
enum DemoOutput {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data("fleetcast-dev demo: \(text)\n".utf8))
    }

    static func banner(scenario: DemoScenario, cluster: RunningVirtualCluster, kubeconfig: String, operatorProcess: DemoOperatorProcess) {
        let pool = scenario.pool
        let node = scenario.nodePool
        line("""
            fleetcast-dev demo: virtual cluster at \(cluster.baseURL.absoluteString)
              kubeconfig: \(kubeconfig)
              try:        kubectl --kubeconfig \(kubeconfig) get gpupools
              operator:   fleetcast operator (pid \(operatorProcess.processIdentifier)), log \(operatorProcess.logFile)
              pool:       \(pool.metadata.namespace ?? "default")/\(pool.metadata.name ?? "") scales MachineDeployment \(node.machineDeployment) (\(node.gpusPerNode) GPUs per node, \(node.initialReplicas) to start)
              schedule:   \(scenario.schedule.name) "\(scenario.schedule.cron ?? "")" UTC: \(scenario.schedule.gpus ?? 0) GPUs from \(DemoTable.clock(scenario.windowStart)) for \(scenario.schedule.duration)
              ends:       \(DemoTable.clock(scenario.end)) UTC, then a summary (Ctrl-C stops early)

            """)
    }
}
