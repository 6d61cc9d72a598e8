import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal, so logs
/// and pipes never see it and standard output stays clean for table, JSON or CSV.
final class SimulationProgress: @unchecked Sendable {
    private let enabled: Bool
    private let total: Int
    private var lastDrawn = -1

    init(enabled: Bool, total: Int) {
        self.enabled = enabled
        self.total = max(1, total)
    }

    func update(policy: String, index: Int, fraction: Double) {
        guard enabled else { return }
        let overall = (Double(index) + min(max(fraction, 0), 1)) / Double(total)
        let percent = Int(overall * 100)
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = Int(overall * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)% \(policy) (\(index + 1)/\(total))   ".utf8))
    }

    func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
