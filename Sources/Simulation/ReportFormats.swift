import Foundation

/// The terminal table and the CSV forms of a report. Column names are the metric names of the JSON.
extension SimulationReport {
    static let metricNames = [
        "policy", "cost", "nodeHours", "gpuHoursProvisioned", "gpuHoursUsed", "utilization", "unmetGPUHours",
        "servedFraction", "sloMinutesFraction", "coldStarts", "p95WaitSeconds", "scaleEvents",
    ]

    /// Columns added after `metricNames` when a replay ran a standby tier (the tiered policy).
    static let standbyMetricNames = ["standbyNodeHours", "resumes"]

    /// Whether any result has standby metrics; only then do the outputs carry their columns, so a
    /// report without a standby tier is what it was before there was one.
    var hasStandby: Bool { results.contains { $0.standbyNodeHours != nil } }

    /// One row per policy, every metric, full precision.
    public func csv() -> String {
        var lines = [(Self.metricNames + (hasStandby ? Self.standbyMetricNames : [])).joined(separator: ",")]
        for r in results {
            var fields: [String] = [
                r.policy, "\(r.cost)", "\(r.nodeHours)", "\(r.gpuHoursProvisioned)", "\(r.gpuHoursUsed)",
                "\(r.utilization)", "\(r.unmetGPUHours)", "\(r.servedFraction)", "\(r.sloMinutesFraction)",
                "\(r.coldStarts)", r.p95WaitSeconds.map { "\($0)" } ?? "", "\(r.scaleEvents)",
            ]
            if hasStandby { fields += [r.standbyNodeHours.map { "\($0)" } ?? "", r.resumes.map { "\($0)" } ?? ""] }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fixed-width table for a terminal, with cost relative to the oracle when it ran.
    public func table() -> String {
        let oracleCost = results.first { $0.policy == PolicyKind.oracle.rawValue }?.cost
        let header = ["policy", "cost", "vsOracle", "nodeHours", "utilization", "unmetGPUHours", "servedFraction",
                      "sloMinutesFraction", "coldStarts", "p95WaitSeconds", "scaleEvents"] + (hasStandby ? Self.standbyMetricNames : [])
        var rows = [header]
        for r in results {
            let standby = hasStandby ? [r.standbyNodeHours.map { Self.format($0, 1) } ?? "-", r.resumes.map { "\($0)" } ?? "-"] : []
            rows.append([
                r.policy, Self.format(r.cost, 2),
                oracleCost.map { $0 > 0 ? Self.format(r.cost / $0, 3) + "x" : "-" } ?? "-",
                Self.format(r.nodeHours, 1), Self.percent(r.utilization), Self.format(r.unmetGPUHours, 2),
                Self.percent(r.servedFraction, digits: 3), Self.percent(r.sloMinutesFraction, digits: 2),
                "\(r.coldStarts)", r.p95WaitSeconds.map { Self.format($0, 0) } ?? "-", "\(r.scaleEvents)",
            ] + standby)
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { column, text in
                column == 0 ? text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - text.count) + text
            }.joined(separator: "  ")
        }
        let unit = pool.hourlyCost == nil ? "node-hours" : "pool currency"
        let title = "\(pool.name): \(trace.file) (\(trace.format), \(Self.format(trace.spanSeconds / 86_400, 1)) days, "
            + "warm-up \(Self.format(trace.warmupSeconds / 86_400, 1)) days, start-up \(trace.startup), seed \(trace.seed)); cost in \(unit)"
        return ([title] + lines).joined(separator: "\n") + "\n"
    }

    static func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    static func percent(_ value: Double, digits: Int = 1) -> String {
        String(format: "%.\(digits)f%%", value * 100)
    }
}

extension SimulationRun {
    /// Header of the per-step CSV.
    public static let stepCSVHeader = "policy,offset_seconds,timestamp,demand_gpus,ready_nodes,billed_nodes,desired_nodes,forecast_mean_gpus,forecast_upper_gpus,unmet_gpu_seconds"

    /// One row per planning step of this run (the report's `steps.csv`).
    public func stepCSVRows(start: Date) -> [String] {
        let formatter = ISO8601DateFormatter()
        return steps.map { step in
            let fields: [String] = [
                result.policy, "\(Int(step.offset))",
                formatter.string(from: start.addingTimeInterval(step.offset)),
                "\(step.demandGPUs)", "\(step.readyNodes)", "\(step.billedNodes)", "\(step.desiredNodes)",
                step.forecastMean.map { "\($0)" } ?? "", step.forecastUpper.map { "\($0)" } ?? "",
                "\(step.unmetGPUSeconds)",
            ]
            return fields.joined(separator: ",")
        }
    }
}
