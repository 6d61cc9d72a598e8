import Autoscaling
import FleetcastAPI
import Foundation
import KubeAPI
import KubeClient

/// The target half of `GPUPoolAPI` over the Kubernetes API, on the client of the cluster that holds
/// the targets: the workload cluster itself, or the Cluster API management cluster given by
/// `fleetcast operator --target-kubeconfig`. The target's resource is found through discovery in
/// that cluster (any kind with a `/scale` subresource, or any kind at all with `replicasPath`), and
/// cached per kind.
struct KubeTargetAPI: Sendable {
    let client: KubeClient
    let fieldManager: String
    private let discovery: ResourceDiscovery

    init(client: KubeClient, fieldManager: String = "fleetcast-operator") {
        self.client = client
        self.fieldManager = fieldManager
        self.discovery = ResourceDiscovery(client: client)
    }

    func replicas(of target: ScaleTargetSpec, namespace: String) async throws(TargetError) -> TargetReplicas {
        let resource = try await discovery.resource(apiVersion: target.apiVersion, kind: target.kind)
        let what = "\(target.kind) \(namespace)/\(target.name)"
        do {
            if let path = ReplicasPath(target.replicasPath ?? "") {
                let object = try await client.get(resource, name: target.name, namespace: namespace, subresource: nil, as: JSONValue.self)
                guard let replicas = path.read(from: object) else {
                    throw TargetError.failed("\(what) has no integer at \(target.replicasPath ?? "")")
                }
                return TargetReplicas(replicas: replicas, resourceVersion: object.resourceVersion, annotations: object.annotations)
            }
            if Self.mayBeAutoscaled(target) {
                // /scale does not carry the object's annotations, where cluster-autoscaler's bounds live;
                // Cluster API's scalable kinds serve .spec.replicas as their /scale, so one GET reads both.
                let object = try await client.get(resource, name: target.name, namespace: namespace, subresource: nil, as: JSONValue.self)
                if let replicas = ReplicasPath(".spec.replicas")?.read(from: object) {
                    return TargetReplicas(replicas: replicas, resourceVersion: object.resourceVersion, annotations: object.annotations)
                }
            }
            let scale = try await client.get(resource, name: target.name, namespace: namespace, subresource: "scale", as: Scale.self)
            return TargetReplicas(replicas: Int(scale.spec.replicas), resourceVersion: scale.metadata.resourceVersion)
        } catch let error as KubeError {
            throw TargetError(error, what: what)
        } catch let error as TargetError {
            throw error
        } catch {
            throw .failed("\(what): \(error)")
        }
    }

    func setReplicas(_ replicas: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        let resource = try await discovery.resource(apiVersion: target.apiVersion, kind: target.kind)
        let what = "\(target.kind) \(namespace)/\(target.name)"
        let path = ReplicasPath(target.replicasPath ?? "")
        let patch = path?.mergePatch(replicas: replicas, resourceVersion: read.resourceVersion)
            ?? ReplicasPath(".spec.replicas")?.mergePatch(replicas: replicas, resourceVersion: read.resourceVersion) ?? .null
        do {
            let body = try JSONEncoder().encode(patch)
            _ = try await client.patch(resource, name: target.name, namespace: namespace, type: .merge, body: body,
                                       subresource: path == nil ? "scale" : nil,
                                       options: WriteOptions(fieldManager: fieldManager), as: JSONValue.self)
        } catch let error as KubeError {
            throw TargetError(error, what: what)
        } catch {
            throw .failed("\(what): \(error)")
        }
    }

    func setMinimumSize(_ size: Int, of target: ScaleTargetSpec, namespace: String, read: TargetReplicas) async throws(TargetError) {
        let resource = try await discovery.resource(apiVersion: target.apiVersion, kind: target.kind)
        let what = "\(target.kind) \(namespace)/\(target.name)"
        var metadata: [String: JSONValue] = ["annotations": .object([ClusterAutoscalerAnnotations.minSize: .string(String(size))])]
        if let version = read.resourceVersion { metadata["resourceVersion"] = .string(version) }
        do {
            let body = try JSONEncoder().encode(JSONValue.object(["metadata": .object(metadata)]))
            _ = try await client.patch(resource, name: target.name, namespace: namespace, type: .merge, body: body, subresource: nil,
                                       options: WriteOptions(fieldManager: fieldManager), as: JSONValue.self)
        } catch let error as KubeError {
            throw TargetError(error, what: what)
        } catch {
            throw .failed("\(what): \(error)")
        }
    }

    /// Kinds cluster-autoscaler's clusterapi provider scales; only their annotations are read.
    static func mayBeAutoscaled(_ target: ScaleTargetSpec) -> Bool {
        target.apiVersion.hasPrefix("cluster.x-k8s.io/") && ClusterAutoscalerAnnotations.scalableKinds.contains(target.kind)
    }
}
