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
}
