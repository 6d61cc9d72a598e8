import Foundation

/// A smooth, periodic 24-hour curve through anchor points (hour, factor), joined by cosine
/// interpolation so the curve has no corners. Profiles describe "quiet at 3 am, busy at 8 pm" this way.
struct DailyShape: Sendable {
    let anchors: [(hour: Double, factor: Double)]

    /// `anchors` must be sorted by hour within [0, 24).
    init(_ anchors: [(hour: Double, factor: Double)]) {
        self.anchors = anchors
    }

    func factor(atHour hour: Double) -> Double {
        let wrapped = hour - 24 * (hour / 24).rounded(.down)
        guard let last = anchors.last, let first = anchors.first else { return 1 }
        var previous = (hour: last.hour - 24, factor: last.factor)
        for anchor in anchors + [(hour: first.hour + 24, factor: first.factor)] {
            if wrapped < anchor.hour {
                let fraction = (wrapped - previous.hour) / (anchor.hour - previous.hour)
                let eased = (1 - cos(Double.pi * fraction)) / 2
                return previous.factor + (anchor.factor - previous.factor) * eased
            }
            previous = anchor
        }
        return first.factor
    }
}

/// Where a grid sample falls in the calendar of a synthetic trace.
struct TraceClock: Sendable {
    let step: Double
    /// 0 = Sunday … 6 = Saturday, for day 0.
    let firstWeekday: Int

    /// Day index (negative during warm-up), hour of day and weekday of sample `index`.
    func position(ofSample index: Int) -> (day: Int, hour: Double, weekday: Int) {
        let seconds = Double(index) * step
        let day = Int((seconds / 86_400).rounded(.down))
        let hour = (seconds - Double(day) * 86_400) / 3_600
        let weekday = ((firstWeekday + day) % 7 + 7) % 7
        return (day, hour, weekday)
    }
}
