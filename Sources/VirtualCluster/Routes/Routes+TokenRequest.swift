import Foundation
import KubeAPI

/// `POST /api/v1/namespaces/NS/serviceaccounts/NAME/token`: an `authentication.k8s.io/v1` TokenRequest,
/// what `kubectl create token NAME` sends. The answer carries a bearer token that authenticates as
/// `system:serviceaccount:NS:NAME` (so RBAC bindings to the ServiceAccount apply) until it expires.
/// Real tokens are signed JWTs; these are opaque random strings, which clients treat the same way.
extension ClusterAPI {
    /// The real server's default lifetime and its floor (`--service-account-max-token-expiration` aside).
    static let defaultTokenSeconds: Int64 = 3600
    static let minimumTokenSeconds: Int64 = 600
    /// The API server's audience when the request names none.
    static let defaultTokenAudiences = ["https://kubernetes.default.svc.cluster.local"]

    func createToken(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let name = target.name ?? ""
        let namespace = target.namespace ?? ""
        let body = try request.objectBody(target, kind: "TokenRequest")   // kubectl sends protobuf
        guard body.value(at: ["kind"])?.stringValue.map({ $0 == "TokenRequest" }) ?? true else {
            throw APIError.badRequest("the body of the request must be a TokenRequest")
        }
        guard store.get(target.type.key, namespace: namespace, name: name) != nil else { throw notFound(target) }
        var seconds = Self.defaultTokenSeconds
        if case .int(let requested)? = body.value(at: ["spec", "expirationSeconds"]) { seconds = requested }
        if seconds < Self.minimumTokenSeconds {
            throw APIError.invalid(kind: "TokenRequest", group: "authentication.k8s.io", name: name, errors: [
                .invalid("spec.expirationSeconds", .int(seconds), "may not specify a duration less than 10 minutes"),
            ])
        }
        let audiences = body.value(at: ["spec", "audiences"])?.arrayValue?.compactMap(\.stringValue) ?? []
        let expires = store.clock().addingTimeInterval(TimeInterval(seconds))
        let token = request.isDryRun ? "" : tokens.issue(for: "system:serviceaccount:\(namespace):\(name)", expires: expires)
        var spec: [String: JSONValue] = [
            "audiences": .array((audiences.isEmpty ? Self.defaultTokenAudiences : audiences).map(JSONValue.string)),
            "expirationSeconds": .int(seconds),
        ]
        if let bound = body.value(at: ["spec", "boundObjectRef"]), bound != .null { spec["boundObjectRef"] = bound }
        let response: JSONValue = .object([
            "kind": .string("TokenRequest"), "apiVersion": .string("authentication.k8s.io/v1"),
            "metadata": .object(["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .null]),
            "spec": .object(spec),
            "status": .object(["token": .string(token), "expirationTimestamp": .string(Timestamps.seconds(expires))]),
        ])
        return .json(response, code: 201)
    }
}
