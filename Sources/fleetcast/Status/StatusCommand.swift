import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Forecasting
import Foundation
import KubeAPI
import KubeClient
import Operator

/// `fleetcast status`: the state of GPUPools in a live cluster, read from their status and history.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show GPUPools in a cluster: nodes, demand, plan reason, next schedule and a forecast chart.",
        discussion: """
            Reads GPUPools (and, for the chart, each pool's demand-history ConfigMap, kept in the \
            operator's namespace, --history-namespace) with the given kubeconfig. Without a POOL every \
            pool of the namespace is listed; -A lists all namespaces.

            Exit codes: 0 success; 1 the named pool does not exist; 2 usage, configuration or API error.
            """)

    @Argument(help: "A pool name; all pools when omitted.")
    var pool: String?

    @Option(name: [.short, .long], help: "Namespace. Default: the context's namespace.")
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "List pools in all namespaces.")
    var allNamespaces = false

    @Option(help: "The operator's namespace, where it keeps the pools' demand history.")
    var historyNamespace = "fleetcast-system"

    @Option(help: "Path to a kubeconfig. Default: $KUBECONFIG or ~/.kube/config.")
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use.")
    var context: String?

    func validate() throws {
        if allNamespaces, pool != nil { throw ValidationError("a POOL name cannot be combined with -A") }
    }

    func run() async throws {
        let client: KubeClient
        let defaultNamespace: String
        do {
            let configuration = try KubeconfigLoader(explicitPath: kubeconfig).configuration(context: context)
            client = KubeClient(configuration: configuration)
            defaultNamespace = configuration.namespace
            if let warning = InsecureTLSWarning.warningLine(configuration) {
                FileHandle.standardError.write(Data("fleetcast status: \(warning)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("fleetcast status: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usageOrIO)
        }
        let scope = allNamespaces ? nil : (namespace ?? defaultNamespace)
        var pools: [GPUPool]
        do {
            pools = try await client.list(GPUPool.descriptor, namespace: scope, options: ListOptions(), as: GPUPool.self).items
        } catch {
            FileHandle.standardError.write(Data("fleetcast status: cannot list GPUPools: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usageOrIO)
        }
        if let pool {
            pools = pools.filter { $0.metadata.name == pool }
            guard let found = pools.first else {
                FileHandle.standardError.write(Data("fleetcast status: GPUPool \(scope ?? "")/\(pool) not found\n".utf8))
                throw ExitCode(ExitStatus.invalid)
            }
            print(PoolStatusText.details(found))
            let poolNamespace = found.metadata.namespace ?? ""
            // Where the operator keeps it; else where an operator from before the move kept it.
            let history = try? await client.get(ConfigMap.descriptor, name: HistoryStorage.configMapName(poolNamespace: poolNamespace, pool: pool),
                                                namespace: historyNamespace, subresource: nil, as: ConfigMap.self)
            let legacyHistory = history != nil ? nil : try? await client.get(
                ConfigMap.descriptor, name: HistoryStorage.legacyConfigMapName(forPool: pool), namespace: poolNamespace,
                subresource: nil, as: ConfigMap.self)
            if let chart = (history ?? legacyHistory).flatMap({ PoolStatusText.chart(pool: found, historyMap: $0, now: Date()) }) {
                print(chart)
            }
            return
        }
        print(PoolStatusText.table(pools, showNamespace: allNamespaces))
    }
}
