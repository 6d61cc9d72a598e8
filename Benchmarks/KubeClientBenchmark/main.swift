// Measures the Kubernetes client against the virtual cluster (hack/bench/kube-client.sh drives it).
//   KubeClientBenchmark serve DIR     start a cluster, seed 10,000 pods and 500 nodes, write DIR/kubeconfig,
//                                     then serve until DIR/stop exists
//   KubeClientBenchmark client DIR    list+decode and watch throughput against it
//   KubeClientBenchmark informer DIR  informer memory for 10,000 pods + 500 nodes, alone in its process
//   KubeClientBenchmark decode FILE   decode a saved 10,000-pod list body alone (profiling)
import Foundation
import KubeAPI
import KubeClient
import VirtualCluster

let podCount = 10_000
let nodeCount = 500

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kube-client-bench: \(message)\n".utf8))
    exit(2)
}

func samplePod(_ index: Int) -> Pod {
    let meta = ObjectMeta(
        name: String(format: "trainer-%05d", index), namespace: "default",
        labels: ["app": "trainer", "fleetcast.dev/pool": "a100-serving", "shard": String(index % 16)],
        annotations: ["fleetcast.dev/owner": "benchmark"]
    )
    let resources = ResourceRequirements(
        limits: ["nvidia.com/gpu": "1", "cpu": "8", "memory": "64Gi"],
        requests: ["nvidia.com/gpu": "1", "cpu": "8", "memory": "64Gi"]
    )
    var spec = PodSpec(
        containers: [Container(name: "trainer", image: "registry.example/ml/trainer:2026.11", resources: resources)],
        nodeSelector: ["fleetcast.dev/pool": "a100-serving"],
        priorityClassName: "gpu-batch",
        tolerations: [Toleration(key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule")]
    )
    spec.schedulerName = "default-scheduler"
    return Pod(metadata: meta, spec: spec)
}

func sampleNode(_ index: Int) -> KubeNode {
    let meta = ObjectMeta(name: String(format: "gpu-node-%04d", index), labels: ["fleetcast.dev/pool": "a100-serving", "node.kubernetes.io/instance-type": "a2-highgpu-8g"])
    return KubeNode(
        metadata: meta,
        spec: NodeSpec(providerID: "gce://project/zone/gpu-node-\(index)", taints: [Taint(key: "nvidia.com/gpu", value: "present", effect: "NoSchedule")]),
        status: NodeStatus(
            capacity: ["nvidia.com/gpu": "8", "cpu": "96", "memory": "1360Gi", "pods": "110"],
            allocatable: ["nvidia.com/gpu": "8", "cpu": "95", "memory": "1350Gi", "pods": "110"],
            conditions: [NodeCondition(type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status")]
        )
    )
}

func inParallel(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<workers {
            group.addTask {
                for index in stride(from: worker, to: count, by: workers) { try await body(index) }
            }
        }
        try await group.waitForAll()
    }
}

func serve(directory: String) async throws {
    var configuration = VirtualClusterConfiguration()
    configuration.httpPort = nil
    configuration.watchHistoryCapacity = 50_000
    let cluster = try await VirtualCluster.start(configuration)
    var clientConfiguration = ClientConfiguration(server: cluster.httpsURL.absoluteString, tls: TLSSettings(certificateAuthorityPEM: Data(cluster.caCertificatePEM.utf8)), authentication: .bearerToken(cluster.adminToken))
    clientConfiguration.rateLimit = .unlimited
    let client = KubeClient(configuration: clientConfiguration)
    try await inParallel(podCount, workers: 16) { _ = try await client.create(samplePod($0)) }
    try await inParallel(nodeCount, workers: 16) { _ = try await client.create(sampleNode($0)) }
    try cluster.writeKubeconfig(to: directory + "/kubeconfig")
    while !FileManager.default.fileExists(atPath: directory + "/stop") {
        try await Task.sleep(nanoseconds: 100_000_000)
    }
    await cluster.shutdown()
}

/// A `/proc/self/status` size in bytes: `VmRSS:` now, `VmHWM:` the peak.
func residentBytes(field: String = "VmRSS:") -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
          let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes * 1024
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func measure(runs: Int, _ body: () async throws -> Void) async throws -> [Double] {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return times
}

func client(directory: String) async throws {
    var configuration = try KubeconfigLoader(explicitPath: directory + "/kubeconfig", environment: [:]).configuration()
    configuration.rateLimit = .unlimited
    let client = KubeClient(configuration: configuration)

    // 1. list + decode, unpaginated and in pages of 500.
    var count = 0
    let whole = try await measure(runs: 7) { count = try await client.list(Pod.self, namespace: "default").items.count }
    guard count == podCount else { fail("listed \(count) pods, want \(podCount)") }
    let paged = try await measure(runs: 7) { count = try await client.list(Pod.self, namespace: "default", options: ListOptions(limit: 500)).items.count }
    // Where the time goes: the raw transfer (server rendering + TLS + libcurl into memory) and the
    // decode of that body alone.
    var body = Data()
    let transfer = try await measure(runs: 7) { body = try await client.send(APIRequest(method: .get, path: "/api/v1/namespaces/default/pods")).body }
    let decodeOnly = try await measure(runs: 7) { count = try KubeJSONDecoder().decode(ObjectList<Pod>.self, from: body).items.count }
    guard count == podCount else { fail("decoded \(count) pods, want \(podCount)") }
    let foundationDecode = try await measure(runs: 3) { count = try JSONDecoder().decode(ObjectList<Pod>.self, from: body).items.count }
    guard count == podCount else { fail("JSONDecoder decoded \(count) pods, want \(podCount)") }
    print(String(format: "list_whole_median_s %.4f", median(whole)))
    print(String(format: "list_transfer_median_s %.4f", median(transfer)))
    print(String(format: "list_decode_median_s %.4f", median(decodeOnly)))
    print(String(format: "list_decode_jsondecoder_median_s %.4f", median(foundationDecode)))
    print(String(format: "list_body_mb %.1f", Double(body.count) / 1_048_576))
    print(String(format: "list_whole_fastest_s %.4f", whole.min() ?? 0))
    print(String(format: "list_paged_median_s %.4f", median(paged)))

    // 2. watch throughput: a watch from resourceVersion "0" replays every pod as an ADDED event.
    var events = 0
    let watchTimes = try await measure(runs: 3) {
        events = 0
        let stream = try await client.watch(Pod.self, namespace: "default", options: ListOptions(resourceVersion: "0"), allowBookmarks: false)
        for try await _ in stream {
            events += 1
            if events == podCount { break }
        }
    }
    print(String(format: "watch_events_per_s %.0f", Double(podCount) / median(watchTimes)))
}

/// Informer memory in a process of its own (the server runs in another): RSS once the client has made
/// a request (libcurl, TLS and the runtime initialised), then after informers for 10,000 pods and 500
/// nodes have synced. Nothing else ran in this process, so the growth is the informers' own.
func informerMemory(directory: String) async throws {
    var configuration = try KubeconfigLoader(explicitPath: directory + "/kubeconfig", environment: [:]).configuration()
    configuration.rateLimit = .unlimited
    let client = KubeClient(configuration: configuration)
    _ = try await client.list(KubeNode.self, options: ListOptions(limit: 1))
    let before = residentBytes()
    let pods = Informer<Pod>(client: client, namespace: "default")
    let nodes = Informer<KubeNode>(client: client)
    let podRunner = Task { await pods.run() }
    let nodeRunner = Task { await nodes.run() }
    try await pods.waitUntilSynced()
    try await nodes.waitUntilSynced()
    guard pods.snapshot().count == podCount, nodes.snapshot().count == nodeCount else { fail("informer counts wrong") }
    let after = residentBytes()
    print(String(format: "informer_rss_growth_mb %.1f", Double(after - before) / 1_048_576))
    print(String(format: "informer_process_rss_mb %.1f", Double(after) / 1_048_576))
    print(String(format: "informer_process_peak_rss_mb %.1f", Double(residentBytes(field: "VmHWM:")) / 1_048_576))
    print(String(format: "informer_rss_before_mb %.1f", Double(before) / 1_048_576))
    podRunner.cancel()
    nodeRunner.cancel()
    await podRunner.value
    await nodeRunner.value
}

/// Decode alone, from a saved list body: KubeJSONDecoder and JSONDecoder on the same bytes (for
/// profiling the client's decode without a server).
func decode(file: String) async throws {
    let body = try Data(contentsOf: URL(fileURLWithPath: file))
    var count = 0
    let tape = try await measure(runs: 7) { count = try KubeJSONDecoder().decode(ObjectList<Pod>.self, from: body).items.count }
    let foundation = try await measure(runs: 3) { count = try JSONDecoder().decode(ObjectList<Pod>.self, from: body).items.count }
    print("decoded_items \(count)")
    print(String(format: "decode_median_s %.4f", median(tape)))
    print(String(format: "decode_jsondecoder_median_s %.4f", median(foundation)))
}

let arguments = CommandLine.arguments
guard arguments.count == 3, ["serve", "client", "informer", "decode"].contains(arguments[1]) else {
    fail("usage: KubeClientBenchmark serve|client|informer DIR | decode FILE")
}
do {
    switch arguments[1] {
    case "serve": try await serve(directory: arguments[2])
    case "client": try await client(directory: arguments[2])
    case "informer": try await informerMemory(directory: arguments[2])
    default: try await decode(file: arguments[2])
    }
} catch {
    fail("\(error)")
}
