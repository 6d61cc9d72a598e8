import Foundation
import KubeAPI
import Synchronization
@testable import VirtualCluster

/// A fresh API per input (so every crash reproduces from its input alone), holding two CRDs from the
/// repository (MachineDeployment with its scale subresource, GPUPool with its full schema) and one
/// object of each kind a patch would usually meet: a Deployment, a Pod, a ConfigMap, a MachineDeployment,
/// a GPUPool. The seed requests are parsed once and replayed as JSON.
enum ClusterFixture {
    static let seedRequests: [(path: String, body: Data)] = {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../..").standardizedFileURL
        func yamlFile(_ relative: String) -> Data {
            let url = repository.appendingPathComponent(relative)
            guard let text = try? Data(contentsOf: url), let value = try? ApplyPatch.parse(text) else {
                fatalError("fuzz fixture \(url.path) is missing or not YAML")
            }
            return Data(value.jsonText.utf8)
        }
        let crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        return [
            (crds, yamlFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")),
            (crds, yamlFile("crds/fleetcast.dev_gpupools.yaml")),
            ("/apis/apps/v1/namespaces/default/deployments", Data(#"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80}],
             "resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}}}
            """#.utf8)),
            ("/api/v1/namespaces/default/pods", Data(#"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"web","tier":"gpu"}},
             "spec":{"containers":[{"name":"c","image":"busybox","resources":{"requests":{"nvidia.com/gpu":"2","cpu":"500m"},"limits":{"nvidia.com/gpu":"2"}}}],
             "tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]}}
            """#.utf8)),
            ("/api/v1/namespaces/default/configmaps", Data(#"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"two"}}
            """#.utf8)),
            ("/apis/cluster.x-k8s.io/v1beta1/namespaces/default/machinedeployments", Data(#"""
            {"apiVersion":"cluster.x-k8s.io/v1beta1","kind":"MachineDeployment","metadata":{"name":"md"},
             "spec":{"clusterName":"dev","replicas":1,"selector":{"matchLabels":{"pool":"a"}},
             "template":{"metadata":{"labels":{"pool":"a"}},"spec":{"clusterName":"dev","bootstrap":{"dataSecretName":"x"},
             "infrastructureRef":{"apiVersion":"v1","kind":"ConfigMap","name":"c"}}}}}
            """#.utf8)),
            ("/apis/fleetcast.dev/v1alpha1/namespaces/default/gpupools", Data(#"""
            {"apiVersion":"fleetcast.dev/v1alpha1","kind":"GPUPool","metadata":{"name":"a100"},
             "spec":{"target":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
             "nodes":{"selector":{"matchLabels":{"pool":"a100"}},"gpusPerNode":8,"min":0,"max":10},"demand":{"pods":{"selector":{"matchLabels":{"app":"web"}}}}}}
            """#.utf8)),
        ]
    }()

    /// The API left by the previous input if it is still exactly the fixture, else a fresh one.
    /// Building one costs two CRD registrations, which would otherwise dominate every input.
    static func pristineAPI() -> ClusterAPI {
        cached.withLock { cache in
            if let (api, revision) = cache, api.store.currentRevision == revision { return api }
            let api = freshAPI()
            cache = (api, api.store.currentRevision)
            return api
        }
    }

    /// Hands the API back after an input: kept for the next one only if nothing was written.
    static func release(_ api: ClusterAPI) {
        cached.withLock { cache in
            if let (kept, revision) = cache, kept !== api || kept.store.currentRevision != revision { cache = nil }
        }
    }

    private static let cached = Mutex<(ClusterAPI, Int64)?>(nil)

    static func freshAPI() -> ClusterAPI {
        let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_750_000_000) }
        let store = ObjectStore(historyCapacity: 100, clock: clock)
        let api = ClusterAPI(store: store, registry: ResourceRegistry(), snapshots: ListSnapshots(lifetime: .seconds(300)),
                             faults: FaultInjector(), bookmarkInterval: .seconds(60), serverAddress: "127.0.0.1",
                             tokens: TokenRegistry(["fuzz-admin-token": "admin"], clock: clock))
        do {
            try api.createInitialNamespaces()
        } catch {
            fatalError("fuzz fixture: namespaces: \(error)")
        }
        for seed in seedRequests {
            let request = APIRequest(method: "POST", path: seed.path, query: [:], accept: "application/json",
                                     contentType: "application/json", body: seed.body, user: "admin")
            let response = wait { await api.handle(request) }
            guard response.code == 201 else {
                fatalError("fuzz fixture: POST \(seed.path) answered \(response.code): \(response.body)")
            }
        }
        return api
    }

    /// Runs an async call to completion from the synchronous fuzz entry point.
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await operation()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
