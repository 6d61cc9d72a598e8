import Foundation

/// Additive Holt-Winters (level, trend, one seasonal period), the classic reference and the engine of
/// the predictive horizontal pod autoscaler. Smoothing parameters are chosen by a grid search on one-step
/// squared error; the filter then runs over the whole series with them, keeping its state at every bin,
/// so a forecast from any origin is a lookup rather than a re-run.
public struct HoltWintersModel: DemandModel {
    /// Season length in bins, or nil for Holt's linear method (no season).
    public var period: Int?
    public var name: String

    public init(period: Int?, name: String = "holt-winters") {
        self.period = period.map { max(2, $0) }
        self.name = name
    }

    static let alphas = [0.05, 0.15, 0.3, 0.5, 0.8, 0.95]
    static let betas = [0.0, 0.01, 0.05]
    static let gammas = [0.01, 0.04, 0.1, 0.3]

    /// Grid search on one-step squared error within the usual admissible region (β ≤ α, γ ≤ 1 − α, as
    /// statsmodels and Hyndman et al. bound them: without it a large γ soaks up noise into the seasonal
    /// indices, which wins one step ahead and loses two hours ahead), then one refinement round around
    /// the best point (the surface is smooth, so a coarse grid plus a local look finds what a finer one would).
    public func fit(_ series: PeakSeries, upTo end: Int) -> any FittedDemandModel {
        let end = min(end, series.count)
        let period = self.period ?? 1
        let initial = initialState(series, end: end, period: period)
        let seasonal = self.period != nil
        var best = (error: Double.infinity, alpha: 0.5, beta: 0.0, gamma: 0.0)
        // Candidates are filtered in grid order, their errors computed four at a time (independent
        // filters side by side, see `HoltWintersParameters.oneStepErrors`), then compared in that same
        // order, so the choice is exactly what evaluating them one by one gives.
        func consider(_ points: [(alpha: Double, beta: Double, gamma: Double)]) {
            let admissible = points.filter { $0.alpha <= 1 && $0.beta <= $0.alpha && $0.gamma <= 1 - $0.alpha + 1e-12 }
                .map { HoltWintersParameters(alpha: $0.alpha, beta: $0.beta, gamma: $0.gamma, period: period) }
            let errors = HoltWintersParameters.oneStepErrors(admissible, series.values, end: end, initial: initial)
            for (parameters, error) in zip(admissible, errors) where error < best.error {
                best = (error, parameters.alpha, parameters.beta, parameters.gamma)
            }
        }
        var grid = [(alpha: Double, beta: Double, gamma: Double)]()
        for alpha in Self.alphas {
            for beta in Self.betas {
                for gamma in seasonal ? Self.gammas : [0] { grid.append((alpha, beta, gamma)) }
            }
        }
        consider(grid)
        let centre = best
        var refinement = [(alpha: Double, beta: Double, gamma: Double)]()
        for alphaScale in [0.7, 1.0, 1.25] {
            for gammaScale in seasonal ? [0.5, 1.0, 2.0] : [1.0] where alphaScale != 1 || gammaScale != 1 {
                refinement.append((centre.alpha * alphaScale, centre.beta, centre.gamma * gammaScale))
            }
        }
        consider(refinement)
        let parameters = HoltWintersParameters(alpha: best.alpha, beta: best.beta, gamma: best.gamma, period: period)
        let states = parameters.filter(series.values, initial: initial)
        return FittedHoltWinters(states: states, parameters: parameters, name: name)
    }

