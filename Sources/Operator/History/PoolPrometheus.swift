import FleetcastAPI
import Forecasting
import Foundation
import PrometheusDemand

/// The operator's port to Prometheus: the backfill of a pool's past demand and its live value. The
/// live implementation is `PrometheusClient`; the reconciler never sees HTTP.
protocol PrometheusDemandSource: Sendable {
    func backfill(historyQuery: String, step: TimeInterval, history: TimeInterval, retention: TimeInterval,
                  now: Date) async throws(DemandQueryError) -> (history: DemandHistory, report: BackfillReport)
    func liveDemand(_ query: String, at now: Date) async throws(DemandQueryError) -> Double
}

extension PrometheusClient: PrometheusDemandSource {}

/// Why a pool's Prometheus demand is not available, as its `HistoryAvailable` condition says it.
struct PrometheusFailure: Sendable, Hashable {
    var reason: GPUPoolConditionReason
    var message: String

    init(reason: GPUPoolConditionReason, message: String) {
        self.reason = reason
        self.message = message
    }

    init(_ error: DemandQueryError) {
        switch error {
        case .prometheus(.api(let type, let message, let status)):
            self.init(reason: .queryFailed, message: "Prometheus answered HTTP \(status) \(type): \(message)")
        case .prometheus(let other):
            self.init(reason: .prometheusUnavailable, message: other.description)
        case .emptyResult:
            self.init(reason: .emptyResult, message: error.description)
        case .multipleSeries:
            self.init(reason: .multipleSeries, message: error.description)
        case .unusableValue:
            self.init(reason: .queryFailed, message: error.description)
        }
    }
}

/// What the backfill of one pool has done in this process: what was backfilled (so a spec edit of
/// the query, step or window backfills again) and when it was last tried (a failed one is retried
/// after `GPUPoolReconciler.backfillRetryInterval`).
struct BackfillMemory: Sendable {
    struct Key: Sendable, Hashable {
        var query: String
        var step: TimeInterval
        var history: TimeInterval
    }

    var done: Key?
    var lastAttempt: Date?
    var lastReport: BackfillReport?
    var lastFailure: PrometheusFailure?

    func due(for key: Key, now: Date, retryInterval: TimeInterval) -> Bool {
        guard done != key else { return false }
        guard let lastAttempt, lastFailure != nil else { return true }
        return now.timeIntervalSince(lastAttempt) >= retryInterval || now < lastAttempt
    }
}

/// One reconcile's Prometheus step: the state of the pool's history from Prometheus and, for
/// `HistoryAndLive`, its live demand; the condition and events it calls for.
struct PrometheusOutcome: Sendable {
    enum History: Sendable, Hashable {
        case backfilled(BackfillReport)
        case failed(PrometheusFailure)
        case notConfigured
    }

    enum Live: Sendable, Hashable {
        case value(Double)
        case failed(PrometheusFailure)
    }

    var history: History
    var live: Live?
    var events: [PoolEvent] = []

    /// The live demand to plan on, when the live query answered.
    var liveDemandGPUs: Double? {
        if case .value(let gpus)? = live { return gpus }
        return nil
    }

    /// The live query failed: the driver treats observation as stale (no learning from it, no
    /// scale-down) until it answers again.
    var liveFailed: Bool {
        if case .failed? = live { return true }
        return false
    }

    var available: Bool {
        if case .backfilled(let report) = history, report.filledBins > 0, !liveFailed { return true }
        return false
    }

    /// `HistoryAvailable`, worded for `kubectl describe`.
    func setCondition(_ conditions: inout PoolConditions, ownBins: Int) {
        if case .failed(let failure)? = live {
            conditions.set(.historyAvailable, .false, failure.reason,
                           "The live demand query failed (\(failure.message)); scale-down is held and demand is not learned until it answers.")
            return
        }
        switch history {
        case .backfilled(let report) where report.filledBins > 0:
            let live = liveDemandGPUs.map { String(format: " Live demand %.2f GPUs from Prometheus.", $0) } ?? ""
            conditions.set(.historyAvailable, .true, .historyBackfilled, "Backfilled \(report.summary) from Prometheus.\(live)")
        case .backfilled(let report):
            conditions.set(.historyAvailable, .false, .emptyResult,
                           "Prometheus returned no usable sample (\(report.summary)); the pool learns from its own history (\(ownBins) bins).")
        case .failed(let failure):
            conditions.set(.historyAvailable, .false, failure.reason,
                           "Backfill from Prometheus failed: \(failure.message). The pool learns from its own history (\(ownBins) bins).")
        case .notConfigured:
            conditions.set(.historyAvailable, .false, .prometheusNotConfigured,
                           "spec.demand.prometheus is set but the operator runs without --prometheus-url; the pool learns from its own history (\(ownBins) bins).")
        }
    }
}

extension PrometheusDemandUse {
    var readsLiveDemand: Bool { self == .historyAndLive }
}
