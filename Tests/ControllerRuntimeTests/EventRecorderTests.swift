import ControllerRuntime
import FleetcastTesting
import Logging
import Testing

// A broken queue or loop shows as a task that never resumes; the limit turns that hang into a failure.
@Suite(.timeLimit(.minutes(10))) struct EventRecorderTests {
    enum Reason: String {
        case forecastNotReady = "ForecastNotReady"
        case scaledUp = "ScaledUp"
    }

    let clock = ManualClock()
    let sink = RecordingEventSink()
    let pool = EventObjectReference(apiVersion: "fleetcast.dev/v1alpha1", kind: "GPUPool", namespace: "gpu-fleet", name: "a100", uid: "u-1")

    func recorder(capacity: Int = 4096) -> DeduplicatingEventRecorder<ManualClock> {
        let clock = clock
        return DeduplicatingEventRecorder(
            sink: sink, clock: clock, wallClock: { clock.date }, window: .seconds(600), capacity: capacity,
            reportingController: "fleetcast-operator", reportingInstance: "fleetcast-0",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    @Test func theFirstOccurrenceIsWrittenWithCountOne() async {
        let recorder = recorder()
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "Only 2h of history.", about: pool)
        guard case .create(let event) = sink.writes.first else {
            Issue.record("expected a create, got \(sink.writes)")
            return
        }
        #expect(sink.writes.count == 1)
        #expect(event.reason == "ForecastNotReady")
        #expect(event.type == .warning)
        #expect(event.count == 1)
        #expect(event.involvedObject == pool)
        #expect(event.reportingController == "fleetcast-operator")
    }

    @Test func repeatsWithinTheWindowAreCountedAndWrittenOnceAfterIt() async {
        let recorder = recorder()
        let firstSeen = clock.date
        // Every 30 s for ten minutes: one write.
        for _ in 0..<20 {
            await recorder.record(.warning, reason: Reason.forecastNotReady, message: "Only 2h of history.", about: pool)
            clock.advance(by: .seconds(30))
        }
        #expect(sink.writes.count == 1)
        // At T+600 s the window has passed: the existing event is updated with all 21 occurrences.
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "Only 2h of history.", about: pool)
        #expect(sink.writes.count == 2)
        guard case .update(_, let event) = sink.writes.last else {
            Issue.record("expected an update, got \(sink.writes)")
            return
        }
        #expect(event.count == 21)
        #expect(event.firstTimestamp == firstSeen)
        #expect(event.lastTimestamp == clock.date)
        #expect(sink.stored.count == 1)
    }

    @Test func aDifferentMessageReasonTypeOrObjectIsADifferentEvent() async {
        let recorder = recorder()
        var other = pool
        other.name = "h100"
        other.uid = "u-2"
        await recorder.record(.normal, reason: Reason.scaledUp, message: "Scaled from 2 to 4 nodes.", about: pool)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "Scaled from 4 to 6 nodes.", about: pool)
        await recorder.record(.warning, reason: Reason.scaledUp, message: "Scaled from 4 to 6 nodes.", about: pool)
        await recorder.record(.normal, reason: Reason.forecastNotReady, message: "Scaled from 4 to 6 nodes.", about: pool)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "Scaled from 2 to 4 nodes.", about: other)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "Scaled from 2 to 4 nodes.", about: pool)
        #expect(sink.writes.count == 5)
        #expect(await recorder.rememberedCount == 5)
    }

    @Test func anExpiredEventIsCreatedAgain() async {
        let recorder = recorder()
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "m", about: pool)
        sink.expireAll()
        clock.advance(by: .seconds(600))
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "m", about: pool)
        #expect(sink.stored.count == 1)
        guard case .create(let event) = sink.writes.last else {
            Issue.record("expected a create, got \(sink.writes)")
            return
        }
        #expect(event.count == 1)
    }

    @Test func aFailedWriteIsRetriedOnTheNextOccurrence() async {
        let recorder = recorder()
        sink.isAvailable = false
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "m", about: pool)
        #expect(sink.writes.isEmpty)
        sink.isAvailable = true
        await recorder.record(.warning, reason: Reason.forecastNotReady, message: "m", about: pool)
        #expect(sink.writes.count == 1)
    }

    @Test func theLeastRecentlySeenEventIsForgottenBeyondCapacity() async {
        let recorder = recorder(capacity: 2)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "one", about: pool)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "two", about: pool)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "one", about: pool)  // refreshes "one"
        await recorder.record(.normal, reason: Reason.scaledUp, message: "three", about: pool)  // forgets "two"
        #expect(await recorder.rememberedCount == 2)
        #expect(sink.writes.count == 3)
        await recorder.record(.normal, reason: Reason.scaledUp, message: "one", about: pool)
        #expect(sink.writes.count == 3, "still remembered")
        await recorder.record(.normal, reason: Reason.scaledUp, message: "two", about: pool)
        #expect(sink.writes.count == 4, "forgotten, so written again")
    }
}
