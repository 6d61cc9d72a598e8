import Foundation
import FleetcastTesting
import KubeAPI
import Testing
import VirtualCluster
@testable import VirtualInfrastructure

/// A virtual cluster on a hand-moved clock with the dev CRDs installed and the infrastructure on
/// top: tests move time with `step(to:)` and read the cluster in-process.
struct InfrastructureHarness {
    static let origin = Date(timeIntervalSince1970: 1_800_000_000)

    let time: LockedValue<Date>
    let cluster: RunningVirtualCluster
    let infrastructure: VirtualInfrastructure
    let objects: ClusterObjects

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func start(pools: [NodePoolConfiguration], seed: UInt64 = 1) async throws -> InfrastructureHarness {
        let time = LockedValue(origin)
        var configuration = VirtualClusterConfiguration()
        configuration.httpPort = nil
        configuration.clock = { time.value }
        let cluster = try await VirtualCluster.start(configuration)
        let crds = repositoryRoot.appendingPathComponent("hack/dev/crds")
        for file in try FileManager.default.contentsOfDirectory(atPath: crds.path).sorted() where file.hasSuffix(".yaml") {
            let path = crds.appendingPathComponent(file).path
            try await cluster.apply(manifestYAML: try String(contentsOfFile: path, encoding: .utf8), file: path)
        }
        let infrastructure = VirtualInfrastructure(cluster: cluster, configuration: InfrastructureConfiguration(pools: pools, seed: seed))
        try await infrastructure.install()
        return InfrastructureHarness(time: time, cluster: cluster, infrastructure: infrastructure, objects: ClusterObjects(cluster: cluster))
    }

    /// Moves the clock to `seconds` after the origin and runs one step there.
    @discardableResult
    func step(to seconds: TimeInterval) async throws -> [InfrastructureEvent] {
        let now = Self.origin.addingTimeInterval(seconds)
        time.value = now
        return try await infrastructure.step(at: now)
    }

    /// Steps every `interval` seconds from `from` through `to`.
    func run(from: TimeInterval, to: TimeInterval, every interval: TimeInterval = 1) async throws {
        var seconds = from
        while seconds <= to {
            try await step(to: seconds)
            seconds += interval
        }
    }

    func nodes() async throws -> [KubeNode] {
        try await objects.list("/api/v1/nodes", as: KubeNode.self)
    }

    func pods() async throws -> [Pod] {
        try await objects.list("/api/v1/pods", as: Pod.self)
    }

    func pod(_ name: String, namespace: String = "default") async throws -> Pod {
        try await objects.get("/api/v1/namespaces/\(namespace)/pods/\(name)", as: Pod.self)
    }

    func machines(namespace: String = "default") async throws -> [JSONValue] {
        try await objects.list("/apis/cluster.x-k8s.io/v1beta2/namespaces/\(namespace)/machines", as: JSONValue.self)
    }

    func machineDeployment(_ name: String, namespace: String = "default") async throws -> JSONValue {
        try await objects.get("/apis/cluster.x-k8s.io/v1beta2/namespaces/\(namespace)/machinedeployments/\(name)", as: JSONValue.self)
    }

    /// `kubectl scale md NAME --replicas=N`, through the `/scale` subresource.
    func scale(_ name: String, to replicas: Int, namespace: String = "default") async throws {
        try await objects.mergePatch("/apis/cluster.x-k8s.io/v1beta2/namespaces/\(namespace)/machinedeployments/\(name)/scale",
                                     .object(["spec": .object(["replicas": .int(Int64(replicas))])]))
    }

    func create(_ collection: String, yaml: String) async throws {
        try await cluster.apply(manifestYAML: yaml, file: "test.yaml")
    }

    func shutdown() async {
        await cluster.shutdown()
    }
}

/// A GPU pool with fixed delays, tainted like real GPU node groups.
func gpuPool(_ name: String = "gpu-a", replicas: Int = 0, gpus: Int = 8, boot: TimeInterval = 120, gpuInit: TimeInterval = 60) -> NodePoolConfiguration {
    NodePoolConfiguration(machineDeployment: name, gpusPerNode: gpus, labels: ["fleetcast.dev/pool": name],
                          taints: [Taint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")],
                          bootDelay: .fixed(boot), gpuInitDelay: .fixed(gpuInit), initialReplicas: replicas)
}

/// A pod manifest requesting `gpus` whole GPUs, tolerating the GPU taint.
func gpuPodYAML(_ name: String, gpus: Int, priorityClass: String? = nil, nodeSelector: [String: String] = [:]) -> String {
    var text = """
    apiVersion: v1
    kind: Pod
    metadata: {name: \(name), namespace: default}
    spec:
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
      - name: main
        image: busybox
        resources: {limits: {nvidia.com/gpu: "\(gpus)"}}

    """
    if let priorityClass { text += "  priorityClassName: \(priorityClass)\n" }
    if !nodeSelector.isEmpty {
        text += "  nodeSelector: {" + nodeSelector.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}\n"
    }
    return text
}
