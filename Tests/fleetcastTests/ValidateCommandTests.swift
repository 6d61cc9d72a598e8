import Foundation
import Testing

@Suite("fleetcast validate (the built binary)")
struct ValidateCommandTests {
    static let goodPool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: good, namespace: ml}
        spec:
          nodes:
            selector: {matchLabels: {pool: a}}
            gpusPerNode: 8
            min: 1
            max: 4
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: good}
          demand: {pods: {selector: {matchLabels: {pool: a}}}}
        """

    static let badPool = """
        apiVersion: fleetcast.dev/v1alpha1
        kind: GPUPool
        metadata: {name: bad}
        spec:
          mode: Sometimes
          nodes:
            selector: {matchLabels: {pool: a}}
            gpusPerNode: 8
            min: 2
            max: 1
          target: {apiVersion: cluster.x-k8s.io/v1beta2, kind: MachineDeployment, name: bad}
          demand: {pods: {selector: {matchLabels: {pool: a}}}}
        """

    @Test func shippedExamplesAreValid() async throws {
        let result = try await FleetcastBinary.run(["validate", "-f", "deploy/examples"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("deploy/examples/l4-forecast-only.yaml:3: GPUPool batch/l4-batch is valid"))
        #expect(result.stdout.contains("deploy/examples/a100-serving-prometheus-history.yaml:5: GPUPool serving/a100-vllm is valid"))
        #expect(result.stdout.contains("deploy/examples/h100-training-schedules.yaml:5: GPUPool ml-platform/h100-batch is valid"))
        #expect(result.stdout.contains("deploy/examples/a100-serving-standby.yaml:8: GPUPool inference/a100-serving-standby is valid"))
        #expect(result.stdout.hasSuffix("6 GPUPools valid, 0 invalid, 0 other documents skipped\n"))
        #expect(result.stderr.isEmpty)
    }

    @Test func anInvalidPoolExitsOneNamingFileLineAndField() async throws {
        let directory = try FleetcastBinary.directory(with: ["good.yaml": Self.goodPool, "bad.yaml": Self.badPool])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await FleetcastBinary.run(["validate", "-f", directory.path])
        #expect(result.status == 1)
        let bad = directory.appendingPathComponent("bad.yaml").path
        #expect(result.stderr.contains(#"\#(bad):5: spec.mode: Unsupported value: "Sometimes": supported values: "Active", "ForecastOnly""#))
        #expect(result.stdout.contains("good.yaml:1: GPUPool ml/good is valid"))
        #expect(result.stderr.contains("1 GPUPool valid, 1 invalid, 0 other documents skipped"))
    }

    @Test func recursiveReadsSubdirectoriesOnlyWhenAsked() async throws {
        let directory = try FleetcastBinary.directory(with: ["good.yaml": Self.goodPool, "notes.txt": "not a manifest"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let nested = directory.appendingPathComponent("team-a")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Self.badPool.write(to: nested.appendingPathComponent("bad.yml"), atomically: true, encoding: .utf8)

        let flat = try await FleetcastBinary.run(["validate", "-f", directory.path])
        #expect(flat.status == 0, "\(flat.stderr)")
        let recursive = try await FleetcastBinary.run(["validate", "-R", "-f", directory.path])
        #expect(recursive.status == 1)
        #expect(recursive.stderr.contains("team-a/bad.yml:5: spec.mode: Unsupported value"))
    }

    @Test func aDirectoryWithoutManifestsIsAnIOError() async throws {
        let directory = try FleetcastBinary.directory(with: ["readme.txt": "nothing here"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await FleetcastBinary.run(["validate", "-f", directory.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no *.yaml, *.yml or *.json files in directory"))
    }

    @Test func validationRulesRunOnceTheSchemaIsSatisfied() async throws {
        let fixed = Self.badPool.replacingOccurrences(of: "  mode: Sometimes\n", with: "")
        let result = try await FleetcastBinary.run(["validate", "-f", "-"], stdin: fixed)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("<stdin>:9: spec.nodes.max: Invalid value: 1: must be greater than or equal to spec.nodes.min (2)\n"))
    }

    @Test func multiDocumentStdinSkipsOtherKinds() async throws {
        let stream = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n" + Self.goodPool
        let result = try await FleetcastBinary.run(["validate", "-f", "-"], stdin: stream)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#"<stdin>:1: skipped ConfigMap "settings" (v1): not a GPUPool"#))
        #expect(result.stdout.contains("<stdin>:5: GPUPool ml/good is valid"))
    }

    @Test func syntaxErrorsGiveLineAndColumn() async throws {
        let result = try await FleetcastBinary.run(["validate", "-f", "-"], stdin: "kind: GPUPool\nspec: [unclosed\nother: 1\n")
        #expect(result.status == 1)
        #expect(result.stderr.range(of: #"^<stdin>:\d+:\d+: YAML syntax error: "#, options: .regularExpression) != nil, "\(result.stderr)")
    }

    @Test func missingFileIsAnIOError() async throws {
        let result = try await FleetcastBinary.run(["validate", "-f", "does-not-exist.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("fleetcast validate: cannot read does-not-exist.yaml: no such file or directory\n"))
    }

    @Test func usageErrorsExitTwo() async throws {
        let noPath = try await FleetcastBinary.run(["validate"])
        #expect(noPath.status == 2)
        #expect(noPath.stderr.contains("give at least one manifest with -f PATH"))
        let unknownFlag = try await FleetcastBinary.run(["validate", "--frobnicate"])
        #expect(unknownFlag.status == 2)
    }

    @Test func helpExplainsExitCodes() async throws {
        let result = try await FleetcastBinary.run(["validate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Exit codes: 0 every GPUPool is valid; 1 a document is invalid, a file is empty,"))
    }

    /// One file that cannot be read (a symbolic link loop, a dangling link) does not hide the others:
    /// every readable file's problems are printed, each unreadable one says why, and the run fails at the end.
    @Test func unreadableFilesAreReportedWithTheRest() async throws {
        let directory = try FleetcastBinary.directory(with: ["a-good.yaml": Self.goodPool, "z-bad.yaml": Self.badPool])
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("m-loop.yaml").path,
                                                   withDestinationPath: "m-loop.yaml")
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("n-gone.yaml").path,
                                                   withDestinationPath: "missing.yaml")
        let result = try await FleetcastBinary.run(["validate", "-f", directory.path])
        #expect(result.status == 2)
        let loop = directory.appendingPathComponent("m-loop.yaml").path
        #expect(result.stderr.contains("fleetcast validate: cannot read \(loop): symbolic link loop (too many levels of symbolic links)"),
                "\(result.stderr)")
        #expect(result.stderr.contains("n-gone.yaml: no such file or directory"), "\(result.stderr)")
        #expect(result.stderr.contains("z-bad.yaml:5: spec.mode: Unsupported value"))
        #expect(result.stdout.contains("a-good.yaml:1: GPUPool ml/good is valid"))
        #expect(result.stderr.contains("1 GPUPool valid, 1 invalid, 0 other documents skipped, 2 unreadable"))

        let named = try await FleetcastBinary.run(["validate", "-f", loop, "-f", directory.appendingPathComponent("a-good.yaml").path])
        #expect(named.status == 2)
        #expect(named.stderr.contains("cannot read \(loop): symbolic link loop"), "\(named.stderr)")
        #expect(named.stdout.contains("GPUPool ml/good is valid"))
    }

    @Test func anEmptyFileIsReported() async throws {
        let directory = try FleetcastBinary.directory(with: ["empty.yaml": "", "comments.yaml": "# nothing yet\n---\n", "good.yaml": Self.goodPool])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await FleetcastBinary.run(["validate", "-f", directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("empty.yaml: empty file: no YAML document in it"))
        #expect(result.stderr.contains("comments.yaml: empty file: no YAML document in it"))
        #expect(result.stderr.contains("1 GPUPool valid, 0 invalid, 0 other documents skipped, 2 empty files"))
    }

    @Test func aRunWithoutAnyGPUPoolSaysSoAndFails() async throws {
        let result = try await FleetcastBinary.run(["validate", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("fleetcast validate: no GPUPool (fleetcast.dev/v1alpha1) found in the given files"))
    }

    @Test func aMisspeltKindIsAnErrorNotSkipped() async throws {
        let misspelt = Self.goodPool.replacingOccurrences(of: "kind: GPUPool", with: "kind: GpuPool")
        let result = try await FleetcastBinary.run(["validate", "-f", "-"], stdin: misspelt)
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"<stdin>:2: kind: Unsupported value: "GpuPool": supported values: "GPUPool""#), "\(result.stderr)")
        #expect(!result.stdout.contains("skipped"))
    }
}

@Suite("fleetcast crd (the built binary)")
struct CRDCommandTests {
    @Test func printsTheCommittedCRD() async throws {
        let result = try await FleetcastBinary.run(["crd"])
        #expect(result.status == 0)
        let committed = try String(contentsOf: FleetcastBinary.repositoryRoot.appendingPathComponent("crds/fleetcast.dev_gpupools.yaml"), encoding: .utf8)
        #expect(result.stdout == committed)
    }
}
