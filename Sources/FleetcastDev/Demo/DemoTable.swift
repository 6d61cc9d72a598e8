import Foundation

/// The demo's live table: fixed-width columns so rows printed seconds apart line up, the plan's
/// sentence last because it is the longest.
enum DemoTable {
    static let columns: [(title: String, width: Int)] = [
        ("TIME", 8), ("T-WINDOW", 8), ("DEMAND", 6), ("READY", 5), ("STARTING", 8), ("DESIRED", 7),
        ("READY GPUS", 10), ("PENDING", 7), ("LEAD", 9), ("PLAN", 0),
    ]

    static var header: String { line(columns.map(\.title)) }

    /// One row. `window` is when the scheduled burst opens; T-WINDOW counts down to it (negative
    /// before, positive after).
    static func row(_ sample: DemoSample, window: Date) -> String {
        let lead = sample.startupP90.map { "\(Int($0.rounded()))s/\(sample.startupSamples ?? 0)" } ?? "-"
        return line([
            clock(sample.time), offset(sample.time.timeIntervalSince(window)), String(sample.demandGPUs),
            String(sample.readyNodes), String(sample.startingNodes), sample.desiredNodes.map(String.init) ?? "-",
            String(sample.readyGPUs), String(sample.pendingPods), lead, sample.plan ?? "(waiting for the operator's first reconcile)",
        ])
    }

    static func line(_ cells: [String]) -> String {
        zip(cells, columns).map { cell, column in
            column.width == 0 ? cell : cell.padding(toLength: max(column.width, cell.count), withPad: " ", startingAt: 0)
        }.joined(separator: " ")
    }

    /// HH:MM:SS in UTC, the zone the demo's cron schedule is written in.
    static func clock(_ instant: Date) -> String {
        let second = ((Int(instant.timeIntervalSince1970.rounded(.down)) % 86_400) + 86_400) % 86_400
        return String(format: "%02d:%02d:%02d", second / 3600, second % 3600 / 60, second % 60)
    }

    /// "-1:05" before the window, "+0:12" after.
    static func offset(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded(seconds < 0 ? .up : .down))
        let magnitude = abs(whole)
        return String(format: "%@%d:%02d", seconds < 0 ? "-" : "+", magnitude / 60, magnitude % 60)
    }
}
