import Foundation
import KubeAPI
import VirtualCluster

/// Cluster-autoscaler's CapacityBuffers (`autoscaling.x-k8s.io/v1alpha1`): each asks for `spec.replicas`
/// copies of the pod described by the PodTemplate `spec.podTemplateRef.name` (in the buffer's namespace)
/// to fit on spare nodes. Like the real buffer controller, the autoscaler treats them as virtual pending
/// pods: they cause scale-up and keep nodes from being removed, but are never created or scheduled.
/// A buffer with GKE's standby strategy asks for suspended nodes instead (`NodeAutoscaler+Standby`).
struct CapacityBuffers {
    static let path = "/apis/autoscaling.x-k8s.io/v1alpha1/capacitybuffers"

    /// `spec.provisioningStrategy` of a standby buffer (GKE): suspended nodes instead of running ones.
    static let standbyStrategy = "buffer.gke.io/standby-capacity"

    /// A buffer with its replicas and the pod its template describes.
    struct Request: Sendable, Hashable {
        /// `namespace/name`.
        var key: String
        var replicas: Int
        var pod: Pod
        var isStandby: Bool
    }

    /// The virtual pods of `requests`, `replicas` copies of each template.
    static func virtualPods(of requests: [Request]) -> [Pod] {
        requests.flatMap { request in
            (0..<request.replicas).map { index in
                var copy = request.pod
                copy.metadata.name = "\(request.key.split(separator: "/").last ?? "")-buffer-\(index)"
                return copy
            }
        }
    }

    /// Every buffer with replicas and a template, active or standby. Buffers whose template is
    /// missing are skipped (the real controller reports them not ready); no CapacityBuffer CRD means
    /// no buffers.
    static func requests(_ objects: ClusterObjects) async throws -> [Request] {
        let buffers: [JSONValue]
        do {
            buffers = try await objects.list(path, as: JSONValue.self)
        } catch let error as APIError where error.code == 404 {
            return []
        }
        var requests: [Request] = []
        for buffer in buffers {
            let replicas = buffer.at("spec", "replicas")?.integer ?? 0
            guard replicas > 0, let namespace = buffer.at("metadata", "namespace")?.stringValue,
                  let templateName = buffer.at("spec", "podTemplateRef", "name")?.stringValue,
                  let template: JSONValue = try await objects.getIfPresent("/api/v1/namespaces/\(namespace)/podtemplates/\(templateName)"),
                  let pod = Self.pod(fromTemplate: template, namespace: namespace)
            else { continue }
            requests.append(Request(key: "\(namespace)/\(buffer.objectName)", replicas: replicas, pod: pod,
                                    isStandby: buffer.at("spec", "provisioningStrategy")?.stringValue == standbyStrategy))
        }
        return requests
    }

    /// The pod a PodTemplate's `template` describes (its metadata and spec).
    static func pod(fromTemplate template: JSONValue, namespace: String) -> Pod? {
        guard var body = template["template"]?.objectValue else { return nil }
        if body["metadata"] == nil { body["metadata"] = .object([:]) }
        guard let data = try? JSONEncoder().encode(JSONValue.object(body)),
              var pod = try? JSONDecoder().decode(Pod.self, from: data) else { return nil }
        pod.metadata.namespace = namespace
        return pod
    }
}
