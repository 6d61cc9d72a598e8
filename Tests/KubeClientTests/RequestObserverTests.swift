import Foundation
import KubeAPI
import Synchronization
import Testing
import VirtualCluster
@testable import KubeClient

/// The client reports each finished request to its observer with the verb and the status code
/// the server answered, against the virtual cluster over HTTPS.
@Suite struct RequestObserverTests {
    final class Recording: KubeRequestObserver {
        let seen = Mutex<[ObservedRequest]>([])
        func requestFinished(_ request: ObservedRequest) { seen.withLock { $0.append(request) } }
        var verbsAndCodes: [String] { seen.withLock { $0.map { "\($0.verb) \($0.code)" } } }
    }

    @Test func unaryCallsAreReportedWithVerbAndCode() async throws {
        try await withCluster { cluster in
            let observer = Recording()
            let client = KubeClient(configuration: cluster.clientConfiguration(), observer: observer)
            _ = try await client.create(configMap("observed"))
            _ = try await client.get(ConfigMap.descriptor, name: "observed", namespace: "default", as: ConfigMap.self)
            await #expect(throws: KubeError.self) {
                _ = try await client.get(ConfigMap.descriptor, name: "absent", namespace: "default", as: ConfigMap.self)
            }
            #expect(observer.verbsAndCodes == ["POST 201", "GET 200", "GET 404"])
            #expect(observer.seen.withLock { $0.allSatisfy { $0.duration > .zero && !$0.isWatch } })
        }
    }

    @Test func aWatchThatTheServerEndsIsReportedAsAWatch() async throws {
        try await withCluster { cluster in
            let observer = Recording()
            let client = KubeClient(configuration: cluster.clientConfiguration(), observer: observer)
            let stream = try await client.watch(ConfigMap.descriptor, namespace: "default", options: ListOptions(timeoutSeconds: 1),
                                                allowBookmarks: false, as: ConfigMap.self)
            for try await _ in stream {}
            try await eventually { observer.verbsAndCodes == ["WATCH 200"] }
            #expect(observer.seen.withLock { $0.first?.isWatch } == true)
        }
    }
}
