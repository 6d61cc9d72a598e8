import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// TokenReview and SubjectAccessReview, the delegated authentication and authorization a workload's
/// secure endpoint (the operator's `--metrics-secure`) asks the API server for: answered from the same
/// token registry and RBAC evaluation as every request, never stored.
@Suite("Access reviews")
struct AccessReviewTests {
    static let tokenReviews = "/apis/authentication.k8s.io/v1/tokenreviews"
    static let accessReviews = "/apis/authorization.k8s.io/v1/subjectaccessreviews"

    static let metricsPolicy = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: metrics-reader}
        rules:
        - nonResourceURLs: [/metrics, /debug/*]
          verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: scraper-reads-metrics}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-reader}
        subjects: [{kind: ServiceAccount, name: scraper, namespace: team}]
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: scraper, namespace: team}
        """

    static func token(for serviceAccount: String, _ test: TestCluster) async throws -> String {
        let issued = try await test.request("POST", "/api/v1/namespaces/team/serviceaccounts/\(serviceAccount)/token",
                                            json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"#)
        return try #require(issued.body.at("status.token")?.stringValue, "\(issued.text)")
    }

    static func nonResourceReview(user: String, groups: [String] = [], path: String, verb: String = "get") -> String {
        let groupList = groups.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","spec":{"user":"\#(user)","groups":[\#(groupList)],"#
            + #""nonResourceAttributes":{"path":"\#(path)","verb":"\#(verb)"}}}"#
    }

    @Test func aTokenReviewNamesTheServiceAccountAndItsGroupsOrDoesNotAuthenticate() async throws {
        try await TestCluster.with({ $0.authorizeWithRBAC = true }) { test in
            try await test.cluster.apply(manifestYAML: RBACAuthorizationTests.policy + "\n---\n" + Self.metricsPolicy, file: "policy.yaml")
            let token = try await Self.token(for: "scraper", test)
            let review = try await test.request("POST", Self.tokenReviews,
                                                json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"\#(token)"}}"#)
            #expect(review.code == 201, "\(review.text)")
            #expect(review.body["kind"]?.stringValue == "TokenReview")
            #expect(review.body.at("status.authenticated") == .bool(true), "\(review.text)")
            #expect(review.body.at("status.user.username")?.stringValue == "system:serviceaccount:team:scraper")
            let groups = review.body.at("status.user.groups")?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(groups == ["system:authenticated", "system:serviceaccounts", "system:serviceaccounts:team"], "\(review.text)")
            #expect(review.body.at("spec.token")?.stringValue == token)

            let unknown = try await test.request("POST", Self.tokenReviews,
                                                 json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"nope"}}"#)
            #expect(unknown.code == 201, "\(unknown.text)")
            #expect(unknown.body.at("status.authenticated") == nil, "\(unknown.text)")
            #expect(unknown.body.at("status.error")?.stringValue == "invalid bearer token")

            let empty = try await test.request("POST", Self.tokenReviews,
                                               json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{}}"#)
            #expect(empty.code == 400, "\(empty.text)")
            #expect(empty.body["message"]?.stringValue == "token is required for TokenReview in authentication")

            // Reviews are not stored: there is nothing to get or list.
            #expect(try await test.request("GET", Self.tokenReviews).code == 405)
        }
    }

    @Test func aSubjectAccessReviewEvaluatesRBACForNonResourceURLsAndResources() async throws {
        try await TestCluster.with({ $0.authorizeWithRBAC = true }) { test in
            try await test.cluster.apply(manifestYAML: RBACAuthorizationTests.policy + "\n---\n" + Self.metricsPolicy, file: "policy.yaml")
            func allowed(_ json: String) async throws -> Bool? {
                let reply = try await test.request("POST", Self.accessReviews, json: json)
                #expect(reply.code == 201, "\(reply.text)")
                return reply.body.at("status.allowed").flatMap { if case .bool(let value) = $0 { value } else { nil } }
            }
            let scraper = "system:serviceaccount:team:scraper"
            #expect(try await allowed(Self.nonResourceReview(user: scraper, path: "/metrics")) == true)
            #expect(try await allowed(Self.nonResourceReview(user: scraper, path: "/debug/pprof/heap")) == true)
            #expect(try await allowed(Self.nonResourceReview(user: scraper, path: "/metrics", verb: "post")) == false)
            #expect(try await allowed(Self.nonResourceReview(user: scraper, path: "/metricsx")) == false)
            #expect(try await allowed(Self.nonResourceReview(user: "system:serviceaccount:team:robot", path: "/metrics")) == false)
            #expect(try await allowed(Self.nonResourceReview(user: "admin", path: "/metrics")) == true)
            // A group presented in the review counts like the user's own.
            let groupPolicy = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: monitoring-reads-metrics}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-reader}
                subjects: [{kind: Group, name: monitoring}]
                """
            try await test.cluster.apply(manifestYAML: groupPolicy, file: "group.yaml")
            #expect(try await allowed(Self.nonResourceReview(user: "carol", groups: ["monitoring"], path: "/metrics")) == true)
            #expect(try await allowed(Self.nonResourceReview(user: "carol", path: "/metrics")) == false)

            // Resource attributes go through the same rules as requests: bob reads pods in team only.
            let resource = #"{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"user":"bob","#
                + #""resourceAttributes":{"namespace":"NS","verb":"list","resource":"pods"}}}"#
            #expect(try await allowed(resource.replacingOccurrences(of: "NS", with: "team")) == true)
            #expect(try await allowed(resource.replacingOccurrences(of: "NS", with: "default")) == false)

            let neither = try await test.request("POST", Self.accessReviews,
                                                 json: #"{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"user":"bob"}}"#)
            #expect(neither.code == 422, "\(neither.text)")
            #expect(neither.body["message"]?.stringValue?.contains("exactly one of nonResourceAttributes or resourceAttributes must be specified") == true,
                    "\(neither.text)")
            let nobody = try await test.request("POST", Self.accessReviews,
                                                json: #"{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","spec":{"nonResourceAttributes":{"path":"/metrics","verb":"get"}}}"#)
            #expect(nobody.code == 422, "\(nobody.text)")
        }
    }

    @Test func creatingAReviewIsItselfAuthorized() async throws {
        try await TestCluster.with({ $0.authorizeWithRBAC = true }) { test in
            try await test.cluster.apply(manifestYAML: RBACAuthorizationTests.policy + "\n---\n" + Self.metricsPolicy, file: "policy.yaml")
            let token = try await Self.token(for: "scraper", test)
            let refused = try await test.request("POST", Self.accessReviews, json: Self.nonResourceReview(user: "bob", path: "/metrics"), token: token)
            #expect(refused.code == 403, "\(refused.text)")
            #expect(refused.body["message"]?.stringValue?.contains(#"cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io""#) == true,
                    "\(refused.text)")
        }
    }
}
