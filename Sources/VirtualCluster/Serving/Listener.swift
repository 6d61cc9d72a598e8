import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization

/// One listening socket (HTTP or HTTPS) running a Hummingbird application until stopped.
final class Listener: Sendable {
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.port = port
        self.group = group
        self.task = task
    }

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// Binds `host:port` (0 picks a free port) and returns once the socket is listening.
    static func start(responder: ClusterResponder, host: String, port: Int, tls: TLSConfiguration?, logger: Logger) async throws -> Listener {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1()
        let application = Application(
            responder: responder, server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let failure = Mutex<String?>(nil)
        // Detached: a listener reopened from a request handler (the admin endpoint's refuseConnections)
        // must not inherit that handler's task-local graceful-shutdown context, or stopping the old
        // listener would stop the new one as soon as it starts.
        let task = Task.detached {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            portContinuation.finish()
        }
        for await boundPort in ports {
            return Listener(port: boundPort, group: group, task: task)
        }
        throw StartError(description: "could not listen on \(host):\(port): \(failure.withLock { $0 } ?? "the server stopped")")
    }

    /// Stops accepting connections and waits for in-flight requests to finish.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
