import Foundation

/// One series of a query result: its labels and its samples in time order.
public struct PrometheusSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var samples: [PrometheusSample]

    public init(labels: [String: String], samples: [PrometheusSample]) {
        self.labels = labels
        self.samples = samples
    }

    /// `{a="1", b="2"}` in label order, for messages.
    public var labelText: String {
        "{" + labels.keys.sorted().map { "\($0)=\"\(labels[$0] ?? "")\"" }.joined(separator: ", ") + "}"
    }
}

/// One sample: Prometheus sends values as strings so that `NaN`, `+Inf` and `-Inf` survive JSON;
/// they are kept as Doubles here and judged by the reader.
public struct PrometheusSample: Sendable, Hashable {
    public var time: Date
    public var value: Double

    public init(time: Date, value: Double) {
        self.time = time
        self.value = value
    }
}

/// The `data` of a successful query: a vector (instant query), a matrix (range query) or a scalar.
/// Series are sorted by their labels so results compare deterministically.
enum PrometheusResponse {
    struct Envelope: Decodable {
        var status: String
        var data: Payload?
        var errorType: String?
        var error: String?
        var warnings: [String]?
    }

    struct Payload: Decodable {
        var resultType: String
        var result: ResultValue
    }

    enum ResultValue: Decodable {
        case series([RawSeries])
        case scalar(RawPair)

        init(from decoder: any Decoder) throws {
            if let series = try? decoder.singleValueContainer().decode([RawSeries].self) {
                self = .series(series)
            } else {
                self = .scalar(try decoder.singleValueContainer().decode(RawPair.self))
            }
        }
    }

    struct RawSeries: Decodable {
        var metric: [String: String]
        var value: RawPair?
        var values: [RawPair]?
    }

    /// `[1704067200.5, "3.25"]`.
    struct RawPair: Decodable {
        var time: Double
        var value: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            time = try container.decode(Double.self)
            let text = try container.decode(String.self)
            guard let parsed = Self.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "sample value \(text) is not a number")
            }
            value = parsed
        }

        static func parse(_ text: String) -> Double? {
            switch text {
            case "NaN": .nan
            case "+Inf", "Inf": .infinity
            case "-Inf": -.infinity
            default: Double(text)
            }
        }

        var sample: PrometheusSample { PrometheusSample(time: Date(timeIntervalSince1970: time), value: value) }
    }

    /// The series of a successful answer; a scalar becomes one unlabelled series of one sample.
    static func series(from body: Data) throws(PrometheusError) -> [PrometheusSeries] {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: body)
        } catch {
            throw .decoding("\(error)")
        }
        guard envelope.status == "success", let data = envelope.data else {
            throw .api(errorType: envelope.errorType ?? "unknown", message: envelope.error ?? "status \(envelope.status)", httpStatus: 200)
        }
        switch data.result {
        case .scalar(let pair):
            return [PrometheusSeries(labels: [:], samples: [pair.sample])]
        case .series(let raw):
            return raw.map { series in
                let samples = (series.values ?? series.value.map { [$0] } ?? []).map(\.sample)
                return PrometheusSeries(labels: series.metric, samples: samples)
            }.sorted { $0.labelText < $1.labelText }
        }
    }
}
