import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import Yams

@Suite("loadGPUPools(fromYAML:file:)")
struct ManifestLoaderTests {
    static let valid = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata:
          name: pool
        spec:
          nodes:
            selector: {matchLabels: {pool: a}}
            gpusPerNode: 8
            max: 10
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: pool}
          demand:
            pods:
              selector: {matchLabels: {pool: a}}
          forecast:
            step: 90s
            seasonalities: [24h]
        """

    /// Problems printed as `fleetcast validate` prints them.
    func problems(_ yaml: String) throws -> [String] {
        try loadGPUPools(fromYAML: yaml, file: "pool.yaml").flatMap { document -> [String] in
            if case .invalid(let found) = document.outcome { return found.map(\.description) }
            return []
        }
    }

    @Test func decodesAValidPoolAsWritten() throws {
        let documents = try loadGPUPools(fromYAML: Self.valid, file: "pool.yaml")
        #expect(documents.count == 1)
        guard case .pool(let pool) = documents.first?.outcome else {
            Issue.record("expected a valid pool, got \(documents)")
            return
        }
        #expect(pool.metadata.name == "pool")
        #expect(pool.spec.forecast?.step?.seconds == 90)
        #expect(pool.spec.mode == nil)
        #expect(pool.spec.withDefaults().mode == .active)
    }

    @Test(arguments: [
        // unknown fields, strictly, with the line of the key
        ("    gpuPerNode: 8\n", "pool.yaml:10: spec.nodes.gpuPerNode: Unknown field"),
        // wrong scalar type
        ("    hourlyCost: cheap\n", #"pool.yaml:10: spec.nodes.hourlyCost: Invalid value: "cheap": must be of type number"#),
        // a duration in words
        ("  startup: {expected: 15 minutes}\n",
         #"pool.yaml:10: spec.startup.expected: Invalid value: "15 minutes": time: unknown unit " minutes" in duration "15 minutes""#),
        // an enum value the schema does not list
        ("  mode: Foo\n", #"pool.yaml:10: spec.mode: Unsupported value: "Foo": supported values: "Active", "ForecastOnly""#),
        // a validation rule, located on its field
        ("  warmPool: {minIdleNodes: 3, maxIdleNodes: 2}\n",
         "pool.yaml:10: spec.warmPool.maxIdleNodes: Invalid value: 2: must be greater than or equal to spec.warmPool.minIdleNodes (3)"),
    ])
    func locatesEachProblem(appended: String, expected: String) throws {
        // Insert after line 9 ("    max: 10") so the new key is on line 10.
        var lines = Self.valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(String(appended.dropLast()), at: 9)
        #expect(try problems(lines.joined(separator: "\n")) == [expected])
    }

    @Test func reportsAllSchemaProblemsInLineOrder() throws {
        let yaml = """
            apiVersion: fleetcast.dev/v1alpha1
            kind: GPUPool
            metadata: {name: pool}
            spec:
              mode: Sometimes
              nodes:
                selector: {matchLabels: {pool: a}}
                gpusPerNode: "8"
              demand: {pods: {selector: {matchLabels: {pool: a}}}}
              extra: true
            """
        #expect(try problems(yaml) == [
            "pool.yaml:4: spec.target: Required value",
            #"pool.yaml:5: spec.mode: Unsupported value: "Sometimes": supported values: "Active", "ForecastOnly""#,
            "pool.yaml:6: spec.nodes.max: Required value",
            #"pool.yaml:8: spec.nodes.gpusPerNode: Invalid value: "8": must be of type integer"#,
            "pool.yaml:10: spec.extra: Unknown field",
        ])
    }

    /// Plain scalars resolve as YAML's core schema says before the type check; quoting makes a string.
    @Test(arguments: [
        ("name: true", #"pool.yaml:13: spec.target.name: Invalid value: true: must be of type string"#),
        ("name: 123", #"pool.yaml:13: spec.target.name: Invalid value: 123: must be of type string"#),
        ("name: ~", "pool.yaml:10: spec.target.name: Required value"),
    ])
    func resolvesPlainScalarsBeforeTypeChecks(line: String, expected: String) throws {
        let yaml = Self.valid.replacingOccurrences(
            of: "  target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: pool}",
            with: "  target:\n    apiVersion: cluster.x-k8s.io/v1beta2\n    kind: MachineDeployment\n    \(line)")
        let found = try problems(yaml)
        #expect(found == [expected])
        let quoted = Self.valid.replacingOccurrences(of: "name: pool}", with: "name: \"123\"}")
        #expect(try problems(quoted) == [])
    }

    @Test func notesOtherKindsAndReadsEveryDocument() throws {
        let yaml = """
            # leading comment
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            ---
            \(Self.valid)
            ---
            """
        let documents = try loadGPUPools(fromYAML: yaml, file: "all.yaml")
        #expect(documents.count == 2)
        #expect(documents[0].outcome == .skipped(apiVersion: "apps/v1", kind: "Deployment", name: "web"))
        #expect(documents[0].line == 3)
        #expect(documents[1].line == 7)
        if case .pool = documents[1].outcome {} else { Issue.record("second document should be a valid pool") }
    }

    @Test func readsTheItemsOfAList() throws {
        let yaml = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: settings}
            - apiVersion: fleetcast.dev/v1alpha1
              kind: GPUPool
              metadata: {name: listed}
              spec:
                nodes: {selector: {matchLabels: {a: b}}, gpusPerNode: 0, max: 2}
                target: {apiVersion: v1, kind: Deployment, name: listed}
                demand: {pods: {selector: {matchLabels: {a: b}}}}
            """
        let documents = try loadGPUPools(fromYAML: yaml, file: "list.yaml")
        #expect(documents.map(\.line) == [4, 7])
        #expect(documents.first?.outcome == .skipped(apiVersion: "v1", kind: "ConfigMap", name: "settings"))
        #expect(documents.last?.outcome == .invalid([ManifestProblem(
            file: "list.yaml", line: 11,
            fieldError: .invalid(FieldPath("spec").child("nodes").child("gpusPerNode"), .int(0), "must be greater than or equal to 1"))]))
    }

    @Test func rejectsAnUnsupportedVersionAndMissingKind() throws {
        #expect(try problems("apiVersion: fleetcast.dev/v1\nkind: GPUPool\n") ==
            [#"pool.yaml:1: apiVersion: Unsupported value: "fleetcast.dev/v1": supported values: "fleetcast.dev/v1alpha1""#])
        #expect(try problems("apiVersion: v1\nmetadata: {name: x}\n") == ["pool.yaml:1: kind: Required value"])
        #expect(try problems("- just\n- a list\n") == ["pool.yaml:1: a manifest document must be a mapping with apiVersion and kind"])
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        let yaml = "apiVersion: fleetcast.dev/v1alpha1\nkind: GPUPool\nspec:\n  nodes: [1, 2\n  target: x\n"
        #expect {
            _ = try loadGPUPools(fromYAML: yaml, file: "bad.yaml")
        } throws: { error in
            guard let problem = error as? ManifestProblem else { return false }
            return problem.line == 5 && problem.column != nil && problem.description.hasPrefix("bad.yaml:5:")
                && problem.description.contains("YAML syntax error")
        }
    }

    @Test func duplicateKeysAreSyntaxErrors() {
        #expect {
            _ = try loadGPUPools(fromYAML: "kind: GPUPool\nkind: GPUPool\n", file: "dup.yaml")
        } throws: { error in
            (error as? ManifestProblem)?.description == #"dup.yaml:2:1: YAML syntax error: duplicate key "kind" in mapping (first given at line 1)"#
        }
    }

    @Test func yamlRoundTripKeepsThePool() throws {
        var pool = Fixtures.poolWithStatus
        pool.spec = pool.spec.withDefaults()
        let yaml = try YAMLEncoder().encode(pool)
        let documents = try loadGPUPools(fromYAML: yaml, file: "roundtrip.yaml")
        #expect(documents.first?.outcome == .pool(pool))
    }
}
