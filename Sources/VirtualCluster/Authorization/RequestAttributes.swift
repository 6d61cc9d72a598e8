import KubeAPI

/// What a resource request asks to do, in the terms RBAC rules are written in (`verb`, API group,
/// `resource[/subresource]`, namespace, name), derived from the method and path the way
/// kube-apiserver's request-info resolver does.
struct RequestAttributes: Sendable, Hashable {
    var user: String
    var verb: String
    var group: String
    var resource: String
    var subresource: String?
    var namespace: String?
    var name: String?

    init(user: String, verb: String, group: String, resource: String, subresource: String? = nil,
         namespace: String? = nil, name: String? = nil) {
        self.user = user
        self.verb = verb
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    init(_ request: APIRequest, _ target: ResourceTarget) {
        self.init(user: request.user, verb: Self.verb(request, target), group: target.type.group,
                  resource: target.type.plural, subresource: target.subresource, namespace: target.namespace,
                  name: target.name)
    }

    /// `get`/`list`/`watch`/`create`/`update`/`patch`/`delete`/`deletecollection`.
    static func verb(_ request: APIRequest, _ target: ResourceTarget) -> String {
        switch request.method {
        case "GET", "HEAD":
            if target.name != nil { return "get" }
            return request.isWatch ? "watch" : "list"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return target.name == nil ? "deletecollection" : "delete"
        default: return request.method.lowercased()
        }
    }

    /// The resource as rules name it: `pods`, or `machinedeployments/scale` for a subresource.
    var ruleResource: String { subresource.map { "\(resource)/\($0)" } ?? resource }

    /// 403 with the real server's message, e.g. `pods "web" is forbidden: User "bob" cannot get resource
    /// "pods" in API group "" in the namespace "default"`.
    var forbidden: APIError {
        let qualified = APIError.qualified(resource, group)
        let subject = name.map { "\(qualified) \"\($0)\"" } ?? qualified
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        let message = "\(subject) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(ruleResource)\" in API group \"\(group)\" \(scope)"
        return APIError(code: 403, reason: "Forbidden", message: message,
                        details: StatusDetails(name: name, group: group, kind: resource))
    }
}
