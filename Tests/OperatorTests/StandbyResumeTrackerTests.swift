import Foundation
import KubeAPI
import Testing
@testable import Operator

/// Standby nodes as the cluster shows them — suspended: not Ready and unreachable-tainted — and
/// resumes timed from the pod that asked for the node to the node's Ready transition.
@Suite struct StandbyResumeTrackerTests {
    static func at(_ seconds: TimeInterval) -> Date { StartupPhaseTrackerTests.at(seconds) }

    /// A node suspended since `suspendedAt`, or Ready since `readyAt`.
    static func node(_ name: String, suspendedAt: TimeInterval? = nil, readyAt: TimeInterval? = nil) -> KubeNode {
        var node = StartupPhaseTrackerTests.node(name, ready: readyAt, gpus: readyAt != nil)
        if let suspendedAt {
            node.status?.conditions = [NodeCondition(type: "Ready", status: "Unknown", reason: "NodeStatusUnknown",
                                                     lastTransitionTime: KubeTime.format(at(suspendedAt)))]
            node.spec = NodeSpec(taints: [Taint(key: StandbyResumeTracker.unreachableTaint, effect: "NoSchedule")])
        }
        return node
    }

    static func pod(_ name: String, on node: String, created: TimeInterval) -> Pod {
        StartupPhaseTrackerTests.pod(name, on: node, created: created, scheduled: created + 40, started: nil, ready: nil)
    }

    @Test func suspendedMeansNotReadyAndUnreachable() {
        #expect(StandbyResumeTracker.isSuspended(Self.node("s", suspendedAt: 0)))
        #expect(!StandbyResumeTracker.isSuspended(Self.node("r", readyAt: 0)))
        // NotReady without the taint is a node still booting, not a suspended one.
        #expect(!StandbyResumeTracker.isSuspended(StartupPhaseTrackerTests.node("b", ready: nil, gpus: false)))
        #expect(StandbyResumeTracker.suspendedCount([Self.node("s", suspendedAt: 0), Self.node("r", readyAt: 0)]) == 1)
    }

    @Test func aResumeIsTimedFromThePodThatAskedToTheReadyTransition() {
        var tracker = StandbyResumeTracker()
        #expect(tracker.observe(nodes: [Self.node("n1", suspendedAt: 100)], pods: [], now: Self.at(200)).isEmpty)
        // Ready again at 1037; the pod that asked was created at 1000 and is bound now.
        let completed = tracker.observe(nodes: [Self.node("n1", readyAt: 1037)], pods: [Self.pod("p", on: "n1", created: 1000)],
                                        now: Self.at(1050))
        #expect(completed == [37])
        #expect(tracker.samples == [37])
        // Seen once: a later look adds nothing.
        #expect(tracker.observe(nodes: [Self.node("n1", readyAt: 1037)], pods: [Self.pod("p", on: "n1", created: 1000)],
                                now: Self.at(1080)).isEmpty)
    }

    @Test func aResumeWaitsForItsPodAndARefreshWithoutOneIsDropped() {
        var tracker = StandbyResumeTracker()
        _ = tracker.observe(nodes: [Self.node("n1", suspendedAt: 100), Self.node("n2", suspendedAt: 100)], pods: [], now: Self.at(200))
        // Both Ready again; no pod yet.
        #expect(tracker.observe(nodes: [Self.node("n1", readyAt: 500), Self.node("n2", readyAt: 500)], pods: [], now: Self.at(510)).isEmpty)
        // n1's pod is bound a little later; n2 never gets one (a refresh) and is forgotten after the limit.
        #expect(tracker.observe(nodes: [Self.node("n1", readyAt: 500), Self.node("n2", readyAt: 500)],
                                pods: [Self.pod("p", on: "n1", created: 460)], now: Self.at(540)) == [40])
        _ = tracker.observe(nodes: [Self.node("n1", readyAt: 500), Self.node("n2", readyAt: 500)], pods: [], now: Self.at(500 + 601))
        #expect(tracker.observe(nodes: [Self.node("n1", readyAt: 500), Self.node("n2", readyAt: 500)],
                                pods: [Self.pod("late", on: "n2", created: 1200)], now: Self.at(1300)).isEmpty)
        #expect(tracker.samples == [40])
    }

    @Test func podsFromBeforeTheSuspensionDoNotTimeAResume() {
        var tracker = StandbyResumeTracker()
        _ = tracker.observe(nodes: [Self.node("n1", suspendedAt: 300)], pods: [], now: Self.at(400))
        #expect(tracker.observe(nodes: [Self.node("n1", readyAt: 900)], pods: [Self.pod("old", on: "n1", created: 100)],
                                now: Self.at(910)).isEmpty)
    }
}
