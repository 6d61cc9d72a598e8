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
    /// (g) Two operator replicas, each with its own client, informers and controller, electing a leader
    /// on a real `coordination.k8s.io/v1` Lease in the virtual cluster with client-go's timing, on the
    /// shared manual clock. Only the leader reconciles and writes the target; when it stops it releases
    /// the lease and the other replica takes over at its next retry.
    @Suite struct LeaderElectionEndToEndTests {
        /// One replica of the operator as `fleetcast operator --leader-elect` composes it.
        struct Replica {
            let identity: String
            let pools: GPUPoolOperator
            let elector: LeaderElector<ManualClock>
            let watchTask: Task<Void, Never>
            let leaderTask: Task<Void, Never>

            static func start(_ identity: String, in environment: OperatorTestCluster) throws -> Replica {
                let client = KubeClient(configuration: environment.kubeconfig)
                let clock = environment.clock
                let logger = Logger(label: identity)
                let pools = GPUPoolOperator(client: client, namespace: nil, tick: .seconds(30), workers: 1, identity: identity, logger: logger,
                                            metricsFactory: nil, staleObservationLimit: .seconds(60),
                                            historyNamespace: OperatorTestCluster.historyNamespace, clock: clock, now: { clock.date })
                let elector = try LeaderElector(
                    configuration: LeaderElectionConfiguration(identity: identity),
                    store: KubeLeaseStore(client: client, namespace: "gpu", name: "fleetcast-operator-leader"),
                    clock: clock, wallClock: { clock.date }, randomFraction: { 0 }, logger: logger)
                let watchTask = Task { _ = try? await pools.watches.run() }
                let leaderTask = Task { _ = try? await LeaderElectedService(elector: elector, services: [pools.controller]).run() }
                return Replica(identity: identity, pools: pools, elector: elector, watchTask: watchTask, leaderTask: leaderTask)
            }

            /// Stops leading (releasing the lease if held), then stops the informers.
            func stop() async {
                leaderTask.cancel()
                await leaderTask.value
                watchTask.cancel()
                await watchTask.value
            }
        }

        @Test func onlyTheLeaderWritesTheTargetAndTheOtherTakesOverWhenItStops() async throws {
            let environment = try await OperatorTestCluster.start(poolYAML: VirtualClusterEndToEndTests.poolYAML())
            defer { Task { await environment.stop() } }

            let a = try Replica.start("operator-a", in: environment)
            try await eventually("operator-a holds the lease") { try await holder(environment) == "operator-a" }
            // The schedule at 08:10 with 12-minute start-ups needs 2 nodes now.
            try await eventually("operator-a scales the target") { try await environment.replicas() == 2 }

            let b = try Replica.start("operator-b", in: environment)
            defer { Task { await b.stop() } }
            try await eventually("operator-b sees operator-a leading") { await b.elector.leader == "operator-a" }

            // Someone scales the target down and touches the pool: both replicas' informers see the
            // change, but only the leader reconciles and puts the target back.
            try await environment.setReplicas(0)
            let touched = try await touchPool(environment, value: "1")
            try await eventually("operator-a restores the target") { try await environment.replicas() == 2 }
            try await eventually("operator-b's informer sees the touched pool") {
                b.pools.watches.pools.list().contains { $0.metadata.annotations?["e2e/touch"] == "1" && $0.metadata.resourceVersion.map { Int($0) ?? 0 >= touched } == true }
            }
            #expect(await b.pools.memories.count == 0)
            #expect(await a.pools.memories.count == 1)
            let writersWhileALeads = Set(try await environment.events().compactMap(\.reportingInstance))
            #expect(writersWhileALeads == ["operator-a"])

            // operator-a stops: it releases the lease (no holder, one-second duration).
            await a.stop()
            let released = try await lease(environment)
            #expect(released.spec?.holderIdentity == "")
            #expect(released.spec?.leaseDurationSeconds == 1)

            // With nobody leading, the target drifts; operator-b takes the lease at its next retry
            // (2 s on the manual clock) and reconciles the pool it has been watching all along.
            try await environment.setReplicas(0)
            try await eventually("operator-b takes the lease") {
                environment.clock.advance(by: .seconds(1))
                return try await holder(environment) == "operator-b"
            }
            try await eventually("operator-b restores the target") { try await environment.replicas() == 2 }
            #expect(try await lease(environment).spec?.leaseTransitions == 1)
            try await eventually("operator-b records its ScaledUp event") {
                try await environment.events().contains { $0.reason == "ScaledUp" && $0.reportingInstance == "operator-b" }
            }
            #expect(await b.pools.memories.count == 1)
        }

        private func lease(_ environment: OperatorTestCluster) async throws -> Lease {
            try await environment.client.get(Lease.descriptor, name: "fleetcast-operator-leader", namespace: "gpu", subresource: nil, as: Lease.self)
        }

        private func holder(_ environment: OperatorTestCluster) async throws -> String? {
            do {
                return try await lease(environment).spec?.holderIdentity
            } catch KubeError.notFound {
                return nil
            }
        }

        /// Sets an annotation on the pool (a metadata-only change every pool informer sees); returns
        /// the pool's new resourceVersion.
        private func touchPool(_ environment: OperatorTestCluster, value: String) async throws -> Int {
            let data = try await environment.cluster.serve(
                method: "PATCH", path: "/apis/fleetcast.dev/v1alpha1/namespaces/gpu/gpupools/a100",
                body: Data(#"{"metadata":{"annotations":{"e2e/touch":"\#(value)"}}}"#.utf8))
            let pool = try JSONDecoder().decode(GPUPool.self, from: data)
            return Int(pool.metadata.resourceVersion ?? "") ?? 0
        }
    }
}
