import KubeAPI

/// Every bound on a GPUPool's numbers, in one place. Validation (`fleetcast validate`, the operator's
/// `InvalidSpec`) and the CRD schema (`minimum`/`maximum`, CEL duration rules, `maxItems`) are both
/// generated from these values, so the API server, the CLI and the operator refuse the same specs.
///
/// The bounds are far beyond any real pool and well inside what the planner's arithmetic handles
/// exactly: a spec that passes them can neither make the operator allocate without limit (a 1 ns
/// history step) nor overflow a count or a cost (a node-hour at 1e308 dollars), and docs/gpupool.md
/// lists them.
public enum GPUPoolLimits {
    /// List limits; they also bound the cost of the CRD's CEL rules.
    public static let maxSeasonalities = 8
    public static let maxSchedules = 32

    /// GPUs per node: one to 1,024 (MIG slices and time-sliced replicas multiply physical GPUs).
    public static let gpusPerNode = 1...1_024
    /// `nodes.min`, `nodes.max` and `scaleDown.maxNodesPerStep`: a pool of at most 10,000 nodes,
    /// twice what one Kubernetes cluster is tested to hold.
    public static let nodes = 0...10_000
    /// Price of one node-hour, in the pool's currency.
    public static let maxNodeHourlyCost = 100_000.0
    /// `budget.maxHourlyCost`: the most `nodes.max` nodes at the highest node price can cost.
    public static let maxBudgetPerHour = 1_000_000_000.0
    /// GPUs one schedule window adds.
    public static let scheduleGPUs = 1...1_000_000

    /// `demand.prometheus.query` and `.historyQuery`: PromQL of at most 4 KiB, well inside a URL and
    /// Prometheus's own limits, and small enough for the status messages that quote it.
    public static let maxPromQLLength = 4_096

    /// `forecast.step`: the demand history's bin size.
    public static let step = KubeDuration(nanoseconds: 10_000_000_000)...KubeDuration.hours(24)
    /// `forecast.history`: how far back demand is kept, at most a leap year.
    public static let history = KubeDuration(nanoseconds: 1)...KubeDuration.hours(8_784)
    /// Most bins `history / step` may hold: the history is kept in memory and in one ConfigMap
    /// (1 MiB at most), and every refit reads all of it.
    public static let maxHistoryBins = 50_000
    /// `schedules[].duration`: one window lasts at most 31 days.
    public static let scheduleDuration = KubeDuration(nanoseconds: 1)...KubeDuration.hours(744)
    /// `startup.expected`: the prior start-up time, at most a day.
    public static let startupExpected = KubeDuration(nanoseconds: 1)...KubeDuration.hours(24)
    /// `scaleDown.stabilizationWindow`: from 0 (at once) to a week.
    public static let stabilizationWindow = KubeDuration.zero...KubeDuration.hours(168)
    /// `objective.maxWait`: from a second to a day.
    public static let objectiveMaxWait = KubeDuration(nanoseconds: 1_000_000_000)...KubeDuration.hours(24)
    /// `warmPool.learnedMaxPercent`: the learned warm share's cap, in percent of the planned GPUs.
    public static let learnedMaxPercent = 1...100
    /// `warmPool.standby.resume.expected`: the prior resume time, at most an hour (a resume slower than
    /// that is a cold start).
    public static let resumeExpected = KubeDuration(nanoseconds: 1)...KubeDuration.hours(1)
    /// `warmPool.prePull.images`: images one pool keeps pulled; each is a pod's container in the
    /// pre-pull DaemonSet, so the list stays short.
    public static let maxPrePullImages = 16
    /// One image reference: a 255-character name, a 128-character tag and a sha256 digest fit.
    public static let maxImageReferenceLength = 512
}
