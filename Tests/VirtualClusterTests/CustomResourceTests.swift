import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// CRDs at run time: serving, schema validation (422 with field paths), defaulting, pruning,
/// subresources, and the full upstream MachineDeployment CRD.
@Suite("Custom resources")
struct CustomResourceTests {
    static let machineDeployments = "/apis/cluster.x-k8s.io/v1beta2/namespaces/default/machinedeployments"

    static func machineDeployment(_ name: String, replicas: Int = 1) -> String {
        #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"\#(name)"},"spec":{"clusterName":"c","replicas":\#(replicas)}}"#
    }

    @Test("the project's infrastructure CRDs are served with discovery entries and scale")
    func infrastructureCRDs() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            try await test.loadFile("hack/dev/crds/autoscaling.x-k8s.io_capacitybuffers.yaml")
            let discovery = try await test.request("GET", "/apis", accept: Discovery.aggregatedContentType)
            #expect(discovery.headers["content-type"] == Discovery.aggregatedContentType)
            let groups = discovery.body["items"]?.arrayValue ?? []
            let capi = try #require(groups.first { $0.at("metadata.name") == .string("cluster.x-k8s.io") })
            #expect(capi["versions"]?.arrayValue?.map { $0["version"]?.stringValue } == ["v1beta2", "v1beta1"])

            let created = try await test.create(Self.machineDeployments, Self.machineDeployment("md", replicas: 2))
            #expect(created.at("metadata.generation") == .int(1))
            let old = try await test.request("GET", "/apis/cluster.x-k8s.io/v1beta1/namespaces/default/machinedeployments/md")
            #expect(old.body["apiVersion"] == .string("cluster.x-k8s.io/v1beta1"))

            let scale = try await test.request("PATCH", Self.machineDeployments + "/md/scale", json: #"{"spec":{"replicas":0}}"#,
                                               contentType: "application/merge-patch+json")
            #expect(scale.code == 200)
            #expect(scale.body["kind"] == .string("Scale"))
            #expect(scale.body["spec"] == .object([:]))
            let after = try await test.request("GET", Self.machineDeployments + "/md")
            #expect(after.body.at("spec.replicas") == .int(0))
            #expect(after.body.at("metadata.generation") == .int(2))

            let buffer = try await test.create("/apis/autoscaling.x-k8s.io/v1alpha1/namespaces/default/capacitybuffers",
                                               #"{"apiVersion":"autoscaling.x-k8s.io/v1alpha1","kind":"CapacityBuffer","metadata":{"name":"b"},"spec":{"replicas":3}}"#)
            #expect(buffer.at("spec.provisioningStrategy") == .string("buffer.x-k8s.io/active-capacity"))
        }
    }

    @Test("schema violations answer 422 naming each field as the real server words it")
    func validation() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            let invalid = #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"bad"},"spec":{"replicas":-1}}"#
            let reply = try await test.request("POST", Self.machineDeployments, json: invalid)
            #expect(reply.code == 422)
            #expect(reply.body["reason"] == .string("Invalid"))
            let causes = reply.body.at("details.causes")?.arrayValue ?? []
            #expect(Set(causes.compactMap { $0["field"]?.stringValue }) == ["spec.clusterName", "spec.replicas"])
            #expect(reply.body["message"]?.stringValue?.hasPrefix(#"MachineDeployment.cluster.x-k8s.io "bad" is invalid: ["#) == true)
            #expect(reply.text.contains("spec.replicas in body should be greater than or equal to 0"))

            let wrongType = #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"bad"},"spec":{"clusterName":"c","replicas":"two"}}"#
            let typed = try await test.request("POST", Self.machineDeployments, json: wrongType)
            #expect(typed.code == 422)
            #expect(typed.text.contains(#"spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""#))
        }
    }

    @Test("unknown fields are pruned, or rejected with fieldValidation=Strict")
    func pruning() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            let extra = #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"x"},"spec":{"clusterName":"c","bogus":1,"template":{"kept":true}}}"#
            let strict = try await test.request("POST", Self.machineDeployments + "?fieldValidation=Strict", json: extra)
            #expect(strict.code == 400)
            #expect(strict.text.contains(#"unknown field \"spec.bogus\""#))
            let pruned = try await test.create(Self.machineDeployments, extra)
            #expect(pruned.at("spec.bogus") == nil)
            #expect(pruned.at("spec.template.kept") == .bool(true))
        }
    }

    @Test("custom resources answer 415 to strategic merge patches")
    func strategicMergeRejected() async throws {
        try await TestCluster.with { test in
            try await test.loadFile("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml")
            try await test.create(Self.machineDeployments, Self.machineDeployment("md"))
            let reply = try await test.request("PATCH", Self.machineDeployments + "/md", json: #"{"spec":{"replicas":2}}"#,
                                               contentType: "application/strategic-merge-patch+json")
            #expect(reply.code == 415)
            #expect(reply.body["reason"] == .string("UnsupportedMediaType"))
        }
    }

    @Test("the full upstream MachineDeployment CRD is served, validated and scaled")
    func upstreamMachineDeployment() async throws {
        try await TestCluster.with { test in
            let fixture = try #require(sharedFixture("cluster.x-k8s.io_machinedeployments.trimmed.yaml"),
                                       "../shared/fixtures is missing (it sits beside the package root in CI)")
            try await test.cluster.apply(manifestYAML: try String(contentsOf: fixture, encoding: .utf8), file: fixture.path)
            let md = #"{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment","metadata":{"name":"gpu"},"spec":{"clusterName":"c","replicas":1,"selector":{"matchLabels":{"pool":"gpu"}},"template":{"metadata":{"labels":{"pool":"gpu"}},"spec":{"clusterName":"c","bootstrap":{"dataSecretName":"s"},"infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"DockerMachineTemplate","name":"t"}}}}}"#
            let created = try await test.request("POST", Self.machineDeployments, json: md)
            #expect(created.code == 201, "\(created.text)")
            let scale = try await test.request("GET", Self.machineDeployments + "/gpu/scale")
            #expect(scale.body.at("spec.replicas") == .int(1))
            let table = try await test.request("GET", Self.machineDeployments, accept: "application/json;as=Table;v=v1;g=meta.k8s.io")
            let columns = table.body["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(columns.first == "Name")
            #expect(columns.contains("Cluster"))
        }
    }
}
