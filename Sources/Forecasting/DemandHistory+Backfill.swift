import Foundation

extension DemandHistory {
    /// This history with its missing bins filled from `backfill` (bins of the same step read from
    /// elsewhere, e.g. Prometheus): where both hold a bin, this history's own observation wins; where
    /// only the backfill does, its bin is taken as is. The result keeps this history's retention and
    /// reaches as far forward as the later of the two. A backfill of another step is ignored, since
    /// bins cannot be re-binned faithfully.
    public func filling(from backfill: DemandHistory) -> DemandHistory {
        guard backfill.step == step, !backfill.peaks.isEmpty else { return self }
        guard !peaks.isEmpty else { return backfill.retaining(retention) }
        let first = min(firstBin, backfill.firstBin)
        let last = max(firstBin + peaks.count, backfill.firstBin + backfill.peaks.count)
        let lower = max(first, last - capacity)
        var merged = DemandHistory(step: step, retention: retention)
        merged.firstBin = lower
        let count = last - lower
        merged.peaks = [Double](repeating: 0, count: count)
        merged.means = [Double](repeating: 0, count: count)
        merged.counts = [UInt16](repeating: 0, count: count)
        for index in lower..<last {
            let slot = index - lower
            if let own = slotIndex(of: index), counts[own] > 0 {
                merged.peaks[slot] = peaks[own]
                merged.means[slot] = means[own]
                merged.counts[slot] = counts[own]
            } else if let other = backfill.slotIndex(of: index), backfill.counts[other] > 0 {
                merged.peaks[slot] = backfill.peaks[other]
                merged.means[slot] = backfill.means[other]
                merged.counts[slot] = backfill.counts[other]
            }
        }
        return merged
    }

    /// How many of `backfill`'s observed bins this history already holds (its own observations win).
    public func overlap(with backfill: DemandHistory) -> Int {
        guard backfill.step == step else { return 0 }
        var shared = 0
        for (offset, count) in backfill.counts.enumerated() where count > 0 {
            if let own = slotIndex(of: backfill.firstBin + offset), counts[own] > 0 { shared += 1 }
        }
        return shared
    }

    private func slotIndex(of bin: Int) -> Int? {
        let slot = bin - firstBin
        return slot >= 0 && slot < peaks.count ? slot : nil
    }
}
