import Foundation
import KubeAPI
import Synchronization
import Testing
@testable import VirtualCluster

/// The TokenRequest API (`serviceaccounts/<name>/token`, what `kubectl create token` calls): the issued
/// token authenticates as the ServiceAccount, so RBAC bindings to it apply, until it expires.
@Suite("ServiceAccount tokens")
struct ServiceAccountTokenTests {
    static let tokenPath = "/api/v1/namespaces/team/serviceaccounts/robot/token"

    @Test func anIssuedTokenActsAsTheServiceAccountUntilItExpires() async throws {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        try await TestCluster.with({ configuration in
            configuration.authorizeWithRBAC = true
            configuration.clock = { now.withLock { $0 } }
        }) { test in
            try await test.cluster.apply(manifestYAML: RBACAuthorizationTests.policy, file: "policy.yaml")
            try await test.cluster.apply(manifestYAML: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: team}\n", file: "sa.yaml")
            let issued = try await test.request("POST", Self.tokenPath,
                                                json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":1200}}"#)
            #expect(issued.code == 201, "\(issued.text)")
            #expect(issued.body["kind"]?.stringValue == "TokenRequest")
            #expect(issued.body.at("spec.expirationSeconds") == .int(1200))
            #expect(issued.body.at("status.expirationTimestamp")?.stringValue == "2027-01-15T08:20:00Z", "\(issued.text)")
            let token = try #require(issued.body.at("status.token")?.stringValue)

            // Bound by robot-one-configmap: may list nodes, may not get one; the message names the ServiceAccount.
            #expect(try await test.request("GET", "/api/v1/nodes", token: token).code == 200)
            let refused = try await test.request("GET", "/api/v1/nodes/n1", token: token)
            #expect(refused.code == 403)
            #expect(refused.body["message"]?.stringValue?.contains(#"User "system:serviceaccount:team:robot""#) == true, "\(refused.text)")

            now.withLock { $0 = $0.addingTimeInterval(1200) }
            #expect(try await test.request("GET", "/api/v1/nodes", token: token).code == 401)
        }
    }

    @Test func aMissingServiceAccountIsNotFoundAndShortLifetimesAreInvalid() async throws {
        try await TestCluster.with { test in
            try await test.cluster.apply(manifestYAML: "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n", file: "ns.yaml")
            let missing = try await test.request("POST", Self.tokenPath, json: #"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{}}"#)
            #expect(missing.code == 404, "\(missing.text)")
            #expect(missing.body["message"]?.stringValue == #"serviceaccounts "robot" not found"#, "\(missing.text)")

            try await test.cluster.apply(manifestYAML: "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: team}\n", file: "sa.yaml")
            let short = try await test.request("POST", Self.tokenPath,
                                               json: #"{"kind":"TokenRequest","apiVersion":"authentication.k8s.io/v1","spec":{"expirationSeconds":60}}"#)
            #expect(short.code == 422, "\(short.text)")
            #expect(short.body["message"]?.stringValue?.contains("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes") == true,
                    "\(short.text)")
        }
    }
}
