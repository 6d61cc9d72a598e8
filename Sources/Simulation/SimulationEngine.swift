import Autoscaling
import Foundation
import Sampling

/// The event loop behind `Simulator`: one replay of one policy. Times are seconds from the trace start.
struct SimulationEngine {
    enum Event {
        case nodeReady(Int)
        case plannedRequest(Int)
        case plannedRemoval(Int)
        case jobCompletion(job: Int, nodes: [Int])
        case demandChange(Int)
        case jobArrival(Int)
        case planningStep
        /// A standby node finished its set-up and is suspended (billed at the standby price from now).
        case standbyReady
    }

    /// Tie-break order at one instant: capacity changes first, then work, then the decision.
    static func priority(of event: Event) -> Int {
        switch event {
        case .nodeReady, .plannedRequest, .plannedRemoval, .standbyReady: return 0
        case .jobCompletion: return 1
        case .demandChange: return 2
        case .jobArrival: return 3
        case .planningStep: return 4
        }
    }

    let setup: SimulationSetup
    let name: String
    let step: TimeInterval
    let end: TimeInterval
    let isJobs: Bool
    var pool: SimulatedPool
    var queue = EventQueue<Event>()
    var random: SplitMix64
    var metrics: MetricsAccumulator
    var clock: TimeInterval = 0
    var demand: Double = 0
    var waiting: [Int] = []
    var waitingGPUs: Double = 0
    var runningGPUs: Double = 0
    var startups: [TimeInterval] = []
    /// With a phased start-up: the phases of the most recent nodes, and each starting node's draw.
    var phaseSamples: [StartupPhase: [TimeInterval]] = [:]
    var draws: [Int: PhasedStartup.Draw] = [:]
    var lifecycles: [OraclePlan.Lifecycle] = []
    var plannedNodeIDs: [Int: Int] = [:]
    var lastDesired: Int?
    /// The standby tier (`planner.standby`), its resuming nodes and their observed resume times.
    var standby = StandbyInventory()
    var resuming: Set<Int> = []
    var resumes: [TimeInterval] = []
    var steps: [StepRecord] = []
    let progress: ((Double) -> Void)?
    var stepCount = 0

    /// Whether this replay runs the standby tier (the tiered policy), which adds standby cost and
    /// resumes to its result.
    var usesStandby = false

    init(setup: SimulationSetup, name: String, progress: ((Double) -> Void)? = nil) {
        self.setup = setup
        self.name = name
        self.progress = progress
        step = setup.planner.step > 0 ? setup.planner.step : 60
        end = setup.workload.duration
        if case .jobs = setup.workload { isJobs = true } else { isJobs = false }
        pool = SimulatedPool(gpusPerNode: setup.planner.gpusPerNode)
        random = SplitMix64(seed: setup.seed)
        metrics = MetricsAccumulator(scoreStart: min(setup.warmup, end), gpusPerNode: setup.planner.gpusPerNode)
    }

    mutating func run<P: ScalingPolicy>(initialNodes: Int, policy: inout P, clampToLimits: Bool) -> SimulationRun {
        for _ in 0..<initialNodes { _ = pool.request(at: 0, readyAt: 0) }
        return loop(policy: &policy, decides: true, clampToLimits: clampToLimits)
    }

    mutating func run(lifecycles plan: [OraclePlan.Lifecycle]) -> SimulationRun {
        lifecycles = plan
        for index in plan.indices {
            if plan[index].request <= 0 {
                requestPlannedNode(index)
            } else {
                queue.schedule(.plannedRequest(index), at: plan[index].request, priority: 0)
            }
        }
        var none = StaticPolicy(nodes: 0)
        return loop(policy: &none, decides: false, clampToLimits: false)
    }

    private mutating func loop<P: ScalingPolicy>(policy: inout P, decides: Bool, clampToLimits: Bool) -> SimulationRun {
        switch setup.workload {
        case .demand(let trace):
            if !trace.gpus.isEmpty { queue.schedule(.demandChange(0), at: 0, priority: 2) }
        case .jobs(let trace):
            if !trace.jobs.isEmpty { queue.schedule(.jobArrival(0), at: max(0, trace.jobs[0].submit), priority: 3) }
        }
        if end > 0 { queue.schedule(.planningStep, at: 0, priority: 4) }
        lastDesired = pool.activeCount
        while let (time, event) = queue.next() {
            guard time < end else { break }
            advance(to: time)
            handle(event, policy: &policy, decides: decides, clampToLimits: clampToLimits)
        }
        advance(to: end)
        metrics.finishMinute(at: end)
        let result = metrics.result(policy: name, hourlyCost: setup.planner.hourlyCost,
                                    standbyCostRatio: usesStandby ? setup.planner.standby?.costRatio : nil, jobs: isJobs, end: end,
                                    unplacedWaits: waiting.compactMap(unplacedWait))
        return SimulationRun(result: result, steps: steps)
    }

