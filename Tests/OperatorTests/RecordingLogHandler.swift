import FleetcastTesting
import Logging

/// A log handler that keeps every line, so a test can assert on what the operator said and at which
/// level (a blind operator must warn; a recovered one must say so, once).
struct RecordingLogHandler: LogHandler {
    struct Line: Sendable, Hashable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    let lines: LockedValue<[Line]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.withLock { $0.append(Line(level: event.level, message: "\(event.message)",
                                         metadata: merged.mapValues { "\($0)" })) }
    }

    /// A logger writing into `lines`.
    static func logger(_ lines: LockedValue<[Line]>) -> Logger {
        Logger(label: "recorded") { _ in RecordingLogHandler(lines: lines) }
    }
}
