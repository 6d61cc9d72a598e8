import CoreMetrics
import KubeClient
import Synchronization

/// Exports the client's requests: a latency histogram by verb and code for unary calls, and a
/// count of watch streams by the code they ended with (their duration is their lifetime, which
/// says nothing about latency). Together they give the operator's API request rate.
public final class KubeRequestMetrics: KubeRequestObserver {
    private struct Key: Hashable {
        var verb: String
        var code: String
    }

    private let factory: any MetricsFactory
    private let timers = Mutex<[Key: Timer]>([:])
    private let watches = Mutex<[String: Counter]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func requestFinished(_ request: ObservedRequest) {
        if request.isWatch {
            let counter = watches.withLock { all in
                if let counter = all[request.code] { return counter }
                let counter = Counter(label: FleetcastMetrics.apiWatches.name, dimensions: [("code", request.code)], factory: factory)
                all[request.code] = counter
                return counter
            }
            counter.increment()
            return
        }
        let key = Key(verb: request.verb, code: request.code)
        let timer = timers.withLock { all in
            if let timer = all[key] { return timer }
            let timer = Timer(label: FleetcastMetrics.apiRequestDuration.name, dimensions: [("verb", key.verb), ("code", key.code)],
                              preferredDisplayUnit: .seconds, factory: factory)
            all[key] = timer
            return timer
        }
        timer.recordNanoseconds(SwiftMetricsPoolRecorder.nanoseconds(request.duration))
    }
}
