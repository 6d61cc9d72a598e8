import FleetcastAPI
import Foundation
import Testing

/// Inputs the GPUPool YAML fuzz target (Fuzz/Sources/FuzzGPUPoolManifest, docs/fuzzing.md) found, kept
/// as files under Tests/FuzzFindings/FleetcastAPI so each stays fixed.
@Suite("Fuzz findings: GPUPool YAML")
struct FuzzFindingTests {
    static let findings = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzFindings/FleetcastAPI")

    /// libyaml's reader refuses control characters before any token exists, so its error carries a
    /// byte offset but no mark; the problem used to say "control characters are not allowed" with no line.
    @Test func controlCharacterErrorNamesItsLine() throws {
        let text = try String(contentsOf: Self.findings.appendingPathComponent("control-character-in-yaml.yaml"), encoding: .utf8)
        #expect {
            _ = try loadGPUPools(fromYAML: text, file: "found.yaml")
        } throws: { error in
            guard let problem = error as? ManifestProblem else { return false }
            return problem.line == 3 && problem.column == 11
                && problem.description.hasPrefix("found.yaml:3:11: YAML syntax error: control characters are not allowed")
        }
    }

    @Test(arguments: [
        ("\u{7}", 1, 1),
        ("kind: GPUPool\n  a: \u{1B}[31m\n", 2, 6),
        ("# naïve ✓\nname: x\u{FFFE}\n", 2, 8),
        ("a: 1\r\nb: \u{0}\n", 2, 4),
    ])
    func controlCharactersAnywhereGetALine(yaml: String, line: Int, column: Int) {
        #expect {
            _ = try loadGPUPools(fromYAML: yaml, file: "c.yaml")
        } throws: { error in
            let problem = error as? ManifestProblem
            return problem?.line == line && problem?.column == column
        }
    }
}