    private func unplacedWait(_ job: Int) -> TimeInterval? {
        guard case .jobs(let trace) = setup.workload, trace.jobs[job].submit >= metrics.scoreStart else { return nil }
        return end - trace.jobs[job].submit
    }

    private mutating func advance(to time: TimeInterval) {
        guard time > clock else { return }
        let (demanded, served) = isJobs
            ? (runningGPUs + waitingGPUs, runningGPUs)
            : (demand, min(demand, pool.readyGPUs))
        let tier = standby.counts(at: clock)
        metrics.integrate(from: clock, to: time, billedNodes: pool.billedCount + tier.entering, standbyNodes: tier.ready,
                          demanded: demanded, served: served, countsShortfallEpisodes: !isJobs)
        clock = time
    }

    private mutating func handle<P: ScalingPolicy>(_ event: Event, policy: inout P, decides: Bool, clampToLimits: Bool) {
        switch event {
        case .nodeReady(let id) where resuming.contains(id):
            resuming.remove(id)
            if let resume = pool.markReady(id: id, at: clock) {
                resumes.append(resume)
                if resumes.count > 20 { resumes.removeFirst(resumes.count - 20) }
            }
            rebalance()
        case .standbyReady:
            break
        case .nodeReady(let id):
            let draw = draws.removeValue(forKey: id)
            if let startup = pool.markReady(id: id, at: clock) {
                startups.append(draw?.node ?? startup)
                if startups.count > 20 { startups.removeFirst(startups.count - 20) }
                for (phase, duration) in draw?.phases ?? [:] {
                    phaseSamples[phase, default: []].append(duration)
                    if phaseSamples[phase, default: []].count > 20 { phaseSamples[phase]?.removeFirst() }
                }
            }
            rebalance()
        case .plannedRequest(let index):
            requestPlannedNode(index)
            rebalance()
        case .plannedRemoval(let index):
            if let id = plannedNodeIDs[index] { pool.remove(id: id, onlyIdle: isJobs) }
            rebalance()
        case .jobCompletion(let job, let nodes):
            guard case .jobs(let trace) = setup.workload else { return }
            pool.release(trace.jobs[job].gpus, from: nodes, at: clock)
            runningGPUs = max(0, runningGPUs - trace.jobs[job].gpus)
            placeWaitingJobs()
        case .demandChange(let index):
            guard case .demand(let trace) = setup.workload else { return }
            demand = max(0, trace.gpus[index])
            pool.fill(demand: demand, at: clock)
            if index + 1 < trace.gpus.count {
                queue.schedule(.demandChange(index + 1), at: Double(index + 1) * trace.step, priority: 2)
            }
        case .jobArrival(let index):
            guard case .jobs(let trace) = setup.workload else { return }
            waiting.append(index)
            waitingGPUs += trace.jobs[index].gpus
            placeWaitingJobs()
            if waiting.contains(index), trace.jobs[index].submit >= metrics.scoreStart { metrics.coldStarts += 1 }
            if index + 1 < trace.jobs.count {
                queue.schedule(.jobArrival(index + 1), at: max(clock, trace.jobs[index + 1].submit), priority: 3)
            }
        case .planningStep:
            planningStep(policy: &policy, decides: decides, clampToLimits: clampToLimits)
            queue.schedule(.planningStep, at: clock + step, priority: 4)
        }
    }

    private mutating func requestPlannedNode(_ index: Int) {
        let lifecycle = lifecycles[index]
        let id = pool.request(at: clock, readyAt: max(clock, lifecycle.ready))
        plannedNodeIDs[index] = id
        if lifecycle.ready > clock { queue.schedule(.nodeReady(id), at: lifecycle.ready, priority: 0) }
        queue.schedule(.plannedRemoval(index), at: lifecycle.remove, priority: 0)
    }

    private mutating func rebalance() {
        if isJobs { placeWaitingJobs() } else { pool.fill(demand: demand, at: clock) }
    }

