import Autoscaling
import FleetcastAPI
import KubeAPI

extension StartupStatus {
    /// `status.startup` from the lead-time estimate the plan was made with: node start-ups' p50/p90
    /// (as before phases existed), the lead time itself, and each measured phase.
    init(lead: LeadTimeEstimate) {
        let phases = lead.phases.map {
            StartupPhaseStatus(name: $0.phase.rawValue, p50: $0.p50.map { KubeDuration(seconds: $0) },
                               p90: $0.p90.map { KubeDuration(seconds: $0) }, samples: $0.samples)
        }
        self.init(p50: lead.p50.map { KubeDuration(seconds: $0) }, p90: lead.p90.map { KubeDuration(seconds: $0) },
                  samples: lead.samples, leadTime: KubeDuration(seconds: lead.leadTime), phases: phases.isEmpty ? nil : phases)
    }
}
