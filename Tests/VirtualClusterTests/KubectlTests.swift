import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// The real kubectl against the virtual cluster over HTTPS with the written kubeconfig.
@Suite("kubectl end to end")
struct KubectlTests {
    static let machineDeployment = """
    apiVersion: cluster.x-k8s.io/v1beta2
    kind: MachineDeployment
    metadata:
      name: gpu-a100
      labels: {pool: a100, tier: serving}
    spec:
      clusterName: fleet
      replicas: 2
    """

    func withKubectl(_ body: (TestCluster, Kubectl) async throws -> Void) async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster)
            let crd = packageRoot.appendingPathComponent("hack/dev/crds/cluster.x-k8s.io_machinedeployments.yaml").path
            let applied = try await kubectl.run(["apply", "-f", crd])
            #expect(applied.status == 0, "\(applied.stderr)")
            try await body(test, kubectl)
        }
    }

    @Test("apply, get (table, yaml, json), scale, patch, label selectors and apply --server-side")
    func everydayCommands() async throws {
        try await withKubectl { test, kubectl in
            let file = try kubectl.file("md.yaml", Self.machineDeployment)
            let created = try await kubectl.run(["apply", "-f", file])
            #expect(created.status == 0, "\(created.stderr)")
            #expect(created.stdout.contains("machinedeployment.cluster.x-k8s.io/gpu-a100 created"))
            let again = try await kubectl.run(["apply", "-f", file])
            #expect(again.stdout.contains("unchanged"), "\(again.stdout) \(again.stderr)")

            let table = try await kubectl.run(["get", "md"])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("CLUSTER"))
            #expect(table.stdout.contains("gpu-a100"))

            let yaml = try await kubectl.run(["get", "md", "gpu-a100", "-o", "yaml"])
            #expect(yaml.stdout.contains("clusterName: fleet"))
            let json = try await kubectl.run(["get", "machinedeployments.v1beta1.cluster.x-k8s.io", "gpu-a100", "-o", "json"])
            #expect(json.stdout.contains(#""apiVersion": "cluster.x-k8s.io/v1beta1""#))

            let scaled = try await kubectl.run(["scale", "md", "gpu-a100", "--replicas=5"])
            #expect(scaled.status == 0, "\(scaled.stderr)")
            let replicas = try await kubectl.run(["get", "md", "gpu-a100", "-o", "jsonpath={.spec.replicas}"])
            #expect(replicas.stdout == "5")

            let patched = try await kubectl.run(["patch", "md", "gpu-a100", "--type=merge", "-p", #"{"metadata":{"labels":{"tier":"batch"}}}"#])
            #expect(patched.status == 0, "\(patched.stderr)")
            let selected = try await kubectl.run(["get", "md", "-l", "tier in (batch,x),pool", "-o", "name"])
            #expect(selected.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "machinedeployment.cluster.x-k8s.io/gpu-a100")
            let none = try await kubectl.run(["get", "md", "-l", "tier!=batch", "-o", "name"])
            #expect(none.stdout.isEmpty)

            let serverSide = try await kubectl.run(["apply", "--server-side", "-f", file])
            #expect(serverSide.status == 0, "\(serverSide.stderr)")
            #expect(serverSide.stdout.contains("serverside-applied"))
        }
    }

    @Test("kubectl apply -k crds/ installs the GPUPool CRD and nothing else (the README's install line)")
    func applyCRDFolder() async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster)
            let applied = try await kubectl.run(["apply", "-k", packageRoot.appendingPathComponent("crds").path])
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(applied.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "customresourcedefinition.apiextensions.k8s.io/gpupools.fleetcast.dev created", "\(applied.stdout)")
            let served = try await kubectl.run(["get", "gpupools", "-A", "-o", "name"])
            #expect(served.status == 0, "\(served.stderr)")
        }
    }

    @Test("an invalid object is rejected with the 422 naming the field")
    func invalidObject() async throws {
        try await withKubectl { test, kubectl in
            let file = try kubectl.file("bad.yaml", Self.machineDeployment.replacingOccurrences(of: "replicas: 2", with: "replicas: -3"))
            let result = try await kubectl.run(["apply", "-f", file])
            #expect(result.status != 0)
            #expect(result.stderr.contains("spec.replicas"), "\(result.stderr)")
            #expect(result.stderr.contains("is invalid"))
        }
    }

    @Test("get -w --output-watch-events shows ADDED, MODIFIED and DELETED")
    func watchEvents() async throws {
        try await withKubectl { test, kubectl in
            let file = try kubectl.file("md.yaml", Self.machineDeployment)
            #expect(try await kubectl.run(["apply", "-f", file]).status == 0)
            let watch = try kubectl.start(["get", "md", "-w", "--output-watch-events"])
            #expect(try await watch.waitForOutput { $0.contains("ADDED") })
            #expect(try await kubectl.run(["scale", "md", "gpu-a100", "--replicas=3"]).status == 0)
            #expect(try await kubectl.run(["delete", "md", "gpu-a100"]).status == 0)
            #expect(try await watch.waitForOutput { $0.contains("DELETED") })
            test.cluster.dropAllWatches()
            let result = await watch.wait()
            #expect(result.status == 0, "\(result.stderr)")
            let types = result.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            #expect(types.contains("MODIFIED"))
            #expect(types.first == "EVENT" || types.first == "ADDED")
        }
    }

    @Test("delete waits until the last finalizer is removed")
    func deleteWithFinalizer() async throws {
        try await withKubectl { test, kubectl in
            let held = Self.machineDeployment.replacingOccurrences(of: "  name: gpu-a100\n", with: "  name: gpu-a100\n  finalizers: [fleetcast.dev/test]\n")
            let file = try kubectl.file("held.yaml", held)
            #expect(try await kubectl.run(["apply", "-f", file]).status == 0)
            let deletion = try kubectl.start(["delete", "md", "gpu-a100", "--timeout=60s"])
            let path = CustomResourceTests.machineDeployments + "/gpu-a100"
            var marked = false
            for _ in 0..<400 where !marked {
                marked = try await test.request("GET", path).body.at("metadata.deletionTimestamp") != nil
                if !marked { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(marked)
            let release = try await test.request("PATCH", path, json: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
            #expect(release.code == 200)
            let result = await deletion.wait()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try await test.request("GET", path).code == 404)
        }
    }

    @Test("client-side apply of a pod keeps its GPU limit (strategic merge patch)")
    func podApplyKeepsGPULimit() async throws {
        try await withKubectl { test, kubectl in
            let pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: trainer}
            spec:
              containers:
              - name: c
                image: busybox:1
                resources: {limits: {nvidia.com/gpu: "1"}}
            """
            let file = try kubectl.file("pod.yaml", pod)
            #expect(try await kubectl.run(["apply", "-f", file]).status == 0)
            let updated = try kubectl.file("pod2.yaml", pod.replacingOccurrences(of: "busybox:1", with: "busybox:2"))
            let result = try await kubectl.run(["apply", "-f", updated])
            #expect(result.status == 0, "\(result.stderr)")
            let stored = try await test.request("GET", "/api/v1/namespaces/default/pods/trainer")
            let container = stored.body.at("spec.containers")?.arrayValue?.first
            #expect(container?["image"] == .string("busybox:2"))
            #expect(container?.value(at: ["resources", "limits", "nvidia.com/gpu"]) == .string("1"))
        }
    }
}
