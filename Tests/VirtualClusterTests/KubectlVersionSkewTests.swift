import Foundation
import Testing
@testable import VirtualCluster

/// The everyday commands with every kubectl minor version installed here (`kubectl.1.27` … `1.33`
/// beside the default kubectl), so users of `fleetcast dev-cluster` are not tied to one client. 1.27
/// and 1.28 validate `apply` through the protobuf OpenAPI v2 document, 1.29 and later through v3.
@Suite("kubectl version skew")
struct KubectlVersionSkewTests {
    @Test("apply (default validation), get, scale, patch, server-side apply, delete", arguments: Kubectl.versionedBinaries())
    func everydayCommands(executable: String) async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster, executable: executable)
            let minor = try #require(try await kubectl.minorVersion())
            let crd = packageRoot.appendingPathComponent("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml").path
            let crdApplied = try await kubectl.run(["apply", "-f", crd])
            try #require(crdApplied.status == 0, "1.\(minor): \(crdApplied.stderr)")

            let file = try kubectl.file("md.yaml", KubectlTests.machineDeployment)
            let created = try await kubectl.run(["apply", "-f", file])
            #expect(created.status == 0, "1.\(minor): \(created.stderr)")
            let again = try await kubectl.run(["apply", "-f", file])
            #expect(again.stdout.contains("unchanged"), "1.\(minor): \(again.stdout) \(again.stderr)")

            // Default validation is the server's (`fieldValidation=Strict`): an unknown field is refused.
            let unknown = try kubectl.file("unknown.yaml", KubectlTests.machineDeployment + "\n  paused: true\n  colour: green\n")
            let refused = try await kubectl.run(["apply", "-f", unknown])
            #expect(refused.status != 0 && refused.stderr.contains(#"unknown field "spec.colour""#), "1.\(minor): \(refused.stderr)")

            let table = try await kubectl.run(["get", "md"])
            #expect(table.stdout.contains("CLUSTER") && table.stdout.contains("gpu-a100"), "1.\(minor): \(table.stdout) \(table.stderr)")

            let scaled = try await kubectl.run(["scale", "md", "gpu-a100", "--replicas=\(minor)"])
            #expect(scaled.status == 0, "1.\(minor): \(scaled.stderr)")
            let patched = try await kubectl.run(["patch", "md", "gpu-a100", "--type=merge", "-p", #"{"metadata":{"labels":{"tier":"batch"}}}"#])
            #expect(patched.status == 0, "1.\(minor): \(patched.stderr)")
            let selected = try await kubectl.run(["get", "md", "-l", "tier=batch", "-o", "jsonpath={.items[0].spec.replicas}"])
            #expect(selected.stdout == "\(minor)", "1.\(minor): \(selected.stdout) \(selected.stderr)")

            let serverSide = try await kubectl.run(["apply", "--server-side", "--force-conflicts", "-f", file])
            #expect(serverSide.stdout.contains("serverside-applied"), "1.\(minor): \(serverSide.stdout) \(serverSide.stderr)")

            let deleted = try await kubectl.run(["delete", "-f", file])
            #expect(deleted.status == 0, "1.\(minor): \(deleted.stderr)")
            let gone = try await kubectl.run(["get", "md", "-o", "name"])
            #expect(gone.status == 0 && gone.stdout.isEmpty, "1.\(minor): \(gone.stdout) \(gone.stderr)")
        }
    }

    /// The imperative `create` family and `delete`: kubectl 1.32 and later send these in protobuf
    /// (typed clients), 1.27-1.31 in JSON; both must create the same objects.
    static let creations: [[String]] = [
        ["configmap", "settings", "--from-literal=mode=fast"],
        ["secret", "generic", "token", "--from-literal=key=s3cr3t"],
        ["secret", "docker-registry", "pull", "--docker-server=registry.local", "--docker-username=ci", "--docker-password=pw"],
        ["deployment", "web", "--image=nginx:1.27", "--replicas=0"],
        ["job", "once", "--image=busybox", "--", "echo", "hi"],
        ["cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *"],
        ["serviceaccount", "builder"],
        ["role", "reader", "--verb=get,list", "--resource=pods,configmaps"],
        ["rolebinding", "reader-binding", "--role=reader", "--serviceaccount=team:builder"],
    ]

    @Test("create namespace, configmap, secret, deployment, job, cronjob, serviceaccount, role, rolebinding, priorityclass; delete",
          arguments: Kubectl.versionedBinaries())
    func imperativeCreateAndDelete(executable: String) async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster, executable: executable)
            let minor = try #require(try await kubectl.minorVersion())
            let namespace = try await kubectl.run(["create", "namespace", "team"])
            try #require(namespace.status == 0, "1.\(minor): \(namespace.stderr)")
            for arguments in Self.creations {
                let created = try await kubectl.run(["create", "-n", "team"] + arguments)
                #expect(created.status == 0 && created.stdout.contains("created"), "1.\(minor) create \(arguments): \(created.stdout) \(created.stderr)")
            }
            let priority = try await kubectl.run(["create", "priorityclass", "gpu-batch-\(minor)", "--value=1000", "--description=batch"])
            #expect(priority.status == 0, "1.\(minor): \(priority.stderr)")

            let secret = try await kubectl.run(["get", "-n", "team", "secret", "token", "-o", "jsonpath={.type} {.data.key}"])
            #expect(secret.stdout == "Opaque czNjcjN0", "1.\(minor): \(secret.stdout) \(secret.stderr)")
            let replicas = try await kubectl.run(["get", "-n", "team", "deployment", "web", "-o", "jsonpath={.spec.replicas}"])
            #expect(replicas.stdout == "0", "1.\(minor): \(replicas.stdout) \(replicas.stderr)")
            let schedule = try await kubectl.run(["get", "-n", "team", "cronjob", "nightly", "-o", "jsonpath={.spec.schedule}"])
            #expect(schedule.stdout == "0 3 * * *", "1.\(minor): \(schedule.stdout) \(schedule.stderr)")
            let subjects = try await kubectl.run(["get", "-n", "team", "rolebinding", "reader-binding", "-o", "jsonpath={.subjects[0].name}"])
            #expect(subjects.stdout == "builder", "1.\(minor): \(subjects.stdout) \(subjects.stderr)")
            let value = try await kubectl.run(["get", "priorityclass", "gpu-batch-\(minor)", "-o", "jsonpath={.value}"])
            #expect(value.stdout == "1000", "1.\(minor): \(value.stdout) \(value.stderr)")

            let deleted = try await kubectl.run(["delete", "-n", "team", "configmap/settings", "secret/token", "deployment/web", "job/once",
                                                 "cronjob/nightly", "serviceaccount/builder", "role/reader", "rolebinding/reader-binding"])
            #expect(deleted.status == 0, "1.\(minor): \(deleted.stderr)")
            let left = try await kubectl.run(["get", "-n", "team", "configmaps,secrets,deployments,jobs,cronjobs,roles", "-o", "name"])
            #expect(left.status == 0 && !left.stdout.contains("settings") && !left.stdout.contains("nightly"), "1.\(minor): \(left.stdout) \(left.stderr)")
            let priorityDeleted = try await kubectl.run(["delete", "priorityclass", "gpu-batch-\(minor)"])
            #expect(priorityDeleted.status == 0, "1.\(minor): \(priorityDeleted.stderr)")
            let namespaceDeleted = try await kubectl.run(["delete", "namespace", "team"])
            #expect(namespaceDeleted.status == 0, "1.\(minor): \(namespaceDeleted.stderr)")
        }
    }
}
