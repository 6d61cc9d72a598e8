import Foundation
import KubeAPI

/// `POST /apis/authentication.k8s.io/v1/tokenreviews` and `POST /apis/authorization.k8s.io/v1/
/// subjectaccessreviews`: the delegated authentication and authorization a workload's secure endpoint
/// asks the API server for (kubebuilder's `/metrics` filter, kube-rbac-proxy). Neither is stored; the
/// answer is the request with its `status` filled in, `201 Created`, as kube-apiserver answers.
extension ClusterAPI {
    func review(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let body = try request.objectBody(target)
        guard body["kind"]?.stringValue.map({ $0 == target.type.kind }) ?? true else {
            throw APIError.badRequest("the body of the request must be a \(target.type.kind)")
        }
        let status = target.type.kind == "TokenReview" ? try tokenReviewStatus(body) : try accessReviewStatus(body)
        let response: JSONValue = .object([
            "kind": .string(target.type.kind), "apiVersion": .string(target.type.apiVersion(for: target.version)),
            "metadata": .object(["creationTimestamp": .null]),
            "spec": body["spec"] ?? .object([:]),
            "status": status,
        ])
        return .json(response, code: 201)
    }

    /// Who a bearer token belongs to, through the same registry that authenticates requests: the
    /// configured tokens and the ServiceAccount tokens issued by TokenRequest, until they expire.
    /// An unknown token is a review that did not authenticate, not an error of the request.
    private func tokenReviewStatus(_ body: JSONValue) throws(APIError) -> JSONValue {
        guard let token = body.value(at: ["spec", "token"])?.stringValue, !token.isEmpty else {
            throw APIError.badRequest("token is required for TokenReview in authentication")
        }
        let audiences = body.value(at: ["spec", "audiences"])?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let user = tokens.user(for: token) else {
            return .object(["user": .object([:]), "error": .string("invalid bearer token")])
        }
        return .object([
            "authenticated": .bool(true),
            "user": .object(["username": .string(user), "groups": .array(groups(of: user).map(JSONValue.string))]),
            "audiences": .array((audiences.isEmpty ? Self.defaultTokenAudiences : audiences).map(JSONValue.string)),
        ])
    }

    /// The groups the cluster puts an authenticated user in: superusers in `system:masters`, service
    /// accounts in theirs, everyone in `system:authenticated`.
    private func groups(of user: String) -> [String] {
        var groups = RBACAuthorizer.groups(of: user)
        if authorizer?.superusers.contains(user) ?? false { groups.insert("system:masters") }
        return groups.sorted()
    }

    /// Whether `spec.user` (with `spec.groups`) may do what `spec.resourceAttributes` or
    /// `spec.nonResourceAttributes` describes, by the same RBAC evaluation as every request. Without
    /// RBAC every authenticated user may do everything, so every review is allowed.
    private func accessReviewStatus(_ body: JSONValue) throws(APIError) -> JSONValue {
        let spec = body["spec"] ?? .object([:])
        let user = spec["user"]?.stringValue ?? ""
        let groups = Set(spec["groups"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        let resource = spec["resourceAttributes"].flatMap { $0 == .null ? nil : $0 }
        let nonResource = spec["nonResourceAttributes"].flatMap { $0 == .null ? nil : $0 }
        var errors: [FieldError] = []
        switch (resource, nonResource) {
        case (nil, nil):
            errors.append(.required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified"))
        case (_?, let nonResource?):
            errors.append(.invalid("spec.nonResourceAttributes", nonResource, "cannot be specified in combination with resourceAttributes"))
        default: break
        }
        if user.isEmpty, groups.isEmpty {
            errors.append(.invalid("spec.user", .string(user), "at least one of user or group must be specified"))
        }
        guard errors.isEmpty else {
            throw APIError.invalid(kind: "SubjectAccessReview", group: "authorization.k8s.io", name: "", errors: errors)
        }
        guard let authorizer else { return .object(["allowed": .bool(true)]) }
        let allowed: Bool
        if let nonResource {
            allowed = authorizer.allows(nonResourcePath: nonResource["path"]?.stringValue ?? "",
                                        verb: nonResource["verb"]?.stringValue ?? "", user: user, groups: groups)
        } else if let resource {
            func field(_ key: String) -> String? { resource[key]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
            let attributes = RequestAttributes(user: user, verb: field("verb") ?? "", group: field("group") ?? "",
                                               resource: field("resource") ?? "", subresource: field("subresource"),
                                               namespace: field("namespace"), name: field("name"))
            allowed = authorizer.allows(attributes, groups: groups)
        } else {
            allowed = false
        }
        return .object(["allowed": .bool(allowed)])
    }
}
