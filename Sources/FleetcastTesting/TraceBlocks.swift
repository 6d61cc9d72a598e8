import Foundation

/// Prometheus TSDB blocks holding a demand-series trace as kube-state-metrics would expose it:
/// `kube_pod_container_resource_requests{namespace="serving", pod="llm-0|llm-1", container="server",
/// resource="nvidia_com_gpu", unit="integer"}`, the trace's GPUs split evenly over two pods (halving
/// is exact in binary, so the pods' `sum` is the trace's value bit for bit). Built once per path and
/// anchor by `promtool tsdb create-blocks-from openmetrics`; each test copies the blocks into its own
/// Prometheus's storage.
public enum TraceBlocks {
    /// The query that returns the trace: the pods' GPU requests summed.
    public static let query = #"sum(kube_pod_container_resource_requests{namespace="serving",resource="nvidia_com_gpu"})"#

    private static let builds = LockedValue<[String: Task<URL, any Error>]>([:])

    /// Blocks of the demand-series CSV at `trace`, trace time 0 at `anchor`, `days` days of it; built
    /// once per process (concurrent callers wait for the same build).
    public static func blocks(trace: String, anchor: Date, days: Int) async throws -> URL {
        let key = "\(trace)@\(anchor.timeIntervalSince1970)/\(days)"
        let build = builds.withLock { builds -> Task<URL, any Error> in
            if let running = builds[key] { return running }
            let task = Task { try await Self.build(trace: trace, anchor: anchor, days: days) }
            builds[key] = task
            return task
        }
        return try await build.value
    }

    /// Builds the blocks once per trace, anchor and length on this machine: under a stable name in the
    /// temporary directory (built aside, then moved into place), so later test runs reuse them: one
    /// 5 MB directory per trace and week, instead of one per test process.
    private static func build(trace: String, anchor: Date, days: Int) async throws -> URL {
        let temporary = FileManager.default.temporaryDirectory
        let name = URL(fileURLWithPath: trace).deletingPathExtension().lastPathComponent
        let blocks = temporary.appendingPathComponent("fleetcast-trace-blocks-\(name)-\(Int(anchor.timeIntervalSince1970))-\(days)d")
        // The directory appears only complete (it is moved into place after promtool finished).
        if FileManager.default.fileExists(atPath: blocks.path) { return blocks }
        guard let promtool = ToolRun.onPath("promtool") else {
            throw PrometheusServer.Unavailable(description: "promtool not on PATH: run hack/install-deps.sh (Debian package prometheus)")
        }
        let directory = temporary.appendingPathComponent("fleetcast-trace-blocks-building-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("series.om")
        try openMetrics(rows: try rows(trace: trace, days: days), anchor: anchor).write(to: input, atomically: true, encoding: .utf8)
        let built = directory.appendingPathComponent("blocks")
        let (status, output) = try await ToolRun.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", "-q", input.path, built.path])
        guard status == 0 else { throw PrometheusServer.Unavailable(description: "promtool tsdb create-blocks-from failed: \(output)") }
        // Another process may have finished first; its blocks are the same.
        try? FileManager.default.moveItem(at: built, to: blocks)
        return blocks
    }

    /// `(seconds, gpus)` rows of a demand-series CSV, the first `days` days.
    public static func rows(trace: String, days: Int) throws -> [(Double, Double)] {
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        var rows: [(Double, Double)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",")
            guard cells.count >= 2, let time = Double(cells[0]), let gpus = Double(cells[1]) else { continue }
            guard time < Double(days) * 86_400 else { break }
            rows.append((time, gpus))
        }
        return rows
    }

    /// The rows as OpenMetrics text: one family, two series, each in time order.
    public static func openMetrics(rows: [(Double, Double)], anchor: Date) -> String {
        var text = "# HELP kube_pod_container_resource_requests The number of requested request resource by a container.\n"
        text += "# TYPE kube_pod_container_resource_requests gauge\n"
        for pod in 0..<2 {
            let labels = #"{namespace="serving",pod="llm-\#(pod)",container="server",resource="nvidia_com_gpu",unit="integer"}"#
            for (time, gpus) in rows {
                text += "kube_pod_container_resource_requests\(labels) \(gpus / 2) \(Int(anchor.timeIntervalSince1970 + time))\n"
            }
        }
        return text + "# EOF\n"
    }

    /// The same rows as a demand-series CSV with absolute times (seconds since 1970).
    public static func csv(rows: [(Double, Double)], anchor: Date) -> String {
        "timestamp_seconds,gpus\n" + rows.map { "\(Int(anchor.timeIntervalSince1970 + $0.0)),\($0.1)\n" }.joined()
    }
}
