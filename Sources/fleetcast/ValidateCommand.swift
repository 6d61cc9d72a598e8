import ArgumentParser
import FleetcastAPI
import Foundation

extension Fleetcast {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check GPUPool manifests without a cluster.",
            discussion: """
                Reads YAML files (multi-document streams allowed), checks every GPUPool document the way \
                the API server would with strict field validation (unknown fields, types, enums, required \
                fields, then every validation rule), and notes and skips documents of other kinds.

                Each problem is printed to standard error as FILE:LINE: FIELD-PATH: message, e.g.
                  pool.yaml:12: spec.nodes.max: Invalid value: 0: must be greater than or equal to 1
                  pool.yaml:20: spec.target.name: Required value
                YAML syntax errors are printed as FILE:LINE:COLUMN: message.

                Exit codes: 0 every GPUPool is valid; 1 a document is invalid; 2 usage or I/O error \
                (a missing or unreadable file, a directory without YAML files).
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
            let sources: [ManifestSource]
            do {
                sources = try ManifestSource.expand(paths, recursive: recursive)
            } catch {
                FileHandle.standardError.write(Data("fleetcast validate: \(error.description)\n".utf8))
                throw ExitCode(ExitStatus.usageOrIO)
            }
            var report = ValidationReport(quiet: quiet)
            for source in sources {
                report.check(source)
            }
            report.printSummary()
            throw ExitCode(report.exitStatus)
        }
    }
}