    private mutating func planningStep<P: ScalingPolicy>(policy: inout P, decides: Bool, clampToLimits: Bool) {
        let unmetSinceLast = metrics.finishMinute(at: clock)
        stepCount += 1
        if let progress, stepCount % 1440 == 0, end > 0 { progress(clock / end) }
        let demanded = isJobs ? runningGPUs + waitingGPUs : demand
        let pending = isJobs ? waitingGPUs : max(0, demand - pool.readyGPUs)
        let readyActive = pool.nodes.reduce(0) { $0 + ($1.isReady && !$1.draining ? 1 : 0) }
        let idle = pool.idleDurations(at: clock)
        var decision = PolicyDecision(desiredNodes: pool.activeCount)
        if decides {
            let context = PolicyContext(
                now: setup.start.addingTimeInterval(clock), demandGPUs: demanded, pendingGPUs: pending,
                nodes: NodeCounts(ready: readyActive, starting: pool.activeCount - readyActive, idle: idle.count),
                idleDurations: idle, recentStartups: startups, recentPhases: phaseSamples,
                standby: standby.counts(at: clock), recentResumes: resumes)
            decision = policy.decide(context)
            var desired = max(0, decision.desiredNodes)
            if clampToLimits { desired = min(max(desired, setup.planner.minNodes), setup.planner.maxNodes) }
            decision.desiredNodes = desired
            apply(desired: desired, standbyNodes: decision.standbyNodes)
        }
        if let lastDesired, lastDesired != decision.desiredNodes, clock >= metrics.scoreStart { metrics.scaleEvents += 1 }
        lastDesired = decision.desiredNodes
        if setup.recordSteps, clock >= metrics.scoreStart {
            steps.append(StepRecord(
                offset: clock, demandGPUs: demanded, readyNodes: readyActive, billedNodes: pool.billedCount,
                desiredNodes: decision.desiredNodes, forecastMean: decision.forecastMean,
                forecastUpper: decision.forecastUpper, unmetGPUSeconds: unmetSinceLast, planReason: decision.planReason))
        }
    }

    private mutating func apply(desired: Int, standbyNodes: Int?) {
        let current = pool.activeCount
        if desired > current {
            let resumed = standbyNodes == nil ? 0 : standby.takeReady(desired - current, at: clock)
            for _ in 0..<resumed {
                let delay = resumeDelay.sample(using: &random)
                let id = pool.request(at: clock, readyAt: clock + delay)
                if delay > 0 {
                    resuming.insert(id)
                    queue.schedule(.nodeReady(id), at: clock + delay, priority: 0)
                }
                if clock >= metrics.scoreStart { metrics.resumes += 1 }
            }
            for _ in (current + resumed)..<max(desired, current + resumed) {
                let draw = setup.phasedStartup?.sample(using: &random)
                let startup = draw?.total ?? setup.startup.sample(using: &random)
                let id = pool.request(at: clock, readyAt: clock + startup)
                if startup > 0 { queue.schedule(.nodeReady(id), at: clock + startup, priority: 0) }
                if let draw, startup > 0 { draws[id] = draw }
            }
            rebalance()
        } else if desired < current {
            // Starting nodes are cancelled first; idle nodes are suspended into a short standby tier.
            var surplus = current - desired
            surplus -= pool.remove(min(surplus, pool.startingCount), at: clock, onlyIdle: isJobs)
            if let standbyNodes {
                let suspended = pool.suspend(min(surplus, max(0, standbyNodes - standby.total)))
                for _ in 0..<suspended { standby.add(readyAt: clock) }
                surplus -= suspended
            }
            pool.remove(surplus, at: clock, onlyIdle: isJobs)
            rebalance()
        }
        if let standbyNodes { applyStandby(standbyNodes) }
    }

    /// Grows the standby tier with new nodes (a cold start each, billed as running until suspended) or
    /// gives nodes back, those still being set up first.
    private mutating func applyStandby(_ target: Int) {
        let wanted = max(0, target)
        if wanted > standby.total {
            for _ in standby.total..<wanted {
                let setupTime = setup.phasedStartup?.sample(using: &random).total ?? setup.startup.sample(using: &random)
                standby.add(readyAt: clock + setupTime)
                if setupTime > 0 { queue.schedule(.standbyReady, at: clock + setupTime, priority: 0) }
            }
        } else if wanted < standby.total {
            standby.release(standby.total - wanted)
        }
    }

    /// The resume delay: the setup's distribution, else the resume estimator's prior.
    private var resumeDelay: DelayDistribution {
        setup.resume ?? .fixed(setup.resumeEstimator?.prior ?? 0)
    }

    /// First fit in submission order; a job that does not fit lets later, smaller jobs through.
    private mutating func placeWaitingJobs() {
        guard case .jobs(let trace) = setup.workload, !waiting.isEmpty else { return }
        var stillWaiting: [Int] = []
        stillWaiting.reserveCapacity(waiting.count)
        for job in waiting {
            let gpus = trace.jobs[job].gpus
            guard let nodes = pool.placement(for: gpus) else {
                stillWaiting.append(job)
                continue
            }
            pool.place(gpus, on: nodes, at: clock)
            runningGPUs += gpus
            waitingGPUs = max(0, waitingGPUs - gpus)
            if trace.jobs[job].submit >= metrics.scoreStart { metrics.waits.append(clock - trace.jobs[job].submit) }
            queue.schedule(.jobCompletion(job: job, nodes: nodes), at: clock + trace.jobs[job].duration, priority: 1)
        }
        waiting = stillWaiting
    }
}
