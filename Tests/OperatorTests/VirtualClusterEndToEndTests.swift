import ControllerRuntime
import FleetcastAPI
import FleetcastTesting
import Foundation
import KubeAPI
import KubeClient
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// The reconciler against the in-process virtual cluster over HTTPS, through the real client and
    /// informers: the CRDs from the repository, a MachineDeployment with a `/scale` subresource, and
    /// time from a manual clock so schedules are where the test puts them.
    @Suite struct VirtualClusterEndToEndTests {
        /// A retraining window at ten past every hour needing 16 GPUs (two nodes), with 12-minute start-ups.
        static func poolYAML(mode: String = "Active", nodes: String = "max: 10") -> String {
            OperatorTestCluster.poolYAML(mode: mode, nodes: nodes, extra: """
                  startup: {expected: 12m}
                  schedules:
                  - {name: retrain, cron: "10 * * * *", duration: 30m, gpus: 16}
                """)
        }

        /// (a) The manual clock starts at 08:00 UTC; the window opens at 08:10 and nodes take 12 minutes,
        /// so the MachineDeployment is scaled to the schedule's 2 nodes now, with no pod yet.
        @Test func scheduleScalesTheTargetUpAhead() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML())
            defer { Task { await environment.stop() } }
            let result = try await environment.reconcile()
            #expect(result == .requeue(after: .seconds(30)))
            #expect(try await environment.replicas() == 2)
            let pool = try await environment.pool()
            #expect(pool.status?.nodes?.desired == 2)
            #expect(pool.status?.nextSchedule?.name == "retrain")
            #expect(pool.status?.observedGeneration == pool.metadata.generation)
            #expect(pool.status?.conditions?[type: "Ready"]?.status == .true)
            #expect(try await environment.eventReasons().contains("ScaledUp"))
            // The history ConfigMap exists in the operator's namespace and names its pool.
            let map = try await environment.client.get(ConfigMap.descriptor, name: "gpu.a100.demand-history",
                                                       namespace: OperatorTestCluster.historyNamespace, subresource: nil, as: ConfigMap.self)
            #expect(map.metadata.annotations?[HistoryConfigMap.poolUIDAnnotation] == pool.metadata.uid)
            #expect(map.metadata.annotations?[HistoryConfigMap.poolAnnotation] == "gpu/a100")
            #expect(map.data?[HistoryConfigMap.historyKey] != nil)
        }

        /// (d) ForecastOnly: the plan is published in status; the target keeps its replicas.
        @Test func forecastOnlyWritesStatusButNotTheTarget() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML(mode: "ForecastOnly"))
            defer { Task { await environment.stop() } }
            try await environment.reconcile()
            #expect(try await environment.replicas() == 0)
            let pool = try await environment.pool()
            #expect(pool.status?.nodes?.desired == 2)
            #expect(pool.status?.conditions?[type: "ScalingActive"]?.reason == "ForecastOnlyMode")
            #expect(try await !environment.eventReasons().contains("ScaledUp"))
        }

        /// (e) A rule the CRD states in CEL (which this API server, like one without the schema, does
        /// not enforce) is caught by the operator: condition with the field path, event, no actuation.
        @Test func invalidSpecGetsTheConditionAndNoActuation() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML(nodes: "min: 4\n    max: 2"))
            defer { Task { await environment.stop() } }
            let result = try await environment.reconcile()
            #expect(result == .done)
            #expect(try await environment.replicas() == 0)
            let ready = try #require(try await environment.pool().status?.conditions?[type: "Ready"])
            #expect(ready.status == .false)
            #expect(ready.reason == "InvalidSpec")
            #expect(ready.message.contains("spec.nodes.max"), "\(ready.message)")
            #expect(try await environment.eventReasons().contains("InvalidSpec"))
        }
    }
}

extension OperatorEndToEnd.VirtualClusterEndToEndTests {
    /// Counts the unary requests a client sends, by verb.
    final class RequestCounter: KubeRequestObserver {
        private let counts = LockedValue<[String: Int]>([:])

        func requestFinished(_ request: ObservedRequest) {
            guard !request.isWatch else { return }
            counts.withLock { $0[request.verb, default: 0] += 1 }
        }

        func take() -> [String: Int] {
            counts.withLock { counts in
                defer { counts = [:] }
                return counts
            }
        }
    }

    /// A steady reconcile reads the pool from the informer's cache, as controller-runtime's cached
    /// client does: its one API request is the target's `/scale` read (nothing changed, so no write,
    /// and the history writer saved this bin already).
    /// The first reconcile scales up; the second publishes "Holding 2 nodes" (the plan is measured
    /// against the replicas asked for, so it no longer reads as a scale-up); the third is steady.
    @Test func aSteadyReconcileReadsOnlyTheTargetFromTheAPIServer() async throws {
        let environment = try await OperatorTestCluster.start(poolYAML: Self.poolYAML())
        defer { Task { await environment.stop() } }
        let counter = RequestCounter()
        let client = KubeClient(configuration: environment.kubeconfig, observer: counter)
        let reconciler = environment.reconciler(client: client)
        try await environment.cachesCaughtUp()
        for _ in 0..<2 {
            try await reconciler.reconcileAndSave(OperatorTestCluster.key)
            try await environment.cachesCaughtUp()
        }
        _ = counter.take()
        try await reconciler.reconcileAndSave(OperatorTestCluster.key)
        #expect(counter.take() == ["GET": 1])
        #expect(await reconciler.history.writes == 1)
    }
}
