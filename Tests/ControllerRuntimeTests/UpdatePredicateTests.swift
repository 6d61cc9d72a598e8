import ControllerRuntime
import KubeAPI
import Testing

@Suite struct UpdatePredicateTests {
    /// A stored GPUPool's metadata as the API server returns it.
    static func stored() -> ObjectMeta {
        var meta = ObjectMeta(name: "a100", namespace: "gpu", labels: ["team": "ml"], annotations: ["note": "x"], finalizers: ["keep"])
        meta.uid = "uid-1"
        meta.generation = 4
        meta.resourceVersion = "100"
        return meta
    }

    /// What an update changed, and whether that is worth a reconcile.
    enum Change: String, CaseIterable, Sendable {
        case statusWrite = "status write: only resourceVersion moves"
        case resync = "nothing at all (a resync)"
        case specEdit = "spec edit: generation bumped"
        case labelAdded = "label added"
        case labelsRemoved = "labels removed"
        case annotationChanged = "annotation changed (e.g. a tuning request)"
        case deletionStarted = "deletion started"
        case finalizerRemoved = "finalizer removed"
        case recreated = "re-created under the same name"

        func apply(to meta: inout ObjectMeta) {
            switch self {
            case .statusWrite: meta.resourceVersion = "101"
            case .resync: break
            case .specEdit: meta.generation = 5; meta.resourceVersion = "101"
            case .labelAdded: meta.labels?["tier"] = "gold"
            case .labelsRemoved: meta.labels = nil
            case .annotationChanged: meta.annotations?["note"] = "y"
            case .deletionStarted: meta.deletionTimestamp = "2026-12-06T00:00:00Z"
            case .finalizerRemoved: meta.finalizers = []
            case .recreated: meta.uid = "uid-2"
            }
        }

        var passes: Bool { self != .statusWrite && self != .resync }
    }

    @Test(arguments: Change.allCases)
    func statusOnlyUpdatesAreSkipped(change: Change) {
        var new = Self.stored()
        change.apply(to: &new)
        #expect(UpdatePredicate.changesMoreThanStatus(from: Self.stored(), to: new) == change.passes, "\(change.rawValue)")
    }

    @Test func emptyAndAbsentMapsAreTheSame() {
        var old = Self.stored(), new = Self.stored()
        old.labels = nil
        new.labels = [:]
        old.finalizers = nil
        new.finalizers = []
        #expect(!UpdatePredicate.changesMoreThanStatus(from: old, to: new))
    }

    @Test func withoutAGenerationEveryUpdatePasses() {
        var old = Self.stored(), new = Self.stored()
        old.generation = nil
        new.generation = nil
        new.resourceVersion = "101"
        #expect(UpdatePredicate.changesMoreThanStatus(from: old, to: new))
    }
}
