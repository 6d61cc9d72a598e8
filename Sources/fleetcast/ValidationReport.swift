import FleetcastAPI
import Foundation

/// Accumulates what `fleetcast validate` found and decides the exit status: problems go to standard
/// error, notes about valid pools and skipped documents to standard output.
struct ValidationReport {
    var quiet: Bool
    private(set) var validPools = 0
    private(set) var invalidDocuments = 0
    private(set) var skippedDocuments = 0

    init(quiet: Bool) {
        self.quiet = quiet
    }

    var exitStatus: Int32 { invalidDocuments > 0 ? ExitStatus.invalid : ExitStatus.success }

    mutating func check(_ source: ManifestSource) {
        let documents: [LoadedDocument]
        do {
            documents = try loadGPUPools(fromYAML: source.text, file: source.name)
        } catch {
            invalidDocuments += 1
            problem(error.description)
            return
        }
        for document in documents {
            switch document.outcome {
            case .pool(let pool):
                validPools += 1
                let namespace = pool.metadata.namespace.map { "\($0)/" } ?? ""
                note("\(source.name):\(document.line): GPUPool \(namespace)\(pool.metadata.name ?? "") is valid")
            case .invalid(let problems):
                invalidDocuments += 1
                problems.forEach { problem($0.description) }
            case .skipped(let apiVersion, let kind, let name):
                skippedDocuments += 1
                let named = name.map { " \"\($0)\"" } ?? ""
                note("\(source.name):\(document.line): skipped \(kind)\(named) (\(apiVersion)): not a GPUPool")
            }
        }
    }

    func printSummary() {
        let pools = validPools == 1 ? "1 GPUPool" : "\(validPools) GPUPools"
        let skipped = skippedDocuments == 1 ? "1 other document" : "\(skippedDocuments) other documents"
        let summary = "\(pools) valid, \(invalidDocuments) invalid, \(skipped) skipped"
        if invalidDocuments > 0 {
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        } else if !quiet {
            print(summary)
        }
    }

    private func note(_ line: String) {
        if !quiet { print(line) }
    }

    private func problem(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
