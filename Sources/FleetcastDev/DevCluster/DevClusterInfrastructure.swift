import ArgumentParser
import Foundation
import KubeAPI
import Traces
import VirtualCluster
import VirtualInfrastructure

/// `dev-cluster`'s simulated GPU infrastructure and workload options (docs/virtual-infrastructure.md).
struct DevClusterInfrastructureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Simulate the GPU infrastructure described in this YAML (pools, delays, node autoscaler), e.g. hack/dev/infra.yaml.",
                               valueName: "file"))
    var infra: String?

    @Option(help: ArgumentHelp("Replay this trace CSV (demand series or job list) as GPU pods.", valueName: "trace"))
    var workload: String?

    @Option(name: .customLong("pool-label"), help: ArgumentHelp("nodeSelector and label of the workload's pods, KEY=VALUE (the label a GPUPool's demand selector matches).", valueName: "key=value"))
    var poolLabel: String?

    @Option(name: .customLong("pod-gpus"), help: "GPUs per pod when replaying a demand series.")
    var podGPUs: Int = 1

    @Option(help: "Trace seconds per cluster second (60: one trace hour per minute).")
    var speed: Double = 1

    @Option(help: "Seed for names and delays (overrides the file's seed).")
    var seed: UInt64?

    var isEnabled: Bool { infra != nil || workload != nil }

    func validate() throws {
        guard podGPUs >= 1 else { throw ValidationError("--pod-gpus must be at least 1, got \(podGPUs)") }
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number, got \(speed)") }
        if let poolLabel, poolLabel.split(separator: "=", omittingEmptySubsequences: false).count != 2 || poolLabel.hasPrefix("=") {
            throw ValidationError("--pool-label must be KEY=VALUE, got \"\(poolLabel)\"")
        }
    }

    /// Reads the files; a bad file is a `DevClusterInfrastructureError` naming it (and line and field).
    func load(now: Date) throws -> (InfrastructureConfiguration, WorkloadReplay?) {
        var configuration = InfrastructureConfiguration()
        if let infra {
            let text: String
            do {
                text = try String(contentsOfFile: infra, encoding: .utf8)
            } catch {
                throw DevClusterInfrastructureError(message: "\(infra): cannot read: \(error.localizedDescription)")
            }
            do {
                configuration = try InfrastructureFile.load(yaml: text, file: infra)
            } catch {
                throw DevClusterInfrastructureError(message: error.description)
            }
        }
        if let seed { configuration.seed = seed }
        guard let workload else { return (configuration, nil) }
        let trace: Trace
        do {
            trace = try Trace(contentsOfFile: workload)
        } catch {
            throw DevClusterInfrastructureError(message: "\(error)")
        }
        var selector: [String: String] = [:]
        if let poolLabel {
            let parts = poolLabel.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { selector[parts[0]] = parts[1] }
        }
        return (configuration, WorkloadReplay(trace: trace, start: now, speed: speed, podGPUs: podGPUs, nodeSelector: selector,
                                               labels: selector))
    }
}

struct DevClusterInfrastructureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Steps the infrastructure on the real clock once a second and prints a summary line a minute.
enum DevClusterInfrastructureLoop {
    static func run(_ infrastructure: VirtualInfrastructure) async {
        var lastSummary = Date.distantPast
        while !Task.isCancelled {
            let now = Date()
            do {
                let events = try await infrastructure.step(at: now)
                // Scale-downs as they happen: which Machine went and why (its delete-machine mark, unhealthy,
                // or a healthy one the deletion order picked), and any pod they disrupted.
                for event in events where [.machineDeleting, .podEvicted, .podKilled].contains(event.kind) {
                    FileHandle.standardOutput.write(Data("\(now.formatted(.iso8601)) \(event.kind.rawValue) \(event.object) \(event.detail)\n".utf8))
                }
                if now.timeIntervalSince(lastSummary) >= 60 {
                    lastSummary = now
                    let line = "\(now.formatted(.iso8601)) \(try await infrastructure.summary())\n"
                    FileHandle.standardOutput.write(Data(line.utf8))
                }
            } catch {
                FileHandle.standardError.write(Data("fleetcast-dev dev-cluster: infrastructure step failed: \(error)\n".utf8))
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
