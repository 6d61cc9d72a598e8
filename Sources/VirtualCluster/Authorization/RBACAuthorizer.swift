import KubeAPI

/// Role-based access control over the RBAC objects stored in the cluster, as kube-apiserver's RBAC
/// authorizer evaluates them: a request is allowed when a ClusterRoleBinding, or a RoleBinding in the
/// request's namespace, binds one of the user's subjects to a role with a rule that covers the
/// request's verb, API group, resource (with subresource) and name. Superusers (the admin token's user,
/// like `system:masters`) bypass it.
///
/// Used by tests to show that the operator works with exactly the permissions `deploy/` grants, and
/// that clients see the real 403 shape.
struct RBACAuthorizer: Sendable {
    let store: ObjectStore
    let superusers: Set<String>

    func authorize(_ attributes: RequestAttributes) throws(APIError) {
        if superusers.contains(attributes.user) { return }
        if !allows(attributes) { throw attributes.forbidden }
    }

    /// Whether a resource request is allowed. `groups` are the user's groups as the request presents
    /// them (a SubjectAccessReview's `spec.groups`); those implied by the user name are always added.
    func allows(_ attributes: RequestAttributes, groups: Set<String> = []) -> Bool {
        if superusers.contains(attributes.user) { return true }
        return anyRule(user: attributes.user, groups: groups, namespace: attributes.namespace) { $0.covers(attributes) }
    }

    /// Whether a non-resource request (`GET /metrics`, `/healthz`…) is allowed. Only ClusterRoles bound
    /// by ClusterRoleBindings grant `nonResourceURLs`, as in kube-apiserver.
    func allows(nonResourcePath path: String, verb: String, user: String, groups: Set<String> = []) -> Bool {
        if superusers.contains(user) { return true }
        return anyRule(user: user, groups: groups, namespace: nil) { $0.covers(nonResourcePath: path, verb: verb) }
    }

    private func anyRule(user: String, groups: Set<String>, namespace: String?, _ matches: (PolicyRule) -> Bool) -> Bool {
        let groups = groups.union(Self.groups(of: user))
        let bindings = store.list(ObjectFilter(key: Self.clusterRoleBindings)).items.lazy.map(\.value)
        for binding in bindings where Self.binds(binding, user: user, groups: groups) {
            if rules(for: binding, namespace: nil).contains(where: matches) { return true }
        }
        guard let namespace else { return false }
        let roleBindings = store.list(ObjectFilter(key: Self.roleBindings, namespace: namespace)).items.lazy.map(\.value)
        for binding in roleBindings where Self.binds(binding, user: user, groups: groups) {
            if rules(for: binding, namespace: namespace).contains(where: matches) { return true }
        }
        return false
    }

    /// The rules of the binding's `roleRef`: a ClusterRole, or a Role in the binding's namespace.
    private func rules(for binding: JSONValue, namespace: String?) -> [PolicyRule] {
        guard let roleRef = binding["roleRef"], let name = roleRef["name"]?.stringValue else { return [] }
        let role: JSONValue?
        switch roleRef["kind"]?.stringValue {
        case "ClusterRole": role = store.get(Self.clusterRoles, namespace: "", name: name)
        case "Role":
            guard let namespace else { return [] }
            role = store.get(Self.roles, namespace: namespace, name: name)
        default: role = nil
        }
        return (role?["rules"]?.arrayValue ?? []).map(PolicyRule.init)
    }

    /// Whether one of the binding's subjects is this user or one of its groups.
    static func binds(_ binding: JSONValue, user: String, groups: Set<String>) -> Bool {
        for subject in binding["subjects"]?.arrayValue ?? [] {
            let name = subject["name"]?.stringValue ?? ""
            switch subject["kind"]?.stringValue {
            case "User": if name == user { return true }
            case "Group": if groups.contains(name) { return true }
            case "ServiceAccount":
                let namespace = subject["namespace"]?.stringValue ?? binding.namespace ?? ""
                if user == "system:serviceaccount:\(namespace):\(name)" { return true }
            default: continue
            }
        }
        return false
    }

    /// Every authenticated user is in `system:authenticated`; service accounts also in
    /// `system:serviceaccounts` and `system:serviceaccounts:<namespace>`.
    static func groups(of user: String) -> Set<String> {
        var groups: Set<String> = user == "system:anonymous" ? ["system:unauthenticated"] : ["system:authenticated"]
        let parts = user.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            groups.insert("system:serviceaccounts")
            groups.insert("system:serviceaccounts:\(parts[2])")
        }
        return groups
    }

    static let clusterRoleBindings = ResourceKey(group: "rbac.authorization.k8s.io", resource: "clusterrolebindings")
    static let roleBindings = ResourceKey(group: "rbac.authorization.k8s.io", resource: "rolebindings")
    static let clusterRoles = ResourceKey(group: "rbac.authorization.k8s.io", resource: "clusterroles")
    static let roles = ResourceKey(group: "rbac.authorization.k8s.io", resource: "roles")
}

/// One `rules[]` entry of a Role or ClusterRole.
struct PolicyRule: Sendable, Hashable {
    var verbs: [String]
    var apiGroups: [String]
    var resources: [String]
    var resourceNames: [String]
    var nonResourceURLs: [String]

    init(_ json: JSONValue) {
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        verbs = strings("verbs")
        apiGroups = strings("apiGroups")
        resources = strings("resources")
        resourceNames = strings("resourceNames")
        nonResourceURLs = strings("nonResourceURLs")
    }

    /// `nonResourceURLs` match exactly, or by prefix when they end in `*` (`/healthz/*`, `*`).
    func covers(nonResourcePath path: String, verb: String) -> Bool {
        guard verbs.contains("*") || verbs.contains(verb) else { return false }
        return nonResourceURLs.contains { url in
            url.hasSuffix("*") ? path.hasPrefix(url.dropLast()) : url == path
        }
    }

    /// Resource rules only; `nonResourceURLs` rules never match a resource request.
    func covers(_ request: RequestAttributes) -> Bool {
        guard !resources.isEmpty else { return false }
        guard verbs.contains("*") || verbs.contains(request.verb) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(request.group) else { return false }
        let resource = request.ruleResource
        let resourceMatches = resources.contains("*") || resources.contains(resource)
            || (request.subresource.map { resources.contains("*/\($0)") } ?? false)
        guard resourceMatches else { return false }
        if resourceNames.isEmpty { return true }
        guard let name = request.name else { return false }
        return resourceNames.contains(name)
    }
}
