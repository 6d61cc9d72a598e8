import Foundation

/// The cost-versus-served frontiers of several policy families as one SVG: cost on x, the unserved
/// share of GPU-time on a log scale on y (each extra nine is one step down), one polyline per family.
public enum FrontierChart {
    static let width = 720.0, height = 360.0, left = 64.0, right = 150.0, top = 14.0, bottom = 40.0
    static let colors: [PolicyFamily: String] = [.predictive: "#1f77b4", .reactive: "#d62728", .static: "#7f7f7f", .yesterday: "#2ca02c"]
    /// Unserved shares below this are drawn on the floor (the plot would otherwise need infinitely many nines).
    static let floor = 1e-6

    /// A single labelled result drawn over the frontiers (e.g. `simulate`'s causally tuned row).
    public struct Mark: Sendable, Hashable {
        public var label: String
        public var cost: Double
        public var servedFraction: Double

        public init(label: String, cost: Double, servedFraction: Double) {
            self.label = label
            self.cost = cost
            self.servedFraction = servedFraction
        }
    }

    /// `target`: a served share to mark with a dashed line (the objective); `marks`: single results
    /// drawn as black diamonds with their label.
    public static func svg(_ points: [FamilyPoint], title: String, target: Double? = nil, marks: [Mark] = []) -> String {
        let costs = points.map(\.cost) + marks.map(\.cost)
        guard let low = costs.min(), let high = costs.max() else { return "" }
        let span = max(high - low, max(high, 1) * 1e-6)
        let unserved = (points.map(\.servedFraction) + marks.map(\.servedFraction)).map { max(1 - $0, floor) }
        let decades = (Int(log10(floor).rounded(.down))...Int(log10(unserved.max() ?? 1).rounded(.up))).map { $0 }
        let yLow = Double(decades.first ?? -6), yHigh = Double(max((decades.last ?? 0), (decades.first ?? -6) + 1))
        func x(_ cost: Double) -> Double { left + (width - left - right) * (cost - low) / span }
        func y(_ share: Double) -> Double { top + (height - top - bottom) * (yHigh - log10(max(share, floor))) / (yHigh - yLow) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<text x=\"\(left)\" y=\"11\">\(escape(title))</text>\n"
        for decade in Int(yLow)...Int(yHigh) {
            let yy = y(pow(10, Double(decade)))
            svg += "<line x1=\"\(left)\" y1=\"\(f(yy))\" x2=\"\(f(width - right))\" y2=\"\(f(yy))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(servedLabel(decade))</text>\n"
        }
        for tick in 0...4 {
            let cost = low + span * Double(tick) / 4
            svg += "<text x=\"\(f(x(cost)))\" y=\"\(f(height - bottom + 14))\" text-anchor=\"middle\">\(String(format: "%.0f", cost))</text>\n"
        }
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\">cost over the scored days</text>\n"
        if let target {
            let yy = y(1 - target)
            svg += "<line x1=\"\(left)\" y1=\"\(f(yy))\" x2=\"\(f(width - right))\" y2=\"\(f(yy))\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>\n"
        }
        for (index, family) in PolicyFamily.allCases.enumerated() {
            let frontier = FamilyPoint.frontier(points.filter { $0.family == family })
            guard !frontier.isEmpty else { continue }
            let color = colors[family] ?? "#000"
            let path = frontier.map { "\(f(x($0.cost))),\(f(y(1 - $0.servedFraction)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(path)\"/>\n"
            for point in points where point.family == family {
                svg += "<circle cx=\"\(f(x(point.cost)))\" cy=\"\(f(y(1 - point.servedFraction)))\" r=\"2.5\" fill=\"\(color)\"><title>\(escape("\(family.rawValue) \(point.setting)"))</title></circle>\n"
            }
            let ly = top + 16 * Double(index)
            svg += "<rect x=\"\(f(width - right + 10))\" y=\"\(f(ly))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(f(width - right + 24))\" y=\"\(f(ly + 9))\">\(family.rawValue)</text>\n"
        }
        for mark in marks {
            let mx = x(mark.cost), my = y(1 - mark.servedFraction)
            svg += "<path d=\"M\(f(mx)) \(f(my - 6)) L\(f(mx + 6)) \(f(my)) L\(f(mx)) \(f(my + 6)) L\(f(mx - 6)) \(f(my)) Z\" fill=\"#000\">"
                + "<title>\(escape(mark.label))</title></path>"
            svg += "<text x=\"\(f(mx + 8))\" y=\"\(f(my - 6))\">\(escape(mark.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func servedLabel(_ decade: Int) -> String {
        decade >= 0 ? "0%" : String(format: "%.\(max(0, -decade - 2))f%%", 100 * (1 - pow(10, Double(decade))))
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
