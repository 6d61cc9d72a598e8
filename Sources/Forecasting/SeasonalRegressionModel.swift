import Foundation

/// Multi-seasonal regression: level, linear trend and Fourier terms for every seasonal period, fitted
/// robustly (Huber) over the history window, plus a level anchor. The seasonal fit says what the shape of
/// the day and the week is; the anchor says how far above or below that shape demand is right now, and
/// how much of that offset is still there `h` bins later (estimated directly for every lead on the
/// history, so slow swings and fast noise each get the persistence they actually have).
public struct SeasonalRegressionModel: DemandModel {
    /// Seasonal periods in bins, shortest first.
    public var periods: [Int]
    /// Fourier harmonics per period: sharp daily peaks need more than a smooth weekly shape.
    public var harmonics: [Int]
    /// Leads, in bins, whose anchor persistence is estimated separately.
    public var anchorLeads: Int
    public var name: String

    public init(periods: [Int], harmonics: [Int], anchorLeads: Int, name: String = "regression") {
        self.periods = periods
        self.harmonics = harmonics
        self.anchorLeads = max(1, anchorLeads)
        self.name = name
    }

    /// Recent bins averaged into the anchor: enough to damp single-bin noise, few enough to stay current.
    static let anchorWidth = 3

    public func fit(_ series: PeakSeries, upTo end: Int) -> any FittedDemandModel {
        let end = min(end, series.count)
        let terms = FourierTerms(periods: periods, harmonics: harmonics, firstBin: series.firstBin)
        let columns = 2 + terms.count
        let scale = Double(max(end, 1))
        let features = { (index: Int, row: inout [Double]) in
            row[0] = 1
            row[1] = Double(index - end) / scale
            terms.fill(&row, from: 2, at: index)
        }
        let beta = RobustLeastSquares().fit(rows: end, columns: columns, y: Array(series.values[..<end]),
                                            features: features)
        // The fitted baseline over the whole series, so held-out origins can be anchored too.
        var row = [Double](repeating: 0, count: columns)
        var baseline = [Double](repeating: 0, count: series.count)
        for index in 0..<series.count {
            features(index, &row)
            var value = 0.0
            for column in 0..<columns { value += row[column] * beta[column] }
            baseline[index] = value
        }
        let fitted = FittedSeasonalRegression(
            series: series, beta: beta, terms: terms, fitEnd: end, baseline: baseline,
            persistence: [], decay: 0, name: name)
        let (persistence, decay) = fitted.estimatePersistence(upTo: end, leads: anchorLeads)
        return FittedSeasonalRegression(
            series: series, beta: beta, terms: terms, fitEnd: end, baseline: baseline,
            persistence: persistence, decay: decay, name: name)
    }
}

struct FittedSeasonalRegression: FittedDemandModel {
    let series: PeakSeries
    let beta: [Double]
    let terms: FourierTerms
    let fitEnd: Int
    let baseline: [Double]
    /// Share of the anchor left after `h + 1` bins, for `h < persistence.count`.
    let persistence: [Double]
    /// Per-bin decay of the anchor beyond the estimated leads.
    let decay: Double
    let name: String

    func seasonal(at index: Int) -> Double {
        if index >= 0, index < baseline.count { return baseline[index] }
        var row = [Double](repeating: 0, count: beta.count)
        row[0] = 1
        row[1] = Double(index - fitEnd) / Double(max(fitEnd, 1))
        terms.fill(&row, from: 2, at: index)
        var value = 0.0
        for column in row.indices { value += row[column] * beta[column] }
        return value
    }

    /// The anchor known at `origin`: where the last observed values before it stand against the seasonal
    /// fit, and the index just after the last of them (leads count from there, so a gap in the history
    /// lets the anchor fade instead of pretending it is fresh).
    func anchor(before origin: Int) -> (offset: Double, from: Int)? {
        var index = min(origin, series.count) - 1
        var sum = 0.0, taken = 0, from: Int?
        while index >= 0, taken < SeasonalRegressionModel.anchorWidth {
            let value = series.values[index]
            if !value.isNaN {
                if from == nil { from = index + 1 }
                sum += value - baseline[index]
                taken += 1
            } else if let from, from - index > 4 * SeasonalRegressionModel.anchorWidth {
                break
            }
            index -= 1
        }
        guard let from, taken > 0 else { return nil }
        return (sum / Double(taken), from)
    }

    /// Keeps β and the persistence; the baseline is extended over the new bins, so anchors read them.
    func extended(to series: PeakSeries) -> (any FittedDemandModel)? {
        guard series.count >= baseline.count else { return nil }
        var baseline = baseline
        baseline.reserveCapacity(series.count)
        for index in baseline.count..<series.count { baseline.append(seasonal(at: index)) }
        return FittedSeasonalRegression(series: series, beta: beta, terms: terms, fitEnd: fitEnd, baseline: baseline,
                                        persistence: persistence, decay: decay, name: name)
    }

