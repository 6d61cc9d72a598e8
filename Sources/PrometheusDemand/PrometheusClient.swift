import Foundation
import KubeClient

/// Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`) over the Kubernetes client's
/// libcurl transport: the same TLS handling, token-file rotation, connection reuse, timeouts and
/// bounded retries, so there is one HTTP stack in the operator. Thread-safe; share one per process.
public final class PrometheusClient: Sendable {
    public let configuration: PrometheusConfiguration
    private let http: KubeClient

    /// Most points Prometheus returns per series of one range query (its limit is 11,000); longer
    /// ranges are split into consecutive requests and joined.
    public static let maxPointsPerRequest = 10_000

    public init(configuration: PrometheusConfiguration) throws(PrometheusError) {
        self.configuration = configuration
        http = KubeClient(configuration: try configuration.clientConfiguration())
    }

    /// The value of `promQL` at `time`: an instant query.
    public func query(_ promQL: String, at time: Date) async throws(PrometheusError) -> [PrometheusSeries] {
        try await get("/api/v1/query", [
            QueryParameter("query", promQL),
            QueryParameter("time", Self.timestamp(time)),
            QueryParameter("timeout", Self.duration(configuration.timeout)),
        ])
    }

    /// `promQL` evaluated at `start`, `start + step`, … up to `end`: a range query, split into
    /// requests of at most `maxPointsPerRequest` points whose series are joined by their labels.
    public func queryRange(_ promQL: String, start: Date, end: Date, step: TimeInterval) async throws(PrometheusError) -> [PrometheusSeries] {
        guard step > 0, step.isFinite, end >= start else { return [] }
        var joined: [String: PrometheusSeries] = [:]
        let total = Int(((end.timeIntervalSince(start)) / step).rounded(.down)) + 1
        var first = 0
        while first < total {
            let count = min(Self.maxPointsPerRequest, total - first)
            let chunkStart = start.addingTimeInterval(Double(first) * step)
            let chunkEnd = start.addingTimeInterval(Double(first + count - 1) * step)
            let series = try await get("/api/v1/query_range", [
                QueryParameter("query", promQL),
                QueryParameter("start", Self.timestamp(chunkStart)),
                QueryParameter("end", Self.timestamp(chunkEnd)),
                QueryParameter("step", Self.duration(step)),
                QueryParameter("timeout", Self.duration(configuration.timeout)),
            ])
            for part in series {
                joined[part.labelText, default: PrometheusSeries(labels: part.labels, samples: [])].samples += part.samples
            }
            first += count
        }
        return joined.keys.sorted().compactMap { joined[$0] }
    }

    /// The server URL's path prefix stays in the client's base URL; requests add only the API path.
    private func get(_ path: String, _ query: [QueryParameter]) async throws(PrometheusError) -> [PrometheusSeries] {
        let response: HTTPResponse
        do {
            response = try await http.send(APIRequest(method: .get, path: path, query: query))
        } catch {
            throw PrometheusError(error)
        }
        return try PrometheusResponse.series(from: response.body)
    }

    /// Seconds since 1970 with millisecond precision, Prometheus's own resolution.
    static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }

    /// Prometheus durations in seconds (`300s`, `0.5s`).
    static func duration(_ seconds: TimeInterval) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.3fs", seconds)
    }
}
