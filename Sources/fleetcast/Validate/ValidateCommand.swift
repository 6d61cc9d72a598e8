import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Foundation

extension Fleetcast {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check GPUPool manifests without a cluster.",
            discussion: """
                Reads YAML files (multi-document streams allowed), checks every GPUPool document the way \
                the API server would with strict field validation (unknown fields, types, enums, required \
                fields, then every validation rule), and notes and skips documents of other kinds. A \
                document in the fleetcast.dev group that is not exactly apiVersion fleetcast.dev/v1alpha1, \
                kind GPUPool (e.g. kind: GpuPool), or a GPUPool under another group, is an error, not skipped.

                Each problem is printed to standard error as FILE:LINE: FIELD-PATH: message, e.g.
                  pool.yaml:12: spec.nodes.max: Invalid value: 0: must be greater than or equal to 1
                  pool.yaml:20: spec.target.name: Required value
                YAML syntax errors are printed as FILE:LINE:COLUMN: message.

                Exit codes: 0 every GPUPool is valid; 1 a document is invalid, a file is empty, or no \
                GPUPool was found at all; 2 usage or I/O error (a missing or unreadable file, a symbolic \
                link loop, a directory without YAML files). Files that cannot be read are reported along \
                with the problems of every file that can, and the run exits non-zero at the end.
                """
        )

        @Option(name: [.customShort("f"), .customLong("filename")],
                help: ArgumentHelp("A file, a directory (its *.yaml, *.yml and *.json files), or - for standard input. Repeatable.",
                                   valueName: "path"))
        var paths: [String] = []

        @Flag(name: [.customShort("R"), .long], help: "Also read files in subdirectories of a directory.")
        var recursive = false

        @Flag(name: .shortAndLong, help: "Print only problems, not a line per valid pool and skipped document.")
        var quiet = false

        func validate() throws {
            if paths.isEmpty {
                throw ValidationError("give at least one manifest with -f PATH (a file, a directory, or - for stdin)")
            }
        }

        func run() throws {
            let expansion = ManifestSource.expand(paths, recursive: recursive)
            var report = ValidationReport(quiet: quiet)
            // Every readable file is checked even when another could not be read; the run fails at the end.
            for unreadable in expansion.unreadable {
                report.unreadable(unreadable.description)
            }
            for source in expansion.sources {
                report.check(source)
            }
            report.printSummary()
            throw ExitCode(report.exitStatus)
        }
    }
}
