import FleetcastAPI
import Forecasting
import Foundation
import KubeAPI
import Operator

/// Text renderings of pools for `fleetcast status`.
enum PoolStatusText {
    static func table(_ pools: [GPUPool], showNamespace: Bool) -> String {
        var rows = [(showNamespace ? ["NAMESPACE"] : []) + ["NAME", "MODE", "READY", "DESIRED", "IDLE", "DEMAND", "PEAK", "READY?", "PLAN"]]
        for pool in pools.sorted(by: { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }) {
            let status = pool.status
            let ready = status?.conditions?[type: "Ready"]
            var row = showNamespace ? [pool.metadata.namespace ?? ""] : []
            row += [pool.metadata.name ?? "", pool.spec.withDefaults().effectiveMode.rawValue,
                    text(status?.nodes?.ready), text(status?.nodes?.desired), text(status?.nodes?.idle),
                    text(status?.demand?.gpus), status?.forecast?.peakGPUs.map { String(format: "%.1f", $0) } ?? "-",
                    ready.map { "\($0.status.rawValue)/\($0.reason)" } ?? "-", ready?.message ?? ""]
            rows.append(row)
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func details(_ pool: GPUPool) -> String {
        let status = pool.status ?? GPUPoolStatus()
        var lines = ["Pool:       \(pool.metadata.namespace ?? "")/\(pool.metadata.name ?? "") (\(pool.spec.withDefaults().effectiveMode.rawValue))"]
        let target = pool.spec.target.namespace.map { "\($0)/\(pool.spec.target.name)" } ?? pool.spec.target.name
        lines.append("Target:     \(pool.spec.target.kind) \(target) (\(pool.spec.withDefaults().effectiveSemantics.rawValue))")
        if let nodes = status.nodes {
            lines.append("Nodes:      \(text(nodes.ready)) ready, \(text(nodes.starting)) starting, \(text(nodes.idle)) idle, \(text(nodes.desired)) desired")
        }
        if pool.spec.warmPool?.standby != nil, let standby = status.standby {
            lines.append("Standby:    \(text(standby.desired)) desired, \(text(standby.readyToResume)) ready to resume")
            lines.append("  Resume: planned \(standby.resumeTime?.description ?? "-"); p50 \(standby.resumeP50?.description ?? "-"), "
                         + "p90 \(standby.resumeP90?.description ?? "-") from \(text(standby.resumeSamples ?? 0)) resumes")
        }
        if let demand = status.demand {
            let queued = (demand.queuedGPUs ?? 0) > 0 ? ", \(text(demand.queuedGPUs)) of them queued" : ""
            lines.append("Demand:     \(text(demand.gpus)) GPUs (\(text(demand.pendingGPUs)) pending\(queued))")
        }
        if let forecast = status.forecast, let peak = forecast.peakGPUs {
            lines.append("Forecast:   peak \(String(format: "%.1f", peak)) GPUs at \(forecast.peakAt ?? "-") within \(forecast.horizon?.description ?? "-")")
        }
        if let next = status.nextSchedule, let name = next.name {
            lines.append("Next:       \(name) at \(next.startsAt ?? "-") needs \(text(next.gpus)) GPUs")
        }
        for found in status.discoveredSchedules ?? [] {
            lines.append("Discovered: \(found.source): \"\(found.cron)\" \(found.timeZone), \(found.gpus) GPUs for \(found.duration) (\(found.durationSource))")
        }
        if let startup = status.startup {
            lines.append("Start-up:   p50 \(startup.p50?.description ?? "-"), p90 \(startup.p90?.description ?? "-") from \(text(startup.samples)) nodes")
            if let lead = startup.leadTime { lines.append("Lead time:  \(lead) from asking for a node to a serving pod") }
            for phase in startup.phases ?? [] {
                lines.append("  \(phase.name): p50 \(phase.p50?.description ?? "-"), p90 \(phase.p90?.description ?? "-") from \(text(phase.samples))")
            }
        }
        if let last = status.lastScale, let time = last.time {
            lines.append("Last scale: \(text(last.from)) → \(text(last.to)) at \(time) (\(last.reason ?? "-"))")
        }
        for condition in status.conditions ?? [] {
            lines.append("  \(condition.type)=\(condition.status.rawValue) \(condition.reason): \(condition.message)")
        }
        return lines.joined(separator: "\n")
    }

    /// A one-line chart of the next hours' forecast (upper quantile), learned from the pool's history.
    static func chart(pool: GPUPool, historyMap: ConfigMap, now: Date) -> String? {
        guard let history = HistoryStorage.history(in: historyMap) else { return nil }
        let forecast: Forecast
        do {
            forecast = try HistoryStorage.forecast(pool: pool, history: history, now: now, horizon: 6 * 3600)
        } catch {
            return "Forecast:   none, the spec is invalid: \(error.description)"
        }
        let values = forecast.points.map(\.upper)
        guard let top = values.max(), top > 0 else { return "Forecast:   flat at 0 GPUs for the next 6h" }
        let levels = Array("▁▂▃▄▅▆▇█")
        let bars = String(values.map { levels[min(levels.count - 1, Int(($0 / top) * Double(levels.count - 1)))] })
        return "Next 6h:    \(bars)  (max \(String(format: "%.1f", top)) GPUs, \(forecast.model))"
    }

    private static func text(_ value: Int?) -> String { value.map(String.init) ?? "-" }
}
