import KubeClient
import ServiceLifecycle

/// A service that, once its task is cancelled (a graceful shutdown that ran out of time escalates
/// to cancellation), returns instead of throwing the cancellation out of the service group: a
/// SIGTERM then still exits 0. Real failures, such as a lost leader lease, still end the group.
struct StopsQuietlyWhenCancelled: Service, CustomStringConvertible {
    let service: any Service

    init(_ service: any Service) {
        self.service = service
    }

    var description: String { "\(service)" }

    func run() async throws {
        do {
            try await service.run()
        } catch is CancellationError where Task.isCancelled {
            return
        } catch KubeError.cancelled where Task.isCancelled {
            return
        }
    }
}
