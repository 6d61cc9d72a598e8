import FleetcastAPI
import Foundation
import KubeAPI
import Testing

/// The mistakes a careless user makes in a GPUPool file, each reported in the user's terms with the
/// line to fix: a misspelt kind or group, a whole number written as a float, NaN and infinity, a
/// repeated key.
@Suite("ManifestLoader: mistakes in the user's terms")
struct ManifestMistakeTests {
    func problems(_ yaml: String) throws -> [String] {
        try ManifestLoaderTests().problems(yaml)
    }

    func outcomes(_ yaml: String) throws -> [LoadedDocument.Outcome] {
        try loadGPUPools(fromYAML: yaml, file: "pool.yaml").map(\.outcome)
    }

    @Test(arguments: [
        ("apiVersion: fleetcast.dev/v1alpha1\nkind: GpuPool\nmetadata: {name: x}\n",
         [#"pool.yaml:2: kind: Unsupported value: "GpuPool": supported values: "GPUPool""#]),
        ("apiVersion: fleetcast.dev/v1alpha1\nkind: ScalingPolicy\n",
         [#"pool.yaml:2: kind: Unsupported value: "ScalingPolicy": supported values: "GPUPool""#]),
        ("apiVersion: fleetcast.dev/v1alpha\nkind: GPUPool\n",
         [#"pool.yaml:1: apiVersion: Unsupported value: "fleetcast.dev/v1alpha": supported values: "fleetcast.dev/v1alpha1""#]),
        ("apiVersion: fleetcast.io/v1alpha1\nkind: GPUPool\n",
         [#"pool.yaml:1: apiVersion: Unsupported value: "fleetcast.io/v1alpha1": supported values: "fleetcast.dev/v1alpha1""#]),
        ("apiVersion: fleetcast/v1alpha1\nkind: GPUPool\n",
         [#"pool.yaml:1: apiVersion: Unsupported value: "fleetcast/v1alpha1": supported values: "fleetcast.dev/v1alpha1""#]),
        ("apiVersion: v1alpha1\nkind: GPUPool\n",
         [#"pool.yaml:1: apiVersion: Unsupported value: "v1alpha1": supported values: "fleetcast.dev/v1alpha1""#]),
        ("apiVersion: fleetcast.dev/v1alpha1\nkind: gpupool\n",
         [#"pool.yaml:2: kind: Unsupported value: "gpupool": supported values: "GPUPool""#]),
    ])
    func misspeltKindsAndGroupsAreErrorsNotSkipped(yaml: String, expected: [String]) throws {
        #expect(try problems(yaml) == expected)
    }

    @Test func otherGroupsAreStillSkipped() throws {
        let outcomes = try outcomes("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: v1\nkind: Pod\n")
        #expect(outcomes == [.skipped(apiVersion: "apps/v1", kind: "Deployment", name: "web"),
                             .skipped(apiVersion: "v1", kind: "Pod", name: nil)])
    }

    /// kube-apiserver accepts `4.0` for a `type: integer` field (a whole-number float is an integer to
    /// its structural schema), so `fleetcast validate` and the operator do too.
    @Test func aWholeNumberFloatIsTheInteger() throws {
        let yaml = ManifestLoaderTests.valid.replacingOccurrences(of: "gpusPerNode: 8", with: "gpusPerNode: 4.0")
        let documents = try loadGPUPools(fromYAML: yaml, file: "pool.yaml")
        guard case .pool(let pool)? = documents.first?.outcome else {
            Issue.record("expected a valid pool, got \(documents)")
            return
        }
        #expect(pool.spec.nodes.gpusPerNode == 4)
        let big = ManifestLoaderTests.valid.replacingOccurrences(of: "max: 10", with: "max: 1.0e1")
        guard case .pool(let bigPool)? = try loadGPUPools(fromYAML: big, file: "pool.yaml").first?.outcome else {
            Issue.record("1.0e1 should be the integer 10")
            return
        }
        #expect(bigPool.spec.nodes.max == 10)
    }

    @Test(arguments: [
        ("gpusPerNode: 4.5", "pool.yaml:8: spec.nodes.gpusPerNode: Invalid value: 4.5: must be a whole number"),
        ("gpusPerNode: .nan", #"pool.yaml:8: spec.nodes.gpusPerNode: Invalid value: ".nan": must be a finite number, not NaN or infinity"#),
        ("gpusPerNode: .inf", #"pool.yaml:8: spec.nodes.gpusPerNode: Invalid value: ".inf": must be a finite number, not NaN or infinity"#),
        ("gpusPerNode: 1e30", "pool.yaml:8: spec.nodes.gpusPerNode: Invalid value: 1e+30: must be a whole number between -9223372036854775808 and 9223372036854775807"),
    ])
    func notWholeOrNotFiniteIntegersSaySo(line: String, expected: String) throws {
        let yaml = ManifestLoaderTests.valid.replacingOccurrences(of: "gpusPerNode: 8", with: line)
        let found = try problems(yaml)
        #expect(found.count == 1)
        #expect(found.first == expected)
        #expect(!found.joined().contains("EncodingError"))
    }

    @Test(arguments: [".nan", ".inf", "-.inf", ".NaN"])
    func nonFiniteNumbersGiveAFieldPathNotAnEncodingError(value: String) throws {
        let yaml = ManifestLoaderTests.valid.replacingOccurrences(of: "    max: 10\n", with: "    max: 10\n    hourlyCost: \(value)\n")
        let found = try problems(yaml)
        #expect(found.count == 1)
        let problem = try #require(found.first)
        #expect(problem.hasPrefix("pool.yaml:10: spec.nodes.hourlyCost: Invalid value: \"\(value)\": "), "\(problem)")
        #expect(problem.hasSuffix(": must be a finite number, not NaN or infinity"), "\(problem)")
    }

    @Test func aDuplicateKeyPointsAtItsSecondOccurrence() {
        let yaml = """
            apiVersion: fleetcast.dev/v1alpha1
            kind: GPUPool
            metadata: {name: pool}
            spec:
              nodes:
                gpusPerNode: 8
                max: 4
                # a comment between
                gpusPerNode: 4
            """
        #expect {
            _ = try loadGPUPools(fromYAML: yaml, file: "dup.yaml")
        } throws: { error in
            (error as? ManifestProblem)?.description
                == #"dup.yaml:9:5: YAML syntax error: duplicate key "gpusPerNode" in mapping (first given at line 6)"#
        }
        #expect {
            _ = try loadGPUPools(fromYAML: "metadata: {name: a, labels: {}, name: b}\n", file: "flow.yaml")
        } throws: { error in
            (error as? ManifestProblem)?.description
                == #"flow.yaml:1:33: YAML syntax error: duplicate key "name" in mapping (first given at line 1)"#
        }
    }
}
