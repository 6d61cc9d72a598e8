import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// RBAC over the stored Roles, ClusterRoles and bindings (when `authorizeWithRBAC` is on): the real
/// 403 shape and message, namespace scoping of RoleBindings, subresources, resourceNames, and
/// ServiceAccount and group subjects.
@Suite("RBAC authorization")
struct RBACAuthorizationTests {
    static let bobToken = "bob-token"
    static let robotToken = "robot-token"

    static let policy = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-reader, namespace: team}
        rules:
        - apiGroups: [""]
          resources: [pods]
          verbs: [get, list, watch]
        - apiGroups: [apps]
          resources: [deployments/scale]
          verbs: [get, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: bob-reads-pods, namespace: team}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
        subjects: [{kind: User, name: bob}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: one-configmap}
        rules:
        - apiGroups: [""]
          resources: [configmaps]
          resourceNames: [settings]
          verbs: [get]
        - apiGroups: [""]
          resources: [nodes]
          verbs: [list]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: robot-one-configmap}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: one-configmap}
        subjects: [{kind: ServiceAccount, name: robot, namespace: team}]
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var token: String
        var method: String
        var path: String
        var code: Int
        var message: String?
        var testDescription: String { "\(token == RBACAuthorizationTests.bobToken ? "bob" : "robot") \(method) \(path) → \(code)" }
    }

    static let cases: [Case] = [
        Case(token: bobToken, method: "GET", path: "/api/v1/namespaces/team/pods", code: 200),
        Case(token: bobToken, method: "GET", path: "/api/v1/namespaces/team/pods?watch=true&timeoutSeconds=1", code: 200),
        Case(token: bobToken, method: "GET", path: "/api/v1/namespaces/default/pods", code: 403,
             message: #"pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default""#),
        Case(token: bobToken, method: "GET", path: "/api/v1/pods", code: 403,
             message: #"pods is forbidden: User "bob" cannot list resource "pods" in API group "" at the cluster scope"#),
        Case(token: bobToken, method: "DELETE", path: "/api/v1/namespaces/team/pods/web", code: 403,
             message: #"pods "web" is forbidden: User "bob" cannot delete resource "pods" in API group "" in the namespace "team""#),
        Case(token: bobToken, method: "GET", path: "/apis/apps/v1/namespaces/team/deployments/web", code: 403,
             message: #"deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "team""#),
        Case(token: bobToken, method: "GET", path: "/apis/apps/v1/namespaces/team/deployments/web/scale", code: 404),
        Case(token: robotToken, method: "GET", path: "/api/v1/namespaces/default/configmaps/settings", code: 404),
        Case(token: robotToken, method: "GET", path: "/api/v1/namespaces/default/configmaps/other", code: 403,
             message: #"configmaps "other" is forbidden: User "system:serviceaccount:team:robot" cannot get resource "configmaps" in API group "" in the namespace "default""#),
        Case(token: robotToken, method: "GET", path: "/api/v1/namespaces/default/configmaps", code: 403),
        Case(token: robotToken, method: "GET", path: "/api/v1/nodes", code: 200),
        Case(token: robotToken, method: "GET", path: "/api/v1/nodes/n1", code: 403,
             message: #"nodes "n1" is forbidden: User "system:serviceaccount:team:robot" cannot get resource "nodes" in API group "" at the cluster scope"#),
    ]

    @Test(arguments: cases)
    func authorizes(_ c: Case) async throws {
        try await TestCluster.with({ configuration in
            configuration.authorizeWithRBAC = true
            configuration.tokens = [Self.bobToken: "bob", Self.robotToken: "system:serviceaccount:team:robot"]
        }) { test in
            try await test.cluster.apply(manifestYAML: Self.policy, file: "policy.yaml")
            let reply = try await test.request(c.method, c.path, token: c.token)
            #expect(reply.code == c.code, "\(reply.text)")
            if c.code == 403 {
                #expect(reply.body["reason"]?.stringValue == "Forbidden", "\(reply.text)")
                #expect(reply.body["kind"]?.stringValue == "Status", "\(reply.text)")
            }
            if let message = c.message {
                #expect(reply.body["message"]?.stringValue == message, "\(reply.text)")
            }
        }
    }

    @Test func withoutRBACEveryAuthenticatedUserMayDoEverything() async throws {
        try await TestCluster.with({ $0.tokens = [Self.bobToken: "bob"] }) { test in
            let reply = try await test.request("GET", "/api/v1/pods", token: Self.bobToken)
            #expect(reply.code == 200, "\(reply.text)")
        }
    }

    @Test func discoveryStaysOpenToAuthenticatedUsers() async throws {
        try await TestCluster.with({ configuration in
            configuration.authorizeWithRBAC = true
            configuration.tokens = [Self.bobToken: "bob"]
        }) { test in
            let core = try await test.request("GET", "/api", token: Self.bobToken)
            #expect(core.code == 200)
            let group = try await test.request("GET", "/apis/rbac.authorization.k8s.io/v1", token: Self.bobToken)
            #expect(group.code == 200)
        }
    }
}
