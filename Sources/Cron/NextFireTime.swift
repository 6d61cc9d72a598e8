import Foundation

extension CronExpression {
    /// How far ahead ``nextFireTime(after:in:)`` looks before giving up. Every accepted expression fires
    /// at least once in any eight consecutive years (February 29 can be eight years apart), so `nil`
    /// only comes back for instants too close to the end of representable time.
    static let searchHorizon: TimeInterval = 10 * 366 * 86_400

    /// The first instant strictly after `instant` whose local wall-clock time in `timeZone` matches.
    ///
    /// This is exactly the set of times robfig/cron v3 — and so a Kubernetes CronJob with `timeZone` —
    /// fires at: a local time skipped by a spring-forward jump never fires that day, and a local time
    /// repeated by a fall-back jump fires twice, once per UTC offset. The search walks the time zone's
    /// constant-offset stretches between transitions and, within each, jumps field by field on the
    /// wall-clock timeline; it never scans minute by minute.
    public func nextFireTime(after instant: Date, in timeZone: TimeZone) -> Date? {
        let after = instant.timeIntervalSince1970
        // Beyond ±3 million years the wall-clock arithmetic would leave `Int`; no schedule lives there.
        guard after.isFinite, abs(after) < 1e14 else { return nil }
        let horizon = after + Self.searchHorizon
        var stretchStart = after
        var isFirstStretch = true
        while stretchStart < horizon {
            let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: stretchStart))
            let transition = timeZone.nextDaylightSavingTimeTransition(
                after: Date(timeIntervalSince1970: stretchStart))?.timeIntervalSince1970
            var stretchEnd = min(transition ?? horizon, horizon)
            let localStart = (stretchStart + Double(offset)) / 60
            // In the first stretch candidates must be strictly after `instant`; later stretches begin at a
            // transition, which itself belongs to the stretch.
            let lowerMinute = isFirstStretch ? Int(localStart.rounded(.down)) + 1 : Int(localStart.rounded(.up))
            while true {
                let upperMinute = Int(((stretchEnd + Double(offset)) / 60).rounded(.up))
                guard let wallClockMinute = firstMatchingWallClockMinute(atOrAfter: lowerMinute,
                                                                         before: upperMinute) else { break }
                let candidate = Double(wallClockMinute * 60 - offset)
                let candidateDate = Date(timeIntervalSince1970: candidate)
                if timeZone.secondsFromGMT(for: candidateDate) == offset { return candidateDate }
                // The zone changed offset without reporting a transition: end the stretch there and retry.
                stretchEnd = firstOffsetChange(in: timeZone, from: stretchStart, to: candidate, offset: offset)
            }
            stretchStart = stretchEnd
            isFirstStretch = false
        }
        return nil
    }

    /// The first whole second in `(start, end]` at which `timeZone` no longer has `offset`, by bisection.
    private func firstOffsetChange(in timeZone: TimeZone, from start: TimeInterval, to end: TimeInterval,
                                   offset: Int) -> TimeInterval {
        var low = start.rounded(.down)
        var high = end
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: middle)) == offset {
                low = middle
            } else {
                high = middle
            }
        }
        return high
    }
}
