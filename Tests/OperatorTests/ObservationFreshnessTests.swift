import Foundation
import Testing
@testable import Operator

@Suite struct ObservationFreshnessTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// (synced, failing for seconds or nil, limit, expected)
    @Test(arguments: [
        (true, nil, 60, ObservationFreshness.current),
        (true, 0, 60, .current),
        (true, 59.9, 60, .current),
        (true, 60, 60, .stale(since: now.addingTimeInterval(-60), limit: 60)),
        (true, 600, 60, .stale(since: now.addingTimeInterval(-600), limit: 60)),
        (true, 10, 5, .stale(since: now.addingTimeInterval(-10), limit: 5)),
        (false, nil, 60, .neverSynced),
        (false, 600, 60, .neverSynced),
    ] as [(Bool, TimeInterval?, TimeInterval, ObservationFreshness)])
    func freshness(synced: Bool, failingFor: TimeInterval?, limit: TimeInterval, expected: ObservationFreshness) {
        let freshness = ObservationFreshness(hasSynced: synced, outOfSyncSince: failingFor.map { Self.now.addingTimeInterval(-$0) },
                                             now: Self.now, limit: limit)
        #expect(freshness == expected)
        #expect(freshness.isFresh == (expected == .current))
        #expect((freshness.degradedMessage == nil) == (expected == .current))
    }

    @Test func theStaleMessageNamesSinceWhenAndTheLimit() throws {
        let message = try #require(ObservationFreshness.stale(since: Self.now, limit: 60).degradedMessage)
        #expect(message.contains("since 2027-01-15T08:00:00Z"), "\(message)")
        #expect(message.contains("60s limit"), "\(message)")
        #expect(message.contains("no scale-down"), "\(message)")
    }
}
