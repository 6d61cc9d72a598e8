import Forecasting
import Foundation

/// The rolling-origin backtest of `fleetcast forecast --backtest`: every model family alone and the
/// automatic choice, each fitted at every origin on the history before it. Times are wall-clock
/// fit+forecast per origin, measured here in the driver (the forecasting core has no clock).
struct BacktestReport {
    struct Row {
        var model: String
        var accuracy: ForecastAccuracy
        var seconds: Double
        /// How often each model was chosen (for the automatic row).
        var chosen: [String: Int]
    }

    var trace: String
    var origins: Int
    var horizon: TimeInterval
    var quantile: Double
    var rows: [Row]

    static func run(inputs: ForecastInputs, configuration: ForecastConfiguration, model: ForecastModelKind?,
                    horizon: TimeInterval, every: TimeInterval, span: TimeInterval) -> BacktestReport {
        let origins = RollingOriginBacktest.origins(in: inputs.history, every: every, span: span, horizon: horizon)
        let backtest = RollingOriginBacktest(configuration: configuration, horizon: horizon, origins: origins)
        let kinds: [ForecastModelKind?] = model.map { [$0] } ?? ([nil] + ForecastModelKind.allCases.map { $0 })
        let clock = ContinuousClock()
        var rows = [Row]()
        for kind in kinds {
            let forecaster = backtest.forecaster(kind: kind)
            var accuracy = ForecastAccuracy(quantile: configuration.quantile)
            var chosen = [String: Int]()
            var elapsed = Duration.zero
            for origin in origins {
                var forecast: Forecast?
                elapsed += clock.measure { forecast = backtest.forecast(forecaster, history: inputs.history, at: origin) }
                guard let forecast else { continue }
                chosen[forecast.model, default: 0] += 1
                accuracy.merge(RollingOriginBacktest.score(forecast, against: inputs.history))
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            rows.append(Row(model: kind?.rawValue ?? "auto", accuracy: accuracy,
                            seconds: origins.isEmpty ? 0 : seconds / Double(origins.count), chosen: chosen))
        }
        return BacktestReport(trace: "", origins: origins.count, horizon: horizon,
                              quantile: configuration.quantile, rows: rows)
    }

    func rendered(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONText.encode(Document(
                origins: origins, horizon: horizon, quantile: quantile,
                models: rows.map {
                    .init(model: $0.model, wape: $0.accuracy.wape, pinball: $0.accuracy.pinball,
                          coverage: $0.accuracy.coverage, points: $0.accuracy.count,
                          fitForecastSeconds: $0.seconds, chosen: $0.chosen)
                }))
        case .csv:
            var lines = ["model,wape,pinball,coverage,points,fit_forecast_ms"]
            for row in rows {
                lines.append([row.model, Self.number(row.accuracy.wape, 4), Self.number(row.accuracy.pinball, 3),
                              Self.number(row.accuracy.coverage, 3), String(row.accuracy.count),
                              Numbers.fixed(row.seconds * 1000, 2)].joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .table:
            var lines = [
                "\(origins) origins, horizon \(Numbers.plain(horizon))s, q=\(quantile)",
                "model          WAPE   pinball  coverage  fit+forecast/origin  chosen",
            ]
            for row in rows {
                let chosen = row.model == "auto"
                    ? row.chosen.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ") : ""
                lines.append(row.model.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + Numbers.padded(Self.number(row.accuracy.wape, 4), 8)
                             + Numbers.padded(Self.number(row.accuracy.pinball, 3), 10)
                             + Numbers.padded(Self.number(row.accuracy.coverage, 3), 10)
                             + Numbers.padded(Numbers.fixed(row.seconds * 1000, 1) + " ms", 21) + "  " + chosen)
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private static func number(_ value: Double?, _ decimals: Int) -> String {
        value.map { Numbers.fixed($0, decimals) } ?? "-"
    }

    private struct Document: Encodable {
        struct Model: Encodable {
            var model: String
            var wape: Double?
            var pinball: Double?
            var coverage: Double?
            var points: Int
            var fitForecastSeconds: Double
            var chosen: [String: Int]
        }
        var origins: Int
        var horizon: Double
        var quantile: Double
        var models: [Model]
    }
}
