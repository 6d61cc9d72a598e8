import Foundation
import Sampling
import Traces

/// What every controller shares during one step: the instant, the seeded generator (names,
/// delays) and the event log. Controllers run one after another, so the order of draws — and
/// with it the whole history — depends only on the seed and the cluster's contents.
struct StepContext {
    var now: Date
    var generator: SplitMix64
    var events: [InfrastructureEvent] = []

    mutating func record(_ kind: InfrastructureEvent.Kind, _ object: String, _ detail: String = "") {
        events.append(InfrastructureEvent(time: now, kind: kind, object: object, detail: detail))
    }

    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// A five-character suffix like the ones controllers append (`pool-a-7xk2q`).
    mutating func nameSuffix() -> String {
        String((0..<5).map { _ in Self.alphabet[Int(generator.next() % UInt64(Self.alphabet.count))] })
    }
}
