import FleetcastAPI
import FleetcastCLI
import Foundation

/// Accumulates what `fleetcast validate` found and decides the exit status: problems go to standard
/// error, notes about valid pools and skipped documents to standard output.
struct ValidationReport {
    var quiet: Bool
    private(set) var validPools = 0
    private(set) var invalidDocuments = 0
    private(set) var skippedDocuments = 0
    private(set) var emptyFiles = 0
    private(set) var unreadableFiles = 0

    init(quiet: Bool) {
        self.quiet = quiet
    }

    /// 2 when a file could not be read (an I/O error, as before any check); else 1 when a document is
    /// invalid, a file is empty or nothing was a GPUPool; else 0.
    var exitStatus: Int32 {
        if unreadableFiles > 0 { return ExitStatus.usageOrIO }
        if invalidDocuments > 0 || emptyFiles > 0 || foundNoPool { return ExitStatus.invalid }
        return ExitStatus.success
    }

    /// Nothing that was read was a GPUPool, valid or not: a run meant to check pools checked none.
    private var foundNoPool: Bool { validPools == 0 && invalidDocuments == 0 }

    mutating func unreadable(_ message: String) {
        unreadableFiles += 1
        problem("fleetcast validate: \(message)")
    }

    mutating func check(_ source: ManifestSource) {
        let documents: [LoadedDocument]
        do {
            documents = try loadGPUPools(fromYAML: source.text, file: source.name)
        } catch {
            invalidDocuments += 1
            problem(error.description)
            return
        }
        if documents.isEmpty {
            emptyFiles += 1
            problem("\(source.name): empty file: no YAML document in it")
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
        var summary = "\(pools) valid, \(invalidDocuments) invalid, \(skipped) skipped"
        if emptyFiles > 0 { summary += ", \(emptyFiles) empty \(emptyFiles == 1 ? "file" : "files")" }
        if unreadableFiles > 0 { summary += ", \(unreadableFiles) unreadable" }
        if foundNoPool && unreadableFiles == 0 {
            problem("fleetcast validate: no GPUPool (\(GPUPool.apiVersion)) found in the given files")
        }
        if exitStatus != ExitStatus.success {
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
