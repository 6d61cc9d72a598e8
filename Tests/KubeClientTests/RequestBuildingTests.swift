import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite struct RequestBuildingTests {
    static let md = GroupVersionResource(group: "cluster.x-k8s.io", version: "v1beta2", resource: "machinedeployments")

    @Test(arguments: [
        (Pod.groupVersionResource, "default" as String?, "p" as String?, nil as String?, "/api/v1/namespaces/default/pods/p"),
        (Pod.groupVersionResource, nil, nil, nil, "/api/v1/pods"),
        (KubeNode.groupVersionResource, nil, "n1", "status", "/api/v1/nodes/n1/status"),
        (md, "gpu", "a100", "scale", "/apis/cluster.x-k8s.io/v1beta2/namespaces/gpu/machinedeployments/a100/scale"),
        (Lease.groupVersionResource, "kube-system", "fleetcast", nil, "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/fleetcast"),
    ])
    func paths(gvr: GroupVersionResource, namespace: String?, name: String?, subresource: String?, expected: String) {
        #expect(ResourcePath.path(gvr, namespace: namespace, name: name, subresource: subresource) == expected)
    }

    @Test func selectorsArePercentEncoded() {
        let options = ListOptions(labelSelector: "app in (train,x),!foo,tier!=z", fieldSelector: "spec.nodeName=,status.phase!=Failed")
        let request = APIRequest(method: .get, path: "/api/v1/pods", query: options.selectorQuery + [QueryParameter("limit", "500")])
        #expect(request.pathAndQuery == "/api/v1/pods?labelSelector=app%20in%20%28train%2Cx%29%2C%21foo%2Ctier%21%3Dz&fieldSelector=spec.nodeName%3D%2Cstatus.phase%21%3DFailed&limit=500")
        let plus = APIRequest(method: .get, path: "/x", query: [QueryParameter("continue", "a+b/c=")])
        #expect(plus.pathAndQuery == "/x?continue=a%2Bb%2Fc%3D")
    }

    @Test func patchContentTypes() {
        #expect(PatchType.merge.contentType == "application/merge-patch+json")
        #expect(PatchType.json.contentType == "application/json-patch+json")
        #expect(PatchType.strategicMerge.contentType == "application/strategic-merge-patch+json")
        #expect(PatchType.apply(fieldManager: "f", force: true).contentType == "application/apply-patch+yaml")
    }

    @Test func tlsServerNameRoutesThroughConnectTo() {
        let (url, connectTo) = RequestExecutor.endpoint(server: "https://127.0.0.1:6443", serverName: "kubernetes.default")
        #expect(url == "https://kubernetes.default:6443")
        #expect(connectTo == "kubernetes.default:6443:127.0.0.1:6443")
        let (same, none) = RequestExecutor.endpoint(server: "https://127.0.0.1:6443", serverName: nil)
        #expect(same == "https://127.0.0.1:6443")
        #expect(none == nil)
    }

    @Test func deleteOptionsAndScaleEncodeLikeTheServerExpects() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let delete = DeleteOptions(propagationPolicy: .foreground, preconditions: .init(resourceVersion: "7"))
        #expect(String(decoding: try encoder.encode(delete), as: UTF8.self) == #"{"apiVersion":"v1","kind":"DeleteOptions","preconditions":{"resourceVersion":"7"},"propagationPolicy":"Foreground"}"#)
        let zero = Scale(metadata: ObjectMeta(name: "md"), spec: ScaleSpec(replicas: 0))
        #expect(String(decoding: try encoder.encode(zero), as: UTF8.self).contains(#""spec":{"replicas":0}"#))
        let omitted = try JSONDecoder().decode(Scale.self, from: Data(#"{"metadata":{"name":"md"},"spec":{},"status":{"replicas":2,"selector":"a=b"}}"#.utf8))
        #expect(omitted.spec.replicas == 0)
        #expect(omitted.status?.replicas == 2)
    }
}
