import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Logging
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// The GPUPool watch against the virtual cluster: the operator's own status writes come back as
    /// watch updates and must not enqueue the pool again; spec, label and annotation edits must.
    @Suite struct PoolWatchFilterEndToEndTests {
        @Test func ownStatusWritesDoNotEnqueueThePoolButEditsDo() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: OperatorTestCluster.poolYAML())
            defer { Task { await environment.stop() } }
            let enqueued = LockedValue<[ObjectKey]>([])
            let watches = PoolWatches(client: environment.client, namespace: nil, logger: Logger(label: "e2e")) { key in
                enqueued.withLock { $0.append(key) }
            }
            let task = Task { _ = try? await watches.run() }
            defer { task.cancel() }
            try await watches.pools.waitUntilSynced()
            let pool = OperatorTestCluster.key
            func times(_ key: ObjectKey) -> Int { enqueued.value.filter { $0 == key }.count }
            // One watch stream carries every pool's changes in order, so once a pool created after a
            // change is enqueued, that change has been handled too: no waiting for something not to happen.
            var barriers = 0
            func barrier() async throws {
                barriers += 1
                let name = "barrier-\(barriers)"
                try await environment.cluster.apply(manifestYAML: OperatorTestCluster.poolYAML().replacingOccurrences(
                    of: "metadata: {name: a100, namespace: gpu}", with: "metadata: {name: \(name), namespace: gpu}"), file: "\(name).yaml")
                try await eventually("\(name) is enqueued") { times(ObjectKey(namespace: "gpu", name: name)) == 1 }
            }
            try await barrier()
            #expect(times(pool) == 1, "the pool's add, replayed to the subscriber")

            // The operator's status write: the pool's cached copy follows, but it is not enqueued.
            let api = KubeGPUPoolAPI(client: environment.client, pools: watches.pools, historyNamespace: OperatorTestCluster.historyNamespace)
            try await api.writeStatus(GPUPoolStatus(observedGeneration: 1), namespace: pool.namespace, name: pool.name)
            try await barrier()
            #expect(watches.pools.get(namespace: pool.namespace, name: pool.name)?.object?.resourceVersion
                    == (try await environment.pool()).metadata.resourceVersion)
            #expect(times(pool) == 1)

            // An annotation, a label and a spec edit each enqueue it.
            let edits = [
                #"{"metadata":{"annotations":{"fleetcast.dev/note":"tune"}}}"#,
                #"{"metadata":{"labels":{"team":"ml"}}}"#,
                #"{"spec":{"nodes":{"max":12}}}"#,
            ]
            for (index, edit) in edits.enumerated() {
                _ = try await environment.client.patch(GPUPool.descriptor, name: pool.name, namespace: pool.namespace, type: .merge,
                                                       body: Data(edit.utf8), as: JSONValue.self)
                try await barrier()
                #expect(times(pool) == 2 + index, "after \(edit)")
            }
        }
    }
}
