import Foundation

/// A trace file's content in one of the two formats, told apart by the header line.
public enum Trace: Sendable, Hashable {
    /// `timestamp_seconds,gpus`: demand per step.
    case demand(DemandSeries)
    /// `submit_seconds,duration_seconds,gpus[,kind][,schedule]`: one row per job or pod.
    case jobs(JobList)

    /// Demand over time: the series itself, or GPUs running per `step` for a job list.
    public func demandSeries(step: Double = 60) -> DemandSeries? {
        switch self {
        case .demand(let series): series
        case .jobs(let list): list.demandSeries(step: step)
        }
    }

    /// Reads and parses a trace file; `file` in errors is the path as given.
    public init(contentsOfFile path: String) throws(TraceFormatError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw TraceFormatError(file: path, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        try self.init(csv: data, file: path)
    }

    /// Parses CSV bytes; `file` labels error messages (`FILE:LINE: …`).
    public init(csv: some Collection<UInt8>, file: String) throws(TraceFormatError) {
        let bytes = Array(csv)
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(TraceFormatError) -> Trace in
            var parser = TraceParser(bytes: buffer, file: file)
            return try parser.parse()
        }
    }
}
