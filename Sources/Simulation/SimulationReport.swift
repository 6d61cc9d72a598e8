import Foundation

/// What `fleetcast simulate` reports: which trace, which pool, and each policy's metrics. Encoded as
/// the JSON output (`{"trace": …, "pool": …, "results": […]}`) and rendered as table, CSV and HTML.
public struct SimulationReport: Sendable, Codable {
    public var trace: TraceSummary
    public var pool: PoolSummary
    public var results: [PolicyResult]

    public init(trace: TraceSummary, pool: PoolSummary, results: [PolicyResult]) {
        self.trace = trace
        self.pool = pool
        self.results = results
    }

    /// Stable, pretty JSON (sorted keys), so the same seed gives byte-identical output.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

public struct TraceSummary: Sendable, Codable, Hashable {
    public var file: String
    /// `demand` or `jobs`.
    public var format: String
    /// Seconds the trace covers.
    public var spanSeconds: Double
    /// Seconds replayed as history only.
    public var warmupSeconds: Double
    /// The calendar instant of trace offset 0 (ISO 8601).
    public var start: String
    public var peakGPUs: Double
    public var meanGPUs: Double
    /// Jobs in a job list; null for a demand series.
    public var jobs: Int?
    public var startup: String
    public var seed: UInt64

    public init(file: String, format: String, spanSeconds: Double, warmupSeconds: Double, start: String,
                peakGPUs: Double, meanGPUs: Double, jobs: Int?, startup: String, seed: UInt64) {
        self.file = file
        self.format = format
        self.spanSeconds = spanSeconds
        self.warmupSeconds = warmupSeconds
        self.start = start
        self.peakGPUs = peakGPUs
        self.meanGPUs = meanGPUs
        self.jobs = jobs
        self.startup = startup
        self.seed = seed
    }
}

public struct PoolSummary: Sendable, Codable, Hashable {
    public var name: String
    public var namespace: String?
    public var gpusPerNode: Double
    public var minNodes: Int
    public var maxNodes: Int
    /// Price of a node-hour; null when the pool has none (cost is then in node-hours).
    public var hourlyCost: Double?
    /// The unit `cost` is in.
    public var costUnit: String

    public init(name: String, namespace: String?, gpusPerNode: Double, minNodes: Int, maxNodes: Int, hourlyCost: Double?) {
        self.name = name
        self.namespace = namespace
        self.gpusPerNode = gpusPerNode
        self.minNodes = minNodes
        self.maxNodes = maxNodes
        self.hourlyCost = hourlyCost
        costUnit = hourlyCost == nil ? "node-hours" : "currency"
    }
}
