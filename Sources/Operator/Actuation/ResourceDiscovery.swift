import Foundation
import KubeAPI
import KubeClient

/// Finds the resource serving a kind (`MachineDeployment` → `machinedeployments.cluster.x-k8s.io`)
/// from the API server's discovery document, as kubectl's RESTMapper does, and remembers it.
actor ResourceDiscovery {
    private struct ResourceList: Decodable {
        struct Resource: Decodable { var name: String; var kind: String; var namespaced: Bool }
        var resources: [Resource]
    }

    private let client: KubeClient
    private var known: [String: ResourceDescriptor] = [:]

    init(client: KubeClient) {
        self.client = client
    }

    func resource(apiVersion: String, kind: String) async throws(TargetError) -> ResourceDescriptor {
        let key = "\(apiVersion)/\(kind)"
        if let descriptor = known[key] { return descriptor }
        let parts = apiVersion.split(separator: "/").map(String.init)
        let (group, version) = parts.count == 2 ? (parts[0], parts[1]) : ("", apiVersion)
        let path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let list: ResourceList
        do {
            let response = try await client.send(APIRequest(method: .get, path: path))
            list = try JSONDecoder().decode(ResourceList.self, from: response.body)
        } catch let error as KubeError {
            if case .notFound = error { throw .notFound("\(apiVersion) is not served by the API server") }
            throw .failed("discovery of \(apiVersion): \(error)")
        } catch {
            throw .failed("discovery of \(apiVersion): \(error)")
        }
        guard let match = list.resources.first(where: { $0.kind == kind && !$0.name.contains("/") }) else {
            throw .notFound("kind \(kind) is not served in \(apiVersion)")
        }
        let descriptor = ResourceDescriptor(GroupVersionResource(group: group, version: version, resource: match.name),
                                            scope: match.namespaced ? .namespaced : .cluster, kind: kind)
        known[key] = descriptor
        return descriptor
    }
}