    func persistence(atLead lead: Int) -> Double {
        guard !persistence.isEmpty else { return 0 }
        if lead < persistence.count { return persistence[max(lead, 0)] }
        return persistence[persistence.count - 1] * pow(decay, Double(lead - persistence.count + 1))
    }

    func forecast(from origin: Int, count: Int) -> ModelForecast {
        let anchor = anchor(before: origin)
        var means = [Double](repeating: 0, count: count)
        for offset in 0..<count {
            let target = origin + offset
            var value = seasonal(at: target)
            if let anchor { value += anchor.offset * persistence(atLead: target - anchor.from) }
            means[offset] = value
        }
        return ModelForecast(means: means)
    }

    /// Least-squares persistence of the anchor for each lead, from every origin in the fitted range:
    /// `c_h = Σ a_o r_{o+h} / Σ a_o²`, clamped to [0, 1]. The decay beyond is the last step's ratio.
    func estimatePersistence(upTo end: Int, leads: Int) -> ([Double], Double) {
        var anchors = [Double](repeating: .nan, count: end + 1)
        for origin in SeasonalRegressionModel.anchorWidth...max(end, SeasonalRegressionModel.anchorWidth) {
            var sum = 0.0, taken = 0
            for index in (origin - SeasonalRegressionModel.anchorWidth)..<origin where index < end {
                let value = series.values[index]
                if !value.isNaN { sum += value - baseline[index]; taken += 1 }
            }
            if taken == SeasonalRegressionModel.anchorWidth, origin <= end { anchors[origin] = sum / Double(taken) }
        }
        var coefficients = [Double](repeating: 0, count: leads)
        for lead in 0..<leads {
            var cross = 0.0, square = 0.0
            var origin = SeasonalRegressionModel.anchorWidth
            while origin + lead < end {
                let a = anchors[origin]
                let value = series.values[origin + lead]
                if !a.isNaN, !value.isNaN {
                    cross += a * (value - baseline[origin + lead])
                    square += a * a
                }
                origin += 1
            }
            coefficients[lead] = square > 0 ? min(max(cross / square, 0), 1) : 0
        }
        var decay = 0.0
        if leads >= 2, coefficients[leads - 2] > 1e-9 {
            decay = min(max(coefficients[leads - 1] / coefficients[leads - 2], 0), 1)
        }
        return (coefficients, decay)
    }
}

/// Fourier columns for several seasonal periods, skipping harmonics whose frequency a shorter period
/// already has (the 7th weekly harmonic is the daily fundamental) so the design stays well-conditioned.
/// Phases are taken from the absolute bin index, so they line up across refits.
struct FourierTerms: Sendable {
    /// Per period, which harmonics get a column (ascending).
    let periods: [(period: Int, harmonics: [Int])]
    let firstBin: Int
    let count: Int
    /// Per period, the cosine and sine of the fundamental at every phase: a fit fills thousands of
    /// rows but a period has only `period` phases, so each is computed once (same expression, same value).
    private let fundamentals: [[SIMD2<Double>]]

    init(periods: [Int], harmonics: [Int], firstBin: Int) {
        var chosen = [(period: Int, harmonics: [Int])]()
        for (position, period) in periods.enumerated() {
            let wanted = position < harmonics.count ? harmonics[position] : 3
            let kept = (1...max(1, min(wanted, period / 2))).filter { harmonic in
                !chosen.contains { earlier in earlier.harmonics.contains { $0 * period == harmonic * earlier.period } }
            }
            chosen.append((period, kept))
        }
        self.periods = chosen
        self.firstBin = firstBin
        self.count = chosen.reduce(0) { $0 + 2 * $1.harmonics.count }
        fundamentals = chosen.map { period, harmonics in
            guard !harmonics.isEmpty else { return [] }
            return (0..<period).map { phase in
                let angle = 2 * Double.pi * Double(phase) / Double(period)
                return SIMD2(cos(angle), sin(angle))
            }
        }
    }

    /// Writes the cosine and sine of every kept harmonic at bin `index` into `row[start...]`. Harmonics
    /// come from rotating the fundamental (angle addition), one `cos`/`sin` pair per period per row.
    func fill(_ row: inout [Double], from start: Int, at index: Int) {
        let absolute = firstBin + index
        var column = start
        for (position, (period, harmonics)) in periods.enumerated() {
            guard let highest = harmonics.last else { continue }
            let fundamental = fundamentals[position][((absolute % period) + period) % period]
            let (c1, s1) = (fundamental.x, fundamental.y)
            var (c, s) = (1.0, 0.0)
            var next = 0
            for harmonic in 1...highest {
                (c, s) = (c * c1 - s * s1, s * c1 + c * s1)
                if harmonics[next] == harmonic {
                    row[column] = c
                    row[column + 1] = s
                    column += 2
                    next += 1
                }
            }
        }
    }
}
