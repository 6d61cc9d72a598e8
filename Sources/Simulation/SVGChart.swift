import Foundation

/// Minimal inline-SVG charts for the HTML report: no scripts, no external files, so the report is one
/// self-contained page that can be attached to a ticket.
enum SVGChart {
    struct Line {
        var name: String
        var color: String
        var values: [Double]
        var dashed = false
    }

    struct Band {
        var name: String
        var color: String
        var lower: [Double]
        var upper: [Double]
    }

    static let width = 960.0, height = 260.0, left = 56.0, right = 12.0, top = 14.0, bottom = 30.0

    /// A time-series chart; long series are reduced to at most `maxPoints` buckets by their maximum, so
    /// a short spike of demand or shortfall stays visible.
    static func timeSeries(lines: [Line], band: Band?, spanSeconds: Double, yLabel: String, maxPoints: Int = 1200) -> String {
        let reducedLines = lines.map { Line(name: $0.name, color: $0.color, values: reduce($0.values, to: maxPoints), dashed: $0.dashed) }
        let reducedBand = band.map { Band(name: $0.name, color: $0.color, lower: reduce($0.lower, to: maxPoints), upper: reduce($0.upper, to: maxPoints)) }
        let all = reducedLines.flatMap(\.values) + (reducedBand?.upper ?? [])
        let yMax = niceCeiling(all.filter(\.isFinite).max() ?? 1)
        let count = max(reducedLines.map(\.values.count).max() ?? 0, reducedBand?.upper.count ?? 0)
        func x(_ index: Int) -> Double { left + (width - left - right) * Double(index) / Double(max(1, count - 1)) }
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - min(max(value, 0), yMax) / yMax) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\">"
        svg += axes(yMax: yMax, spanSeconds: spanSeconds, yLabel: yLabel, y: y)
        if let band = reducedBand, !band.upper.isEmpty {
            let upper = band.upper.indices.map { "\(fmt(x($0))),\(fmt(y(band.upper[$0])))" }
            let lower = band.lower.indices.reversed().map { "\(fmt(x($0))),\(fmt(y(band.lower[$0])))" }
            svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(band.color)\" fill-opacity=\"0.25\" stroke=\"none\"><title>\(band.name)</title></polygon>"
        }
        for line in reducedLines where !line.values.isEmpty {
            let points = line.values.indices.map { "\(fmt(x($0))),\(fmt(y(line.values[$0])))" }.joined(separator: " ")
            let dash = line.dashed ? " stroke-dasharray=\"4 3\"" : ""
            svg += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.2\"\(dash)><title>\(line.name)</title></polyline>"
        }
        svg += legend(lines.map { ($0.name, $0.color) } + (band.map { [($0.name, $0.color)] } ?? []))
        return svg + "</svg>"
    }

    /// A horizontal bar chart, one bar per label.
    static func bars(_ values: [(label: String, value: Double)], color: String, unit: String) -> String {
        let rowHeight = 24.0
        let chartHeight = rowHeight * Double(values.count) + 10
        let maxValue = max(values.map(\.value).max() ?? 1, 1e-12)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(chartHeight))\" role=\"img\">"
        for (index, item) in values.enumerated() {
            let rowY = 5 + Double(index) * rowHeight
            let barWidth = (width - 260) * item.value / maxValue
            svg += "<text x=\"110\" y=\"\(fmt(rowY + 16))\" text-anchor=\"end\" font-size=\"12\">\(escape(item.label))</text>"
            svg += "<rect x=\"120\" y=\"\(fmt(rowY + 3))\" width=\"\(fmt(max(barWidth, 0.5)))\" height=\"\(fmt(rowHeight - 6))\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(fmt(126 + barWidth))\" y=\"\(fmt(rowY + 16))\" font-size=\"12\">\(String(format: "%.2f", item.value)) \(escape(unit))</text>"
        }
        return svg + "</svg>"
    }

    static func reduce(_ values: [Double], to maxPoints: Int) -> [Double] {
        guard values.count > maxPoints, maxPoints > 0 else { return values }
        let bucket = Int((Double(values.count) / Double(maxPoints)).rounded(.up))
        return stride(from: 0, to: values.count, by: bucket).map { start in
            values[start..<min(start + bucket, values.count)].filter(\.isFinite).max() ?? .nan
        }
    }

    private static func axes(yMax: Double, spanSeconds: Double, yLabel: String, y: (Double) -> Double) -> String {
        var svg = "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width - left - right)\" height=\"\(height - top - bottom)\" fill=\"none\" stroke=\"#ccc\"/>"
        for tick in 0...4 {
            let value = yMax * Double(tick) / 4
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(fmt(y(value)))\" y2=\"\(fmt(y(value)))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(left - 4)\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\" font-size=\"10\">\(String(format: "%g", value))</text>"
        }
        let days = spanSeconds / 86_400
        let tickDays = days <= 10 ? 1.0 : days <= 60 ? 7.0 : 30.0
        var day = 0.0
        while day <= days + 1e-9, days > 0 {
            let xPos = left + (width - left - right) * day / days
            svg += "<text x=\"\(fmt(xPos))\" y=\"\(height - 12)\" text-anchor=\"middle\" font-size=\"10\">d\(Int(day))</text>"
            day += tickDays
        }
        svg += "<text x=\"12\" y=\"\(top + 8)\" font-size=\"10\">\(escape(yLabel))</text>"
        return svg
    }

    private static func legend(_ items: [(String, String)]) -> String {
        var svg = "", xPos = left + 8
        for (name, color) in items {
            svg += "<rect x=\"\(fmt(xPos))\" y=\"\(height - 10)\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(fmt(xPos + 14))\" y=\"\(height - 6)\" font-size=\"10\">\(escape(name))</text>"
            xPos += 24 + Double(name.count) * 6
        }
        return svg
    }

    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= value { return factor * magnitude }
        return 10 * magnitude
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
