import Foundation
import KubeAPI
import Testing
import VirtualCluster
@testable import KubeClient

/// A minimal apps/v1 Deployment, defined here the way a user would define any resource type.
struct TestDeployment: KubernetesResource, Hashable {
    static let groupVersionResource = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    static let kind = "Deployment"
    static let scope = ResourceScope.namespaced

    struct Spec: Codable, Sendable, Hashable {
        var replicas: Int32?
        var selector: LabelSelector
        var template: JSONValue
    }

    struct Status: Codable, Sendable, Hashable {
        var replicas: Int32?
        var readyReplicas: Int32?
    }

    var apiVersion = "apps/v1"
    var kind = "Deployment"
    var metadata: ObjectMeta
    var spec: Spec
    var status: Status?

    init(name: String, replicas: Int32) {
        metadata = ObjectMeta(name: name, namespace: "default")
        spec = Spec(
            replicas: replicas,
            selector: LabelSelector(matchLabels: ["app": name]),
            template: .object(["metadata": .object(["labels": .object(["app": .string(name)])]),
                               "spec": .object(["containers": .array([.object(["name": .string("c"), "image": .string("busybox")])])])])
        )
    }
}

@Suite struct TypedAPITests {
    @Test func createGetUpdatePatchDelete() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            var created = try await client.create(configMap("settings", data: ["a": "1"], labels: ["team": "gpu"]))
            #expect(created.metadata.resourceVersion != nil)
            created.data?["b"] = "2"
            let updated = try await client.update(created)
            #expect(updated.data == ["a": "1", "b": "2"])

            let merged = try await client.patch(ConfigMap.self, name: "settings", type: .merge, body: ["data": ["a": JSONValue.null, "c": .string("3")]])
            #expect(merged.data == ["b": "2", "c": "3"])
            let jsonPatched = try await client.patch(ConfigMap.self, name: "settings", type: .json, body: [["op": "replace", "path": "/data/b", "value": "20"]])
            #expect(jsonPatched.data?["b"] == "20")
            let strategic = try await client.patch(ConfigMap.self, name: "settings", type: .strategicMerge, body: ["metadata": ["labels": ["tier": "x"]]])
            #expect(strategic.metadata.labels == ["team": "gpu", "tier": "x"])
            let applied = try await client.apply(configMap("applied", data: ["k": "v"]), fieldManager: "fleetcast")
            #expect(applied.data == ["k": "v"])

