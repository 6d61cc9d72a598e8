import Forecasting
import Foundation

/// A forecast as text: a table with a sparkline of the upper quantile, JSON, or CSV.
struct ForecastRendering {
    var forecast: Forecast
    var trace: String

    func rendered(_ format: OutputFormat) -> String {
        switch format {
        case .json: json
        case .csv: csv
        case .table: table
        }
    }

    private var readinessText: (ready: Bool, reason: String?) {
        switch forecast.readiness {
        case .ready: (true, nil)
        case .notReady(let reason): (false, reason.rawValue)
        }
    }

    private var json: String {
        let document = ForecastDocument(
            model: forecast.model, origin: forecast.origin.timeIntervalSince1970, step: forecast.step,
            quantile: forecast.quantile, ready: readinessText.ready, reason: readinessText.reason,
            points: forecast.points.map { .init(t: $0.start.timeIntervalSince1970, mean: $0.mean, upper: $0.upper) },
            schedules: forecast.scheduledWindows.map {
                .init(name: $0.name, start: $0.start.timeIntervalSince1970, end: $0.end.timeIntervalSince1970, gpus: $0.gpus)
            })
        return JSONText.encode(document)
    }

    private var csv: String {
        var lines = ["t,mean,upper"]
        for point in forecast.points {
            lines.append("\(Numbers.plain(point.start.timeIntervalSince1970)),\(Numbers.fixed(point.mean)),\(Numbers.fixed(point.upper))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var table: String {
        let (ready, reason) = readinessText
        var lines = [
            "trace     \(trace)",
            "model     \(forecast.model)   \(ready ? "ready" : "not ready: \(reason ?? "")")",
            "origin    t=\(Numbers.plain(forecast.origin.timeIntervalSince1970))s   step \(Numbers.plain(forecast.step))s   q=\(forecast.quantile)",
            "upper     \(Sparkline.render(forecast.points.map(\.upper)))",
            "",
            "       t(s)    clock       mean      upper",
        ]
        for point in forecast.points {
            let seconds = point.start.timeIntervalSince1970
            lines.append(Numbers.padded(Numbers.plain(seconds), 11) + "    " + Numbers.clock(seconds) + "  "
                         + Numbers.padded(Numbers.fixed(point.mean), 9) + "  " + Numbers.padded(Numbers.fixed(point.upper), 9))
        }
        for window in forecast.scheduledWindows {
            lines.append("schedule \(window.name): +\(Numbers.fixed(window.gpus)) GPUs from t=\(Numbers.plain(window.start.timeIntervalSince1970))s to t=\(Numbers.plain(window.end.timeIntervalSince1970))s")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

private struct ForecastDocument: Encodable {
    struct Point: Encodable { var t: Double; var mean: Double; var upper: Double }
    struct Window: Encodable { var name: String; var start: Double; var end: Double; var gpus: Double }
    var model: String
    var origin: Double
    var step: Double
    var quantile: Double
    var ready: Bool
    var reason: String?
    var points: [Point]
    var schedules: [Window]
}

/// Stable JSON text (sorted keys) for machine-read output.
enum JSONText {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Number formatting shared by the forecast outputs.
enum Numbers {
    /// Whole numbers without a fraction, others with up to three decimals.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value)
    }

    static func fixed(_ value: Double, _ decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f", value)
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// "d3 14:05": day and time of day of a trace time.
    static func clock(_ seconds: Double) -> String {
        let whole = Int64(seconds.rounded(.down))
        let day = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let inDay = whole - day * 86_400
        return String(format: "d%lld %02lld:%02lld", day, inDay / 3600, (inDay % 3600) / 60)
    }
}

/// One-line chart of a series with block characters.
enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func render(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        let span = high - low
        return String(values.map { value in
            guard span > 0 else { return blocks[0] }
            let level = Int(((value - low) / span * Double(blocks.count - 1)).rounded())
            return blocks[min(max(level, 0), blocks.count - 1)]
        }) + "  \(Numbers.fixed(low))…\(Numbers.fixed(high))"
    }
}
