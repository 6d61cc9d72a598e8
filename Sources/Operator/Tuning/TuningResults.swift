import ControllerRuntime
import FleetcastAPI

/// The tuning controller's latest result per pool, handed to the GPUPool reconciler, which publishes it
/// in `status.tuning` (and, in `Apply` mode, plans with it): the status keeps one writer. Until the
/// reconciler has written it, this is newer than the pool's status; after a restart it is empty and
/// the status is what both read.
actor TuningResults {
    private var results: [ObjectKey: TuningStatus] = [:]

    func result(for key: ObjectKey) -> TuningStatus? {
        results[key]
    }

    func store(_ result: TuningStatus, for key: ObjectKey) {
        results[key] = result
    }

    func forget(_ key: ObjectKey) {
        results[key] = nil
    }
}
