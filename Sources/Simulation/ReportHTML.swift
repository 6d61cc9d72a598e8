import Foundation

/// The self-contained HTML report written by `--report DIR`: the metrics table, cost and unmet demand
/// per policy, and for each policy a chart of demand, forecast band, and ready and desired capacity.
extension SimulationReport {
    /// - Parameter frontier: when the compare includes tuning, the cost-versus-served frontier as an SVG
    ///   (drawn by the Tuning module's `FrontierChart`, which this module cannot import) and a sentence on it.
    public func html(runs: [SimulationRun], frontier: (svg: String, caption: String)? = nil) -> String {
        let gpusPerNode = pool.gpusPerNode
        var body = "<h1>Fleetcast what-if: \(SVGChart.escape(pool.name))</h1>"
        body += "<p>Trace <code>\(SVGChart.escape(trace.file))</code> (\(trace.format)), "
            + "\(String(format: "%.1f", trace.spanSeconds / 86_400)) days from \(trace.start), "
            + "warm-up \(String(format: "%.1f", trace.warmupSeconds / 86_400)) days not scored; start-up \(SVGChart.escape(trace.startup)); seed \(trace.seed). "
            + "\(Int(gpusPerNode)) GPUs per node, \(pool.minNodes)–\(pool.maxNodes) nodes"
            + (pool.hourlyCost.map { ", \(String(format: "%.2f", $0)) per node-hour" } ?? ", cost in node-hours") + ".</p>"
        body += "<h2>Metrics</h2>" + metricsTable()
        body += "<h2>Cost per policy</h2>" + SVGChart.bars(results.map { ($0.policy, $0.cost) }, color: "#4e79a7",
                                                             unit: pool.hourlyCost == nil ? "node-h" : "")
        body += "<h2>Unmet demand per policy</h2>" + SVGChart.bars(results.map { ($0.policy, $0.unmetGPUHours) }, color: "#e15759", unit: "GPU-h")
        if let frontier {
            body += "<h2 id=\"frontier\">Cost versus served: the frontier</h2><p>\(SVGChart.escape(frontier.caption))</p>" + frontier.svg
        }
        for run in runs where !run.steps.isEmpty {
            let steps = run.steps
            var lines = [
                SVGChart.Line(name: "demand (GPUs)", color: "#333", values: steps.map(\.demandGPUs)),
                SVGChart.Line(name: "ready capacity", color: "#59a14f", values: steps.map { Double($0.readyNodes) * gpusPerNode }),
                SVGChart.Line(name: "desired capacity", color: "#4e79a7", values: steps.map { Double($0.desiredNodes) * gpusPerNode }, dashed: true),
            ]
            let unmet = steps.map { $0.unmetGPUSeconds / 60 }
            if unmet.contains(where: { $0 > 0 }) {
                lines.append(SVGChart.Line(name: "unmet (GPUs, minute average)", color: "#e15759", values: unmet))
            }
            var band: SVGChart.Band?
            if steps.contains(where: { $0.forecastUpper != nil }) {
                band = SVGChart.Band(name: "forecast mean–upper", color: "#f28e2b",
                                     lower: steps.map { $0.forecastMean ?? .nan }, upper: steps.map { $0.forecastUpper ?? .nan })
            }
            let span = (steps.last?.offset ?? 0) - (steps.first?.offset ?? 0) + 60
            body += "<h2>\(SVGChart.escape(run.result.policy))</h2>"
                + SVGChart.timeSeries(lines: lines, band: band, spanSeconds: span, yLabel: "GPUs")
        }
        body += "<p>Per-step values for every policy are in <code>steps.csv</code> next to this file.</p>"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Fleetcast what-if: \(SVGChart.escape(pool.name))</title>
        <style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}
        table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
        td:first-child,th:first-child{text-align:left}svg{width:100%;height:auto;margin-bottom:1em}</style></head>
        <body>\(body)</body></html>

        """
    }

    private func metricsTable() -> String {
        let names = Self.metricNames + (hasStandby ? Self.standbyMetricNames : [])
        var html = "<table><tr>" + names.map { "<th>\($0)</th>" }.joined() + "</tr>"
        for r in results {
            let cells = [
                SVGChart.escape(r.policy), String(format: "%.2f", r.cost), String(format: "%.1f", r.nodeHours),
                String(format: "%.1f", r.gpuHoursProvisioned), String(format: "%.1f", r.gpuHoursUsed),
                Self.percent(r.utilization), String(format: "%.2f", r.unmetGPUHours), Self.percent(r.servedFraction, digits: 3),
                Self.percent(r.sloMinutesFraction, digits: 2), "\(r.coldStarts)",
                r.p95WaitSeconds.map { String(format: "%.0f", $0) } ?? "–", "\(r.scaleEvents)",
            ] + (hasStandby ? [r.standbyNodeHours.map { String(format: "%.1f", $0) } ?? "–", r.resumes.map { "\($0)" } ?? "–"] : [])
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
        }
        return html + "</table>"
    }
}
