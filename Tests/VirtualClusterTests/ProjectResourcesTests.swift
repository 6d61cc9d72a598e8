import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// The project's own CRDs and example pools, applied with the real kubectl.
@Suite("Project resources with kubectl")
struct ProjectResourcesTests {
    static var exampleFiles: [URL] {
        let directory = packageRoot.appendingPathComponent("deploy/examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Namespaces the examples live in (`namespace: x` lines).
    static func namespaces(in files: [URL]) throws -> Set<String> {
        var result: Set<String> = []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("namespace:") {
                    result.insert(trimmed.dropFirst("namespace:".count).trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return result
    }

    @Test("project CRDs and every example pool apply; gpupools are listed; an invalid pool is a 422 naming the field")
    func examplePools() async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster)
            for directory in ["crds", "hack/dev/crds"] {
                for file in try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent(directory).path).sorted()
                where file.hasSuffix(".yaml") && !file.hasPrefix("kustomization") {
                    let result = try await kubectl.run(["apply", "-f", packageRoot.appendingPathComponent("\(directory)/\(file)").path])
                    #expect(result.status == 0, "\(file): \(result.stderr)")
                }
            }
            let examples = Self.exampleFiles
            #expect(!examples.isEmpty)
            for namespace in try Self.namespaces(in: examples) {
                let manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(namespace)\n"
                #expect(try await kubectl.run(["apply", "-f", try kubectl.file("ns-\(namespace).yaml", manifest)]).status == 0)
            }
            for example in examples {
                let result = try await kubectl.run(["apply", "-f", example.path])
                #expect(result.status == 0, "\(example.lastPathComponent): \(result.stderr)")
            }
            let pools = try await kubectl.run(["get", "gpupools", "-A", "-o", "name"])
            #expect(pools.stdout.split(separator: "\n").count >= examples.count, "\(pools.stdout) \(pools.stderr)")

            let first = try String(contentsOf: try #require(examples.first), encoding: .utf8)
            let invalid = first.replacingOccurrences(of: "mode: Active", with: "mode: Sometimes")
                .replacingOccurrences(of: "mode: ForecastOnly", with: "mode: Sometimes")
            if !invalid.contains("mode: Sometimes") {
                Issue.record("the first example declares no mode to break")
                return
            }
            let rejected = try await kubectl.run(["apply", "-f", try kubectl.file("invalid-pool.yaml", invalid)])
            #expect(rejected.status != 0)
            #expect(rejected.stderr.contains("spec.mode: Unsupported value: \"Sometimes\""), "\(rejected.stderr)")
        }
    }
}