            let selected = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(selector: LabelSelector(matchLabels: ["team": "gpu"])))
            #expect(selected.items.map(\.metadata.name) == ["settings"])
            let byField = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(fieldSelector: "metadata.name=applied"))
            #expect(byField.items.map(\.metadata.name) == ["applied"])

            try await client.delete(ConfigMap.self, name: "settings", options: DeleteOptions(propagationPolicy: .background))
            await #expect { _ = try await client.get(ConfigMap.self, name: "settings") } throws: { isError($0) { if case .notFound = $0 { true } else { false } } }
        }
    }

    @Test func scaleAndStatusSubresources() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            var deployment = try await client.create(TestDeployment(name: "web", replicas: 2))
            let resource = TestDeployment.descriptor
            #expect(try await client.scale(resource, name: "web", namespace: "default").spec.replicas == 2)
            #expect(try await client.setScale(resource, name: "web", namespace: "default", replicas: 0).spec.replicas == 0)
            var scale = try await client.scale(resource, name: "web", namespace: "default")
            scale.spec.replicas = 5
            #expect(try await client.updateScale(resource, scale).spec.replicas == 5)
            // A Scale carrying a stale resourceVersion is refused.
            await #expect { _ = try await client.updateScale(resource, scale) } throws: { isError($0) { if case .conflict = $0 { true } else { false } } }

            deployment = try await client.get(TestDeployment.self, name: "web")
            #expect(deployment.spec.replicas == 5)
            deployment.status = TestDeployment.Status(replicas: 5, readyReplicas: 3)
            deployment.spec.replicas = 99
            let written = try await client.updateStatus(deployment)
            // /status takes only the status.
            #expect(written.status?.readyReplicas == 3)
            #expect(written.spec.replicas == 5)
        }
    }

    @Test func everyErrorIsTyped() async throws {
        try await withCluster { cluster in
            let client = cluster.client(retry: .never)
            _ = try await client.create(configMap("exists"))
            await #expect { _ = try await client.create(configMap("exists")) } throws: { isError($0) { if case .alreadyExists(let s) = $0 { s.details?.name == "exists" } else { false } } }

            var stale = try await client.get(ConfigMap.self, name: "exists")
            stale.data = ["x": "1"]
            _ = try await client.update(stale)
            stale.data = ["x": "2"]
            await #expect { _ = try await client.update(stale) } throws: { isError($0) { if case .conflict(let s) = $0 { s.code == 409 } else { false } } }

            let badGPU = Pod(metadata: ObjectMeta(name: "p", namespace: "default"), spec: PodSpec(containers: [
                Container(name: "c", image: "x", resources: ResourceRequirements(limits: ["nvidia.com/gpu": "2"], requests: ["nvidia.com/gpu": "1"])),
            ]))
            await #expect { _ = try await client.create(badGPU) } throws: {
                isError($0) { if case .invalid(let s) = $0 { s.details?.causes?.first?.field?.contains("nvidia.com/gpu") == true } else { false } }
            }
            await #expect { _ = try await client.list(ConfigMap.self, options: ListOptions(fieldSelector: "data.x=1")) } throws: { isError($0) { if case .badRequest(let s) = $0 { s.code == 400 } else { false } } }
            await #expect { try await client.delete(ConfigMap.self, name: "exists", options: DeleteOptions(preconditions: .init(uid: "wrong"))) } throws: { isError($0) { if case .conflict = $0 { true } else { false } } }

            cluster.faults.fail(RequestMatch(method: "GET"), code: 500)
            await #expect { _ = try await client.get(ConfigMap.self, name: "exists") } throws: { isError($0) { if case .serverError(let s, _) = $0 { s.code == 500 } else { false } } }
            cluster.faults.fail(RequestMatch(method: "GET"), code: 429, retryAfterSeconds: 3)
            await #expect { _ = try await client.get(ConfigMap.self, name: "exists") } throws: { isError($0) { if case .tooManyRequests(_, let after) = $0 { after == 3 } else { false } } }

            // Continue tokens expire on compaction: 410.
            for index in 0..<3 { _ = try await client.create(configMap("page-\(index)")) }
            let first = try await client.send(APIRequest(method: .get, path: "/api/v1/namespaces/default/configmaps", query: [QueryParameter("limit", "1")]))
            let token = try JSONDecoder().decode(ObjectList<ConfigMap>.self, from: first.body).metadata.continue ?? ""
            cluster.compactHistory()
            await #expect {
                _ = try await client.send(APIRequest(method: .get, path: "/api/v1/namespaces/default/configmaps", query: [QueryParameter("limit", "1"), QueryParameter("continue", token)]))
            } throws: { isError($0) { if case .gone = $0 { true } else { false } } }
        }
    }

    @Test func retriesHonourRetryAfterAndStopForNonIdempotentVerbs() async throws {
        try await withCluster { cluster in
            let retrying = cluster.client()
            let strict = cluster.client(retry: .never)
            _ = try await retrying.create(configMap("target"))

            // Two 503s with Retry-After, then success: the retrying client gets through.
            cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps/target"), code: 503, times: 2, retryAfterSeconds: 1)
            #expect(try await retrying.get(ConfigMap.self, name: "target").metadata.name == "target")
            // The same fault defeats a client without retries, proving the fault was really there.
            cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps/target"), code: 503, times: 1, retryAfterSeconds: 1)
            await #expect { _ = try await strict.get(ConfigMap.self, name: "target") } throws: { isError($0) { if case .serverError(_, let after) = $0 { after == 1 } else { false } } }

            // API Priority and Fairness' plain-text 429 is retried for every verb, even POST.
            cluster.faults.fail(RequestMatch(method: "POST"), code: 429, times: 2, retryAfterSeconds: 1)
            _ = try await retrying.create(configMap("after-429"))

            // A 503 on POST is not retried: the server may have acted.
            cluster.faults.fail(RequestMatch(method: "POST"), code: 503, times: 1, retryAfterSeconds: 1)
            await #expect { _ = try await retrying.create(configMap("not-retried")) } throws: { isError($0) { if case .serverError = $0 { true } else { false } } }
            _ = try await retrying.create(configMap("not-retried"))

            // Retries are bounded: a fault outlasting the budget surfaces.
            var bounded = cluster.clientConfiguration(retry: RetryPolicy(maxRetries: 2, initialDelay: 0.01, maxDelay: 0.02))
            bounded.rateLimit = .unlimited
            cluster.faults.fail(RequestMatch(method: "GET", pathContains: "/configmaps/target"), code: 503, times: 5)
            await #expect { _ = try await KubeClient(configuration: bounded).get(ConfigMap.self, name: "target") } throws: { isError($0) { if case .serverError = $0 { true } else { false } } }
            cluster.faults.clear()
        }
    }

    @Test func transportErrorsCarryCurlCodes() async throws {
        // A port nobody listens on: connection refused, CURLE_COULDNT_CONNECT.
        var configuration = ClientConfiguration(server: "https://127.0.0.1:1", tls: TLSSettings(insecureSkipVerify: true))
        configuration.retry = .never
        let client = KubeClient(configuration: configuration)
        await #expect { _ = try await client.list(ConfigMap.self) } throws: {
            isError($0) { if case .transport(let failure) = $0 { failure.code == 7 && !failure.message.isEmpty } else { false } }
        }
    }

    @Test func paginationOverTenThousandObjects() async throws {
        try await withCluster { cluster in
            let client = cluster.client()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in stride(from: worker, to: 10_000, by: 8) {
                            _ = try await client.create(configMap(String(format: "cm-%05d", index), labels: ["parity": index % 2 == 0 ? "even" : "odd"]))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let all = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(limit: 500))
            #expect(all.items.count == 10_000)
            #expect(Set(all.items.compactMap(\.metadata.name)).count == 10_000)
            #expect(all.metadata.continue == nil)
            let even = try await client.list(ConfigMap.self, namespace: "default", options: ListOptions(labelSelector: "parity=even", limit: 333))
            #expect(even.items.count == 5_000)
        }
    }
}