    /// Level and trend from the first two seasons' means; seasonal indices from a classical decomposition
    /// of the whole fitted range (deviations from a one-season moving average, averaged per phase). Taking
    /// the indices from every season rather than the first two matters: with the small γ that generalises
    /// well, a jump in the first days would otherwise stay in the seasonal shape for weeks.
    func initialState(_ series: PeakSeries, end: Int, period: Int) -> HoltWintersState {
        let start = series.firstObservedIndex ?? 0
        func seasonMean(_ k: Int) -> Double? {
            let range = (start + k * period)..<min(start + (k + 1) * period, end)
            let values = range.isEmpty ? [] : series.values[range].filter { !$0.isNaN }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        let first = seasonMean(0) ?? 0
        let trend = seasonMean(1).map { ($0 - first) / Double(period) } ?? 0
        let seasonal = self.period == nil ? [0] : Self.decomposedSeasonal(series, from: start, to: end, period: period)
        return HoltWintersState(level: first - trend * Double(start), trend: trend, seasonal: seasonal)
    }

    /// Mean deviation of each phase from the centred one-season moving average, centred to sum to zero.
    static func decomposedSeasonal(_ series: PeakSeries, from start: Int, to end: Int, period: Int) -> [Double] {
        var seasonal = [Double](repeating: 0, count: period)
        guard end - start > period else { return seasonal }
        // Prefix sums of observed values and of their count, so every window mean is O(1).
        var sums = [Double](repeating: 0, count: end - start + 1)
        var counts = [Int](repeating: 0, count: end - start + 1)
        for index in start..<end {
            let value = series.values[index]
            sums[index - start + 1] = sums[index - start] + (value.isNaN ? 0 : value)
            counts[index - start + 1] = counts[index - start] + (value.isNaN ? 0 : 1)
        }
        var phaseSums = [Double](repeating: 0, count: period), phaseCounts = [Double](repeating: 0, count: period)
        let half = period / 2
        for index in (start + half)..<(end - period + half) {
            let value = series.values[index]
            let lower = index - half - start, upper = lower + period
            let observed = counts[upper] - counts[lower]
            guard !value.isNaN, observed * 2 >= period else { continue }
            let average = (sums[upper] - sums[lower]) / Double(observed)
            phaseSums[index % period] += value - average
            phaseCounts[index % period] += 1
        }
        for phase in 0..<period where phaseCounts[phase] > 0 { seasonal[phase] = phaseSums[phase] / phaseCounts[phase] }
        let mean = seasonal.reduce(0, +) / Double(period)
        return seasonal.map { $0 - mean }
    }
}

struct HoltWintersState: Sendable {
    var level: Double
    var trend: Double
    /// Seasonal index per phase (`index % period`).
    var seasonal: [Double]
}

struct HoltWintersParameters: Sendable {
    var alpha: Double
    var beta: Double
    var gamma: Double
    var period: Int

    /// Sum of squared one-step errors over `values[..<end]`, skipping missing bins and the first season
    /// (where the start is still being corrected).
    func oneStepError(_ values: [Double], end: Int, initial: HoltWintersState) -> Double {
        var level = initial.level, trend = initial.trend, seasonal = initial.seasonal
        var error = 0.0
        for index in 0..<end {
            let phase = index % period
            let value = values[index]
            let predicted = level + trend + seasonal[phase]
            if value.isNaN {
                level += trend
                continue
            }
            if index >= period { error += (value - predicted) * (value - predicted) }
            let previousLevel = level
            level = alpha * (value - seasonal[phase]) + (1 - alpha) * (level + trend)
            trend = beta * (level - previousLevel) + (1 - beta) * trend
            seasonal[phase] = gamma * (value - level) + (1 - gamma) * seasonal[phase]
        }
        return error
    }

    /// `oneStepError` for several parameter sets of one period, eight filters at a time in SIMD lanes:
    /// the filter is a chain of dependent operations, so one alone leaves most of the CPU idle. Each
    /// lane does exactly the scalar filter's operations in the same order (no fused multiply-add), so
    /// every error equals `oneStepError`'s bit for bit.
    static func oneStepErrors(_ sets: [HoltWintersParameters], _ values: [Double], end: Int,
                              initial: HoltWintersState) -> [Double] {
        var errors = [Double]()
        errors.reserveCapacity(sets.count)
        var first = 0
        while first < sets.count {
            let lanes = Array(sets[first..<min(first + 8, sets.count)])
            let padded = lanes + Array(repeating: lanes[0], count: 8 - lanes.count)
            let batch = oneStepErrors(alpha: SIMD8(padded.map(\.alpha)), beta: SIMD8(padded.map(\.beta)),
                                      gamma: SIMD8(padded.map(\.gamma)), period: lanes[0].period,
                                      values, end: end, initial: initial)
            for lane in lanes.indices { errors.append(batch[lane]) }
            first += 8
        }
        return errors
    }

