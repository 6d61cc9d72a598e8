import ControllerRuntime
import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

extension OperatorEndToEnd {
    /// (C) A shared pool: demand comes from every namespace whose labels match the pool's
    /// `namespaceSelector`, seen through the operator's cluster-wide pod and namespace informers; a
    /// namespace that gains the label starts counting at the next reconcile.
    @Suite struct NamespaceDemandEndToEndTests {
        @Test func podsOfSelectedNamespacesAreDemandAndALabelChangeCounts() async throws {
            let yaml = OperatorTestCluster.poolYAML(mode: "ForecastOnly").replacingOccurrences(
                of: "selector: {matchLabels: {app: train}}",
                with: "selector: {matchLabels: {app: train}}\n      namespaceSelector: {matchLabels: {fleetcast.dev/gpu-tenant: \"true\"}}")
            let environment = try await OperatorTestCluster.start(poolYAML: yaml, manifests: """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-a, labels: {fleetcast.dev/gpu-tenant: "true"}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-b}
                """)
            defer { Task { await environment.stop() } }
            for (name, namespace, gpus) in [("a", "team-a", 2), ("b", "team-b", 4), ("own", "gpu", 1)] {
                try await environment.cluster.apply(manifestYAML: """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: \(name), namespace: \(namespace), labels: {app: train}}
                    spec:
                      containers:
                      - name: main
                        image: trainer
                        resources: {limits: {nvidia.com/gpu: "\(gpus)"}}
                    """, file: "\(name).yaml")
            }

            try await environment.reconcile()
            #expect(try await environment.pool().status?.demand?.gpus == 2, "only team-a is selected; not even the pool's own namespace")

            _ = try await environment.cluster.serve(method: "PATCH", path: "/api/v1/namespaces/team-b",
                                                    body: Data(#"{"metadata":{"labels":{"fleetcast.dev/gpu-tenant":"true"}}}"#.utf8))
            try await environment.tick()
            #expect(try await environment.pool().status?.demand?.gpus == 6)
        }
    }
}
