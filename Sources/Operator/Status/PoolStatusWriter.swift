import ControllerRuntime
import FleetcastAPI
import Logging

/// Which status a write holds, and the stored version of the pool it was built from (its
/// `resourceVersion` in the informer's cache). Two offers with the same mark are the same write: the
/// second came from a cache that had not caught up with the first yet. A status that differs from a
/// newer stored version (someone else changed it) has a new mark and is written again.
struct PoolStatusMark: Sendable, Hashable {
    var status: GPUPoolStatus
    var builtFrom: String?
}

/// Writes the pools' status subresource off the reconcile path (`CoalescingWriter`).
///
/// A reconcile whose status differs from the stored one offers it and returns; the writer PATCHes the
/// newest status of each pool from its own task. Before, the reconcile PATCHed inline, and the status
/// every new forecast bin brings (`HistoryAvailable`, the forecast's peak, the bins held) made those
/// reconciles the slow tail of reconcile latency (docs/benchmarks.md, issue #17).
///
/// Kubernetes conventions hold as before: the status written is the one a reconcile built for the
/// generation it read (`observedGeneration`); a condition's `lastTransitionTime` moves only when its
/// status changes, because the reconcile builds on the newest status it offered (`pending`) while that
/// is not stored yet, not on the older cached one. A failed write is logged and retried by the next
/// reconcile, which finds the stored status still different (before, the reconcile failed and was
/// retried with backoff). Graceful shutdown and leader loss write what is waiting, as for history.
typealias PoolStatusWriter = CoalescingWriter<GPUPoolStatus, PoolStatusMark>

extension CoalescingWriter where Payload == GPUPoolStatus, Mark == PoolStatusMark {
    /// - Parameter save: merge-patches one pool's status (`GPUPoolAPI.writeStatus`).
    init(logger: Logger, save: @escaping @Sendable (GPUPoolStatus, ObjectKey) async throws -> Void) {
        self.init(what: "status", logger: logger, save: save)
    }

    init(api: any GPUPoolAPI, logger: Logger) {
        self.init(logger: logger) { status, key in try await api.writeStatus(status, namespace: key.namespace, name: key.name) }
    }

    /// Hands over the status a reconcile built from the pool's stored version `builtFrom`.
    func offer(_ status: GPUPoolStatus, key: ObjectKey, builtFrom resourceVersion: String?) {
        offer(status, key: key, mark: PoolStatusMark(status: status, builtFrom: resourceVersion))
    }
}
