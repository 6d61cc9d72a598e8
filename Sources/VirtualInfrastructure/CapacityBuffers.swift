import Foundation
import KubeAPI
import VirtualCluster

/// Cluster-autoscaler's CapacityBuffers (`autoscaling.x-k8s.io/v1alpha1`): each asks for `spec.replicas`
/// copies of the pod described by the PodTemplate `spec.podTemplateRef.name` (in the buffer's namespace)
/// to fit on spare nodes. Like the real buffer controller, the autoscaler treats them as virtual pending
/// pods: they cause scale-up and keep nodes from being removed, but are never created or scheduled.
struct CapacityBuffers {
    static let path = "/apis/autoscaling.x-k8s.io/v1alpha1/capacitybuffers"

    /// The buffers' virtual pods, `replicas` copies of each template. Buffers whose template is
    /// missing are skipped (the real controller reports them not ready); no CapacityBuffer CRD means
    /// no buffers.
    static func virtualPods(_ objects: ClusterObjects) async throws -> [Pod] {
        let buffers: [JSONValue]
        do {
            buffers = try await objects.list(path, as: JSONValue.self)
        } catch let error as APIError where error.code == 404 {
            return []
        }
        var pods: [Pod] = []
        for buffer in buffers {
            let replicas = buffer.at("spec", "replicas")?.integer ?? 0
            guard replicas > 0, let namespace = buffer.at("metadata", "namespace")?.stringValue,
                  let templateName = buffer.at("spec", "podTemplateRef", "name")?.stringValue,
                  let template: JSONValue = try await objects.getIfPresent("/api/v1/namespaces/\(namespace)/podtemplates/\(templateName)"),
                  let pod = Self.pod(fromTemplate: template, namespace: namespace)
            else { continue }
            let bufferName = buffer.at("metadata", "name")?.stringValue ?? templateName
            for index in 0..<replicas {
                var copy = pod
                copy.metadata.name = "\(bufferName)-buffer-\(index)"
                pods.append(copy)
            }
        }
        return pods
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
