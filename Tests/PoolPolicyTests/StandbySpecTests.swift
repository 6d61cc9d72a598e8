import Autoscaling
import FleetcastAPI
import Foundation
import KubeAPI
import PoolPolicy
import Testing

/// `spec.warmPool.standby` as the decision core reads it.
@Suite struct StandbySpecTests {
    static func standby(hourlyCost: Double? = nil, resume: StartupSpec? = nil) -> StandbySpec {
        StandbySpec(minNodes: 1, maxNodes: 6, percent: 15, hourlyCost: hourlyCost, resume: resume,
                    target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "standby"))
    }

    @Test func noStandbyNoTier() throws {
        let spec = PlannerPolicySpecTests.spec()
        #expect(PlannerPolicy(spec: spec).standby == nil)
        #expect(LeadTimeEstimator(standbyOf: spec) == nil)
        #expect(try DecisionSettings(spec: spec).resume == nil)
    }

    @Test(arguments: [
        // The standby price over the node price when both are known; 10 % otherwise.
        (Optional(3.277), 0.1, KubeDuration(seconds: 35), 35.0),
        (nil, GPUPoolDefaults.standbyCostFraction, nil, 60.0),
        (Optional(16.385), 0.5, nil, 60.0),
    ] as [(Double?, Double, KubeDuration?, TimeInterval)])
    func convertsCountsPriceAndResumePrior(_ price: Double?, _ ratio: Double, _ expected: KubeDuration?, _ prior: TimeInterval) throws {
        let spec = PlannerPolicySpecTests.spec(warmPool: WarmPoolSpec(
            standby: Self.standby(hourlyCost: price, resume: expected.map { StartupSpec(expected: $0) })))
        let standby = try #require(PlannerPolicy(spec: spec).standby)
        #expect(standby.minNodes == 1 && standby.maxNodes == 6 && standby.percent == 15)
        #expect(abs(standby.costRatio - ratio) < 1e-12)
        let resume = try #require(try DecisionSettings(spec: spec).resume)
        #expect(resume.prior == prior && resume.quantile == 0.9)
    }

    /// The resume time is the prior until enough resumes are observed, then their quantile, as the lead time is.
    @Test func resumeTimeIsLearnedLikeTheLeadTime() throws {
        let spec = PlannerPolicySpecTests.spec(warmPool: WarmPoolSpec(standby: Self.standby(resume: StartupSpec(expected: .minutes(1)))))
        let estimator = try #require(LeadTimeEstimator(standbyOf: spec))
        #expect(estimator.estimate(samples: [30, 31]).leadTime == 60)
        let observed = estimator.estimate(samples: [30, 32, 34, 36, 38, 40])
        #expect(observed.source == .observed)
        #expect(observed.leadTime == interpolatedQuantile(0.9, ofSorted: [30, 32, 34, 36, 38, 40]))
    }
}
