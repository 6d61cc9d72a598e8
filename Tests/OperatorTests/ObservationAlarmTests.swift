import Foundation
import KubeAPI
import KubeClient
import Testing
@testable import Operator

/// The rules for speaking up about a blind cache, step by step on a table of (seconds, state).
@Suite struct ObservationAlarmTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let unavailable = KubeError.serverError(Status(message: "unavailable", reason: "ServiceUnavailable", code: 503), retryAfter: nil)
    static let unknownAuthority = KubeError.transport(TransportFailure(code: 60, message: "SSL certificate problem: unable to get local issuer certificate", verifyResult: 20))

    struct Step: Sendable {
        var at: TimeInterval
        var outOfSyncSince: TimeInterval?
        var error: KubeError?
        var expected: [String]
    }

    /// Names the announcements so the table reads plainly.
    static func names(_ announcements: [ObservationAlarm.Announcement]) -> [String] {
        announcements.map {
            switch $0 {
            case .stale: "stale"
            case .permanentFailure: "permanent"
            case .recovered(let blind): "recovered after \(Int(blind))"
            }
        }
    }

    @Test(arguments: [
        // A short outage within the limit is not worth a word.
        ("short outage", [Step(at: 10, outOfSyncSince: 0, error: unavailable, expected: []),
                          Step(at: 30, outOfSyncSince: nil, error: nil, expected: [])]),
        // Stale at the limit, quiet until the repeat interval, then again; recovery reported once.
        ("long outage", [Step(at: 59, outOfSyncSince: 0, error: unavailable, expected: []),
                         Step(at: 60, outOfSyncSince: 0, error: unavailable, expected: ["stale"]),
                         Step(at: 200, outOfSyncSince: 0, error: unavailable, expected: []),
                         Step(at: 360, outOfSyncSince: 0, error: unavailable, expected: ["stale"]),
                         Step(at: 400, outOfSyncSince: nil, error: nil, expected: ["recovered after 400"]),
                         Step(at: 410, outOfSyncSince: nil, error: nil, expected: [])]),
        // A certificate problem is said at once, not repeated while unchanged, then stale as usual.
        ("certificate", [Step(at: 1, outOfSyncSince: 0, error: unknownAuthority, expected: ["permanent"]),
                         Step(at: 30, outOfSyncSince: 0, error: unknownAuthority, expected: []),
                         Step(at: 60, outOfSyncSince: 0, error: unknownAuthority, expected: ["stale"]),
                         Step(at: 61, outOfSyncSince: nil, error: nil, expected: ["recovered after 61"])]),
        // A second outage after recovery starts afresh.
        ("two outages", [Step(at: 60, outOfSyncSince: 0, error: unavailable, expected: ["stale"]),
                         Step(at: 70, outOfSyncSince: nil, error: nil, expected: ["recovered after 70"]),
                         Step(at: 100, outOfSyncSince: 80, error: unavailable, expected: []),
                         Step(at: 140, outOfSyncSince: 80, error: unavailable, expected: ["stale"])]),
    ])
    func announcements(name: String, steps: [Step]) {
        var alarm = ObservationAlarm(staleLimit: 60, repeatInterval: 300)
        for step in steps {
            let said = alarm.evaluate(outOfSyncSince: step.outOfSyncSince.map { Self.start.addingTimeInterval($0) },
                                      lastError: step.error, now: Self.start.addingTimeInterval(step.at))
            #expect(Self.names(said) == step.expected, "\(name) at \(step.at)s")
        }
    }
}
