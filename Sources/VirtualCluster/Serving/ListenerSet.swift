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
    /// The pending reopen after `closeFor(_:)`, so shutdown can stop it and tests can wait for it.
    private let reopening = Mutex<Task<Void, any Error>?>(nil)

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

    /// Closes the listeners now and reopens them on the same ports after `duration` (the "refuse
    /// connections" fault). Reopening is retried while the ports are not free yet, and a failure to
    /// reopen is logged and kept for `waitUntilReopened()` rather than dropped.
    ///
    /// Closing waits for in-flight requests, and a watch is a request that never finishes by itself: one
    /// that a client opened on a kept-alive connection after the caller ended the open watches would keep
    /// the listeners closed for good. So `endStreams` runs every 100 ms until they are closed, as the real
    /// API server ends its watches when it shuts down.
    func closeFor(_ duration: Duration, endingStreams endStreams: @escaping @Sendable () -> Void = {}) async {
        let parameters = parameters
        // Registered before anything closes, so a caller that saw a refused connection can wait for it.
        let (closed, signalClosed) = AsyncStream<Void>.makeStream()
        let (registered, signalRegistered) = AsyncStream<Void>.makeStream()
        let task = Task { [self] in
            for await _ in registered {}
            await stop(endingStreams: endStreams)
            signalClosed.finish()
            try await Task.sleep(for: duration)
            var attempt = 0
            while true {
                do {
                    try await restart()
                    return
                } catch {
                    attempt += 1
                    guard attempt < Self.reopenAttempts, !Task.isCancelled else {
                        parameters.logger.error("Cannot reopen the listeners after refusing connections",
                                                metadata: ["error": "\(error)", "attempts": "\(attempt)"])
                        throw error
                    }
                    parameters.logger.debug("Listeners not reopened yet; retrying", metadata: ["error": "\(error)"])
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        // A refusal still pending is superseded: only the latest one reopens.
        let superseded = reopening.withLock { pending -> Task<Void, any Error>? in
            defer { pending = task }
            return pending
        }
        superseded?.cancel()
        signalRegistered.finish()
        for await _ in closed {}
    }

    /// Attempts at reopening, 50 ms apart (a port held by a closing socket is free well within that).
    static let reopenAttempts = 100

    /// Returns once listeners closed by `closeFor(_:)` are open again (at once if none are closed);
    /// throws the error that kept them closed.
    func waitUntilReopened() async throws {
        guard let task = reopening.withLock({ $0 }) else { return }
        try await task.value
    }

    /// Closes every listening socket and waits for in-flight requests, ending long-running streams with
    /// `endStreams` every 100 ms meanwhile; a pending reopen is abandoned.
    ///
    /// Ending the open watches once before closing is not enough: a client whose watch ended re-watches at
    /// once on its kept-alive connection, and waiting for that request would wait for its `timeoutSeconds`
    /// (an informer's 5–10 minutes) or, for a watch without one, for ever.
    func shutdown(endingStreams endStreams: @escaping @Sendable () -> Void) async {
        if let task = reopening.withLock({ $0 }) {
            task.cancel()
            _ = try? await task.value
        }
        await stop(endingStreams: endStreams)
    }

    /// Closes every listening socket, ending long-running streams with `endStreams` every 100 ms until the
    /// in-flight requests are done.
    private func stop(endingStreams endStreams: @escaping @Sendable () -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    endStreams()
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            await stop()
            group.cancelAll()
        }
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
