import Testing
import KubeAPI

@Suite struct ConditionTests {
    static func ready(_ status: ConditionStatus, generation: Int64, at time: String, reason: String) -> Condition {
        Condition(type: "Ready", status: status, observedGeneration: generation, lastTransitionTime: time, reason: reason, message: "\(reason).")
    }

    @Test func transitionTimeMovesOnlyWhenStatusChanges() {
        var conditions: [Condition] = []
        let added = conditions.set(Self.ready(.false, generation: 1, at: "2026-01-01T00:00:00Z", reason: "Starting"))
        #expect(added)
        // Same status, new reason: the reason changes, the transition time does not.
        let reasonChanged = conditions.set(Self.ready(.false, generation: 2, at: "2026-01-01T00:05:00Z", reason: "Waiting"))
        #expect(reasonChanged)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == "2026-01-01T00:00:00Z")
        #expect(conditions[type: "Ready"]?.reason == "Waiting")
        // Identical apart from the time: nothing to write.
        let unchanged = conditions.set(Self.ready(.false, generation: 2, at: "2026-01-01T00:09:00Z", reason: "Waiting"))
        #expect(!unchanged)
        // Status flips: the transition time moves.
        let flipped = conditions.set(Self.ready(.true, generation: 2, at: "2026-01-01T00:10:00Z", reason: "Ready"))
        #expect(flipped)
        #expect(conditions[type: "Ready"]?.lastTransitionTime == "2026-01-01T00:10:00Z")
        #expect(conditions.count == 1)
    }
}