    private static func oneStepErrors(alpha: SIMD8<Double>, beta: SIMD8<Double>, gamma: SIMD8<Double>, period: Int,
                                      _ values: [Double], end: Int, initial: HoltWintersState) -> SIMD8<Double> {
        var level = SIMD8(repeating: initial.level), trend = SIMD8(repeating: initial.trend)
        var seasonal = initial.seasonal.map { SIMD8(repeating: $0) }
        var error = SIMD8<Double>(repeating: 0)
        let keepLevel = 1 - alpha, keepTrend = 1 - beta, keepSeasonal = 1 - gamma
        seasonal.withUnsafeMutableBufferPointer { seasonal in
            values.withUnsafeBufferPointer { values in
                var phase = 0
                for index in 0..<end {
                    let value = values[index]
                    let index0 = seasonal[phase]
                    if value.isNaN {
                        level += trend
                    } else {
                        let predicted = level + trend + index0
                        if index >= period {
                            let miss = SIMD8(repeating: value) - predicted
                            error += miss * miss
                        }
                        let previousLevel = level
                        level = alpha * (SIMD8(repeating: value) - index0) + keepLevel * (level + trend)
                        trend = beta * (level - previousLevel) + keepTrend * trend
                        seasonal[phase] = gamma * (SIMD8(repeating: value) - level) + keepSeasonal * index0
                    }
                    phase += 1
                    if phase == period { phase = 0 }
                }
            }
        }
        return error
    }

    /// Runs the filter over every value and records the state after each bin.
    func filter(_ values: [Double], initial: HoltWintersState) -> HoltWintersStates {
        var states = HoltWintersStates(levels: [], trends: [], seasonals: [], initialSeasonal: initial.seasonal,
                                       current: initial)
        states.levels.reserveCapacity(values.count)
        states.trends.reserveCapacity(values.count)
        states.seasonals.reserveCapacity(values.count)
        run(over: values, from: 0, into: &states)
        return states
    }

    /// Continues the filter from `states.current` over `values[first...]` (bin `i` has phase `i % period`),
    /// appending the state after each bin: a refit between re-estimations costs only the new bins.
    func run(over values: [Double], from first: Int, into states: inout HoltWintersStates) {
        var level = states.current.level, trend = states.current.trend, seasonal = states.current.seasonal
        for index in first..<max(first, values.count) {
            let phase = index % period
            let value = values[index]
            if value.isNaN {
                level += trend
            } else {
                let previousLevel = level
                level = alpha * (value - seasonal[phase]) + (1 - alpha) * (level + trend)
                trend = beta * (level - previousLevel) + (1 - beta) * trend
                seasonal[phase] = gamma * (value - level) + (1 - gamma) * seasonal[phase]
            }
            states.levels.append(level)
            states.trends.append(trend)
            states.seasonals.append(seasonal[phase])
        }
        states.current = HoltWintersState(level: level, trend: trend, seasonal: seasonal)
    }
}

struct HoltWintersStates: Sendable {
    /// State after bin `i`.
    var levels: [Double]
    var trends: [Double]
    /// The seasonal index of bin `i`'s phase after bin `i`.
    var seasonals: [Double]
    var initialSeasonal: [Double]
    /// The full state after the last bin, where a continued filter picks up.
    var current: HoltWintersState
}

struct FittedHoltWinters: FittedDemandModel {
    let states: HoltWintersStates
    let parameters: HoltWintersParameters
    let name: String

    var period: Int { parameters.period }

    /// Filters the appended bins with the fitted smoothing parameters.
    func extended(to series: PeakSeries) -> (any FittedDemandModel)? {
        guard series.count >= states.levels.count else { return nil }
        var states = states
        parameters.run(over: series.values, from: states.levels.count, into: &states)
        return FittedHoltWinters(states: states, parameters: parameters, name: name)
    }

    func forecast(from origin: Int, count: Int) -> ModelForecast {
        let last = min(origin, states.levels.count) - 1
        guard last >= 0 else { return ModelForecast(means: [Double](repeating: .nan, count: count)) }
        let level = states.levels[last], trend = states.trends[last]
        var means = [Double](repeating: 0, count: count)
        for offset in 0..<count {
            let target = origin + offset
            let lead = target - last
            // The latest bin with the target's phase at or before the state's bin.
            let seasonsBack = (target - last + period - 1) / period
            let source = target - seasonsBack * period
            let seasonal = source >= 0 ? states.seasonals[source] : states.initialSeasonal[((target % period) + period) % period]
            means[offset] = level + Double(lead) * trend + seasonal
        }
        return ModelForecast(means: means)
    }
}
