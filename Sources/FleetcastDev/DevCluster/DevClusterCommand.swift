import ArgumentParser
import FleetcastCLI
import Foundation
import VirtualCluster
import VirtualInfrastructure

extension FleetcastDev {
    struct DevCluster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-cluster",
            abstract: "Run a local Kubernetes-compatible API server to try Fleetcast without a cluster.",
            discussion: """
                Starts the virtual cluster (an in-memory Kubernetes API server) on loopback over HTTPS with a \
                CA generated at start, writes a kubeconfig (server, CA data, admin token) and loads the CRDs: \
                by default the project's crds/ and the infrastructure CRDs in hack/dev/crds/ (MachineDeployment, Machine, \
                CapacityBuffer), relative to the current directory. Point kubectl at it with the line it prints:

                  fleetcast-dev dev-cluster --kubeconfig-out /tmp/dev.kubeconfig &
                  KUBECONFIG=/tmp/dev.kubeconfig kubectl get md

                With --authorize-rbac, requests are authorized by the RBAC objects in the cluster, so an operator \
                can run as its ServiceAccount: `kubectl create token NAME -n NS` issues a token for it.

                Faults can be injected with POST /fleetcast.dev/admin/faults (docs/virtual-cluster.md). Runs until \
                interrupted; SIGINT and SIGTERM stop it cleanly.

                With --infra FILE (e.g. hack/dev/infra.yaml) it also simulates GPU node pools behind \
                MachineDeployments (boot and GPU-init delays), a scheduler with preemption, Deployments and an \
                optional node autoscaler; --workload TRACE replays a trace as pods (--pool-label, --pod-gpus, \
                --speed), and a summary line is printed every minute (docs/virtual-infrastructure.md).

                Exit codes: 0 stopped by a signal; 1 a CRD, manifest, infrastructure file or trace is invalid; 2 usage or I/O error \
                (e.g. the address is in use).
                """
        )

        @Option(help: ArgumentHelp("Where to listen, HOST:PORT; port 0 picks a free port.", valueName: "host:port"))
        var listen: String = "127.0.0.1:0"

        @Option(name: .customLong("kubeconfig-out"), help: ArgumentHelp("Write the kubeconfig here (default: a file in the temporary directory).", valueName: "file"))
        var kubeconfigOut: String?

        @Option(name: .customLong("crds"), help: ArgumentHelp("Load every *.yaml manifest in this directory at start (repeatable; replaces the defaults).", valueName: "dir"))
        var crdDirectories: [String] = []

        @Option(help: ArgumentHelp("Use this admin bearer token instead of a random one.", valueName: "token"))
        var token: String?

        @Flag(help: "Serve requests without credentials as system:anonymous.")
        var allowAnonymous = false

        @Flag(name: .customLong("authorize-rbac"),
              help: "Authorize requests by the cluster's Roles, ClusterRoles and bindings, as kube-apiserver's RBAC authorizer does (the admin token is exempt).")
        var authorizeWithRBAC = false

        @OptionGroup(title: "Simulated GPU infrastructure")
        var infrastructure: DevClusterInfrastructureOptions

        func run() async throws {
            let (host, port) = try parseListen()
            let simulation: (InfrastructureConfiguration, WorkloadReplay?)?
            do {
                simulation = infrastructure.isEnabled ? try infrastructure.load(now: Date()) : nil
            } catch {
                throw fail(ExitStatus.invalid, "\(error)")
            }
            var configuration = VirtualClusterConfiguration()
            configuration.host = host
            configuration.httpsPort = port
            configuration.httpPort = nil
            configuration.adminToken = token
            configuration.allowAnonymous = allowAnonymous
            configuration.authorizeWithRBAC = authorizeWithRBAC
            let cluster: RunningVirtualCluster
            do {
                cluster = try await VirtualCluster.start(configuration)
            } catch {
                throw fail(ExitStatus.usageOrIO, "cannot start the virtual cluster on \(listen): \(error)")
            }
            do {
                for file in try manifestFiles() {
                    let text = try String(contentsOfFile: file, encoding: .utf8)
                    try await cluster.apply(manifestYAML: text, file: file)
                }
            } catch let error as ManifestError {
                await cluster.shutdown()
                throw fail(ExitStatus.invalid, error.description)
            } catch {
                await cluster.shutdown()
                throw fail(ExitStatus.usageOrIO, "\(error)")
            }
            let kubeconfig = kubeconfigOut ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("fleetcast-dev-cluster-\(cluster.httpsPort).kubeconfig").path
            do {
                try cluster.writeKubeconfig(to: kubeconfig)
            } catch {
                await cluster.shutdown()
                throw fail(ExitStatus.usageOrIO, "cannot write the kubeconfig to \(kubeconfig): \(error)")
            }
            let banner = "fleetcast-dev dev-cluster: serving \(cluster.baseURL.absoluteString); use it with: export KUBECONFIG=\(kubeconfig)\n"
            FileHandle.standardOutput.write(Data(banner.utf8))
            var loop: Task<Void, Never>?
            if let (configuration, workload) = simulation {
                let simulated = VirtualInfrastructure(cluster: cluster, configuration: configuration)
                do {
                    try await simulated.install()
                } catch {
                    await cluster.shutdown()
                    throw fail(ExitStatus.invalid, "cannot create the infrastructure's MachineDeployments (are the CRDs in hack/dev/crds loaded?): \(error)")
                }
                if let workload { await simulated.replay(workload) }
                loop = Task { await DevClusterInfrastructureLoop.run(simulated) }
            }
            await TerminationSignals.wait()
            loop?.cancel()
            await loop?.value
            await cluster.shutdown()
        }

        private func parseListen() throws -> (String, Int) {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
                throw ValidationError("--listen must be HOST:PORT with a port from 0 to 65535, got \"\(listen)\"")
            }
            let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            guard !host.isEmpty else { throw ValidationError("--listen needs a host, e.g. 127.0.0.1:\(port)") }
            return (host, port)
        }

        /// The manifests to load: each directory's `*.yaml`/`*.yml` files in name order, except kustomize's
        /// `kustomization.yaml`, which is build configuration rather than an API object.
        private func manifestFiles() throws -> [String] {
            let directories = crdDirectories.isEmpty ? ["crds", "hack/dev/crds"].filter { FileManager.default.fileExists(atPath: $0) } : crdDirectories
            var files: [String] = []
            for directory in directories {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw ValidationError("--crds \(directory): not a directory")
                }
                let names = try FileManager.default.contentsOfDirectory(atPath: directory)
                    .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix("kustomization.") }.sorted()
                files += names.map { "\(directory)/\($0)" }
            }
            return files
        }

        private func fail(_ status: Int32, _ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("fleetcast-dev dev-cluster: \(message)\n".utf8))
            return ExitCode(status)
        }
    }
}
