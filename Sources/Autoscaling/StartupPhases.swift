import Foundation

/// The steps between asking for a node and a pod serving on it, in the order they happen. Each is
/// measured from timestamps the cluster already keeps (see `docs/cold-starts.md`); a phase whose
/// timestamps are missing is not measured, never counted as zero.
public enum StartupPhase: String, CaseIterable, Codable, Sendable, Hashable {
    /// Cluster API Machine created → Node registered (the cloud creating and booting the instance).
    case provisioning = "Provisioning"
    /// Node registered → Node Ready (kubelet, network plugin).
    case nodeReady = "NodeReady"
    /// Node Ready → GPUs allocatable (driver, device plugin).
    case gpuReady = "GPUReady"
    /// GPUs allocatable (or the pod's creation, if later) → the node's first pod scheduled.
    case scheduling = "Scheduling"
    /// The node's first pod scheduled → all its containers running (image pulled; init containers done).
    case imagePull = "ImagePull"
    /// Containers running → pod Ready (model loaded, readiness probe passing).
    case modelLoad = "ModelLoad"

    /// Whether the phase lies outside a node start-up (Node creation → GPU-allocatable) and so adds
    /// to it in the lead time. `nodeReady` and `gpuReady` split the node start-up itself: reported
    /// for diagnosis, planned through the node start-up's own quantile so nothing counts twice.
    public var addsToNodeStartup: Bool {
        switch self {
        case .provisioning, .scheduling, .imagePull, .modelLoad: true
        case .nodeReady, .gpuReady: false
        }
    }
}

/// What a driver observed about start-ups, most recent last: whole node start-ups (Node creation →
/// GPU-allocatable, what the lead time has always been learned from) and, where the cluster's
/// timestamps allow, the phases around and within them.
public struct StartupSamples: Sendable, Hashable {
    public var nodeStartups: [TimeInterval]
    public var phases: [StartupPhase: [TimeInterval]]
    /// Standby resumes (asked to resume → serving again), for the resume time of a standby tier.
    public var resumes: [TimeInterval]

    public init(nodeStartups: [TimeInterval], phases: [StartupPhase: [TimeInterval]] = [:], resumes: [TimeInterval] = []) {
        self.nodeStartups = nodeStartups
        self.phases = phases
        self.resumes = resumes
    }
}

/// One phase's learned distribution, for status, metrics and the lead time.
public struct StartupPhaseEstimate: Sendable, Hashable {
    public var phase: StartupPhase
    public var samples: Int
    public var p50: TimeInterval?
    public var p90: TimeInterval?
    /// What the phase adds to the lead time (its `spec.startup.quantile`); nil when it adds nothing:
    /// too few samples, a phase inside the node start-up, or node start-ups not yet observed.
    public var planned: TimeInterval?

    public init(phase: StartupPhase, samples: Int, p50: TimeInterval?, p90: TimeInterval?, planned: TimeInterval? = nil) {
        self.phase = phase
        self.samples = samples
        self.p50 = p50
        self.p90 = p90
        self.planned = planned
    }
}

extension LeadTimeEstimator {
    /// The lead time from asking for a node to a pod serving on it.
    ///
    /// Until node start-ups are observed the prior stands for the whole cold start (it is what the
    /// user expects from request to serving), so phases are reported but not added. Once they are,
    /// the lead time is the node start-up's quantile plus the quantile of every phase outside it
    /// that has `minimumSamples` samples: a pool whose pods take minutes to pull plans minutes
    /// earlier than node readiness alone would. Summing per-phase quantiles is conservative (at
    /// least the quantile of the sum when phases rise together), which suits a lead time.
    public func estimate(_ observed: StartupSamples) -> LeadTimeEstimate {
        var estimate = estimate(samples: observed.nodeStartups)
        var added: TimeInterval = 0
        estimate.phases = StartupPhase.allCases.compactMap { phase in
            let valid = (observed.phases[phase] ?? []).filter { $0.isFinite && $0 >= 0 && $0 <= Self.longestStartup }.sorted()
            guard !valid.isEmpty else { return nil }
            var phaseEstimate = StartupPhaseEstimate(phase: phase, samples: valid.count,
                                                     p50: interpolatedQuantile(0.5, ofSorted: valid),
                                                     p90: interpolatedQuantile(0.9, ofSorted: valid))
            if estimate.source == .observed, phase.addsToNodeStartup, valid.count >= minimumSamples,
               let planned = interpolatedQuantile(quantile, ofSorted: valid) {
                phaseEstimate.planned = planned
                added += planned
            }
            return phaseEstimate
        }
        if added > 0 {
            estimate.leadTime = min(estimate.leadTime + added, Self.longestStartup)
            estimate.source = .phases
        }
        return estimate
    }
}
