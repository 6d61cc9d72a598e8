import Logging
import NIOSSL
import Synchronization

/// The HTTPS listener and the optional plain-HTTP one, which can be closed for a while and reopened
/// on the same ports (the "refuse connections" fault).
final class ListenerSet: Sendable {
    private struct Parameters: Sendable {
        var responder: ClusterResponder
        var host: String
        var tls: TLSConfiguration
        var logger: Logger
    }

    let httpsPort: Int
    let httpPort: Int?
    private let parameters: Parameters
    private let running = Mutex<[Listener]>([])

    private init(httpsPort: Int, httpPort: Int?, parameters: Parameters, listeners: [Listener]) {
        self.httpsPort = httpsPort
        self.httpPort = httpPort
        self.parameters = parameters
        running.withLock { $0 = listeners }
    }

    static func start(responder: ClusterResponder, host: String, httpsPort: Int, httpPort: Int?,
                      tls: TLSConfiguration, logger: Logger) async throws -> ListenerSet {
        let parameters = Parameters(responder: responder, host: host, tls: tls, logger: logger)
        let secure = try await Listener.start(responder: responder, host: host, port: httpsPort, tls: tls, logger: logger)
        var listeners = [secure]
        var plainPort: Int?
        if let httpPort {
            do {
                let plain = try await Listener.start(responder: responder, host: host, port: httpPort, tls: nil, logger: logger)
                listeners.append(plain)
                plainPort = plain.port
            } catch {
                await secure.stop()
                throw error
            }
        }
        return ListenerSet(httpsPort: secure.port, httpPort: plainPort, parameters: parameters, listeners: listeners)
    }

    /// Closes every listening socket and waits for in-flight requests.
    func stop() async {
        let listeners = running.withLock { listeners in
            defer { listeners.removeAll() }
            return listeners
        }
        for listener in listeners { await listener.stop() }
    }

    /// Reopens the listeners on the ports they had.
    func restart() async throws {
        var listeners = [try await Listener.start(responder: parameters.responder, host: parameters.host, port: httpsPort,
                                                  tls: parameters.tls, logger: parameters.logger)]
        if let httpPort {
            listeners.append(try await Listener.start(responder: parameters.responder, host: parameters.host, port: httpPort,
                                                      tls: nil, logger: parameters.logger))
        }
        running.withLock { $0 += listeners }
    }
}
