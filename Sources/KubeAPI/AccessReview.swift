/// `authentication.k8s.io/v1 TokenReview`: asks the API server who a bearer token belongs to. Only
/// the fields a delegating authenticator sends and reads.
public struct TokenReview: Codable, Sendable, Hashable {
    public var apiVersion: String? = "authentication.k8s.io/v1"
    public var kind: String? = "TokenReview"
    public var spec: TokenReviewSpec
    public var status: TokenReviewStatus?

    public init(token: String, audiences: [String]? = nil) {
        spec = TokenReviewSpec(token: token, audiences: audiences)
    }

    public static let descriptor = ResourceDescriptor(
        GroupVersionResource(group: "authentication.k8s.io", version: "v1", resource: "tokenreviews"), scope: .cluster, kind: "TokenReview")
}

public struct TokenReviewSpec: Codable, Sendable, Hashable {
    public var token: String
    public var audiences: [String]?
}

public struct TokenReviewStatus: Codable, Sendable, Hashable {
    public var authenticated: Bool?
    public var user: ReviewedUser?
    public var audiences: [String]?
    public var error: String?
}

/// The user a token authenticated as, as `authentication.k8s.io/v1 UserInfo`.
public struct ReviewedUser: Codable, Sendable, Hashable {
    public var username: String?
    public var uid: String?
    public var groups: [String]?
    public var extra: [String: [String]]?

    public init(username: String?, uid: String? = nil, groups: [String]? = nil, extra: [String: [String]]? = nil) {
        self.username = username
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }
}

/// `authorization.k8s.io/v1 SubjectAccessReview`: asks the API server whether a user may do something,
/// by the cluster's own authorizer (RBAC). Here only non-resource requests (`get /metrics`) are asked.
public struct SubjectAccessReview: Codable, Sendable, Hashable {
    public var apiVersion: String? = "authorization.k8s.io/v1"
    public var kind: String? = "SubjectAccessReview"
    public var spec: SubjectAccessReviewSpec
    public var status: SubjectAccessReviewStatus?

    public init(user: ReviewedUser, nonResourcePath path: String, verb: String) {
        spec = SubjectAccessReviewSpec(user: user.username, uid: user.uid, groups: user.groups, extra: user.extra,
                                       nonResourceAttributes: NonResourceAttributes(path: path, verb: verb))
    }

    public static let descriptor = ResourceDescriptor(
        GroupVersionResource(group: "authorization.k8s.io", version: "v1", resource: "subjectaccessreviews"),
        scope: .cluster, kind: "SubjectAccessReview")
}

public struct SubjectAccessReviewSpec: Codable, Sendable, Hashable {
    public var user: String?
    public var uid: String?
    public var groups: [String]?
    public var extra: [String: [String]]?
    public var nonResourceAttributes: NonResourceAttributes?
}

public struct NonResourceAttributes: Codable, Sendable, Hashable {
    public var path: String
    public var verb: String
}

public struct SubjectAccessReviewStatus: Codable, Sendable, Hashable {
    public var allowed: Bool?
    public var denied: Bool?
    public var reason: String?
    public var evaluationError: String?
}
