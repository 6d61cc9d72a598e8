import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Foundation
import KubeClient
import VirtualCluster
import VirtualInfrastructure

extension FleetcastDev {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Watch Fleetcast scale a simulated GPU pool ahead of a scheduled burst, in a few minutes.",
            discussion: """
                Starts the virtual cluster with simulated GPU nodes (hack/demo/infra.yaml: nodes Ready after \
                ~20 s, GPUs allocatable ~8 s later), applies the GPUPool CRD and the demo pool \
                (hack/demo/gpupool.yaml, its retrain schedule moved to a whole minute a few minutes ahead), \
                starts the real operator as a child process (`fleetcast operator --kubeconfig …`, the fleetcast \
                binary beside fleetcast-dev) and replays a \
                compressed synthetic day of inference demand plus the scheduled burst as pods. Every few \
                seconds it prints what it reads from the cluster: demand, ready/starting/desired nodes, ready \
                GPUs, pending pods, the learned start-up time and the operator's plan. While it runs, try the \
                kubectl line it prints.

                It stops by itself --after-window seconds after the window opened (within about 5 minutes \
                with the defaults) and prints a summary: whether the capacity the window needs was ready when \
                it opened and how long before (measured), and what a reactive autoscaler would have left \
                pending (simulated with the Simulation module's reactive policy on the same demand and \
                start-up times). Ctrl-C stops it early; the operator, the cluster and the temporary files \
                (kubeconfig, operator log) are cleaned up either way.

                The pool comes from -f FILE as in every command: a file with one GPUPool selects it, several \
                need --pool NAME.

                Exit codes: 0 the demo ran (or was interrupted); 1 the pool or infrastructure file is invalid; \
                2 usage or I/O error (an unreadable pool file, several pools and no --pool), or the operator \
                stopped unexpectedly.
                """)

        @Option(name: [.customShort("f"), .customLong("filename")],
                help: ArgumentHelp("The GPUPool manifest to run (the pool's first schedule is moved a few minutes ahead).", valueName: "pool.yaml"))
        var poolFile = "hack/demo/gpupool.yaml"

        @Option(help: ArgumentHelp("The GPUPool to run when the file holds several.", valueName: "name"))
        var pool: String?

        @Option(help: ArgumentHelp("The simulated infrastructure; must have the pool's target MachineDeployment.", valueName: "file"))
        var infra = "hack/demo/infra.yaml"

        @Option(name: .customLong("crds"), help: ArgumentHelp("Infrastructure CRDs to load (MachineDeployment, Machine).", valueName: "dir"))
        var crdDirectory = "hack/dev/crds"

        @Option(help: ArgumentHelp("The window opens on the first whole minute at least this many seconds after the start.", valueName: "seconds"))
        var scheduleAfter: Double = 150

        @Option(help: ArgumentHelp("Keep going this many seconds after the window opened, then summarise.", valueName: "seconds"))
        var afterWindow: Double = 45

        @Option(help: "Synthetic trace seconds per demo second for the base load (120: two hours of a day per minute).")
        var speed: Double = 120

        @Option(help: "Peak GPUs of the base (unscheduled) load.")
        var baseGPUs: Double = 10

        @Option(help: "Seed of the synthetic load (node start-up times use the infrastructure file's seed).")
        var seed: UInt64 = 7

        @Option(help: ArgumentHelp("Print a table row every this many seconds.", valueName: "seconds"))
        var interval: Double = 5

        @Option(help: ArgumentHelp("The operator's steady reconcile period.", valueName: "seconds"))
        var syncPeriod: Double = 5

        @Option(name: .customLong("kubeconfig-out"), help: ArgumentHelp("Write the kubeconfig here (default: a temporary file removed at exit).", valueName: "file"))
        var kubeconfigOut: String?

        @Flag(help: "After the summary, keep the cluster, operator and workload running until Ctrl-C.")
        var keepRunning = false

        func validate() throws {
            guard scheduleAfter >= 0, scheduleAfter.isFinite else { throw ValidationError("--schedule-after must be 0 or more seconds") }
            guard afterWindow > 0, afterWindow.isFinite else { throw ValidationError("--after-window must be a positive number of seconds") }
            guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be positive, got \(speed)") }
            guard baseGPUs >= 0, baseGPUs.isFinite else { throw ValidationError("--base-gpus must be 0 or more") }
            guard interval >= 1, interval.isFinite else { throw ValidationError("--interval must be at least 1 second") }
            guard syncPeriod >= 1, syncPeriod.isFinite else { throw ValidationError("--sync-period must be at least 1 second") }
        }

        func run() async throws {
            let inputs: (GPUPool, InfrastructureConfiguration)
            do {
                inputs = (try PoolSelection.select(file: poolFile, name: pool), try DemoInputs.infrastructure(infraFile: infra))
            } catch let problem as PoolSelection.Problem {
                throw fail(problem.exitStatus, problem.description)
            } catch {
                throw fail(ExitStatus.invalid, "\(error)")
            }
            let timeline = DemoScenario.Timeline(scheduleAfter: scheduleAfter, afterWindow: afterWindow, speed: speed,
                                                 seed: seed, baseGPUs: baseGPUs)
            let scenario: DemoScenario
            do {
                scenario = try DemoScenario.make(start: Date(), pool: inputs.0, poolFile: poolFile, infrastructure: inputs.1,
                                                 infraFile: infra, timeline: timeline)
            } catch {
                throw fail(ExitStatus.invalid, error.description)
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetcast-demo-\(UUID().uuidString.prefix(8))")
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw fail(ExitStatus.usageOrIO, "cannot create \(directory.path): \(error)")
            }
            defer { try? FileManager.default.removeItem(at: directory) }
            let session: DemoSession
            do {
                session = try await DemoSession.start(scenario, crdDirectory: crdDirectory, directory: directory.path,
                                                      kubeconfig: kubeconfigOut ?? directory.appendingPathComponent("kubeconfig").path,
                                                      syncPeriod: syncPeriod)
            } catch {
                throw fail(ExitStatus.usageOrIO, "\(error)")
            }
            let outcome = await session.run(interval: interval, keepRunning: keepRunning)
            await session.stop()
            if case .operatorStopped(let tail) = outcome {
                throw fail(ExitStatus.usageOrIO, "the operator stopped unexpectedly; the end of its log:\n\(tail)")
            }
        }

        private func fail(_ status: Int32, _ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("fleetcast-dev demo: \(message)\n".utf8))
            return ExitCode(status)
        }
    }
}

/// Reads the demo's infrastructure file (its pool is chosen by `PoolSelection`, as every command's is).
enum DemoInputs {
    static func infrastructure(infraFile: String) throws(DemoSetupError) -> InfrastructureConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: infraFile, encoding: .utf8)
        } catch {
            throw DemoSetupError("\(infraFile): cannot read: \(error.localizedDescription)")
        }
        do {
            return try InfrastructureFile.load(yaml: text, file: infraFile)
        } catch {
            throw DemoSetupError(error.description)
        }
    }
}
