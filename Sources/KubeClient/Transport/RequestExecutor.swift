import Foundation
import KubeAPI

/// Sends `APIRequest`s: rate limit, credentials, libcurl, typed errors, retries and the 401 re-auth.
/// Unary calls share one `TransferLoop` (one multi handle, so connections are reused); each stream
/// gets its own loop and thread.
final class RequestExecutor: Sendable {
    let configuration: ClientConfiguration
    private let loop: TransferLoop
    private let credentials: CredentialProvider
    private let limiter: RateLimiter
    private let baseURL: String
    private let connectTo: String?
    /// Watch threads of this client still running.
    let liveStreams = LiveCounter()
    /// Told about every finished attempt (latency and status for metrics).
    private let observer: (any KubeRequestObserver)?

    init(configuration: ClientConfiguration, observer: (any KubeRequestObserver)? = nil) {
        self.configuration = configuration
        self.observer = observer
        loop = TransferLoop(name: "kubeclient-unary", exitsWhenIdle: false)
        credentials = CredentialProvider(authentication: configuration.authentication, refreshInterval: configuration.tokenFileRefreshInterval)
        limiter = RateLimiter(limit: configuration.rateLimit)
        (baseURL, connectTo) = Self.endpoint(server: configuration.server, serverName: configuration.tls.serverName)
    }

    deinit { loop.shutdown() }

    /// With `tls-server-name`, the URL names the expected certificate host and CONNECT_TO sends the
    /// connection to the real address, so SNI and verification use the configured name.
    static func endpoint(server: String, serverName: String?) -> (String, String?) {
        guard let serverName, !serverName.isEmpty, var components = URLComponents(string: server), let host = components.host, host != serverName else {
            return (server, nil)
        }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        components.host = serverName
        components.port = port
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return (components.string ?? server, "\(serverName):\(port):\(bracketed):\(port)")
    }

    // MARK: Unary

    /// Sends with retries; returns the 2xx response or throws the typed error.
    func send(_ request: APIRequest) async throws(KubeError) -> HTTPResponse {
        var retry = 0
        var waited: TimeInterval = 0
        var reauthenticated = false
        while true {
            do {
                return try await sendOnce(request)
            } catch KubeError.unauthorized(let status) {
                // Rotated token files and expired exec credentials: refresh once and try again.
                guard !reauthenticated, Self.canRefresh(configuration.authentication) else { throw .unauthorized(status) }
                reauthenticated = true
                await credentials.invalidate()
            } catch {
                guard case .retry(let after) = RetryDecision.decide(error, method: request.method) else { throw error }
                retry += 1
                guard let delay = configuration.retry.delay(beforeRetry: retry, retryAfter: after, waitedSoFar: waited, random: Double.random(in: 0..<1)) else {
                    throw error
                }
                waited += delay
                do {
                    try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                } catch {
                    throw .cancelled
                }
            }
        }
    }

    private static func canRefresh(_ authentication: Authentication) -> Bool {
        switch authentication {
        case .tokenFile, .exec: true
        default: false
        }
    }

    private func sendOnce(_ request: APIRequest) async throws(KubeError) -> HTTPResponse {
        if Task.isCancelled { throw .cancelled }
        try await limiter.acquire()
        let transfer = try await makeTransfer(request, streaming: false)
        let started = ContinuousClock.now
        let outcome: CurlTransfer.Outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.onComplete = { continuation.resume(returning: $0) }
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
        observe(request.method.rawValue, outcome, since: started)
        switch outcome {
        case .cancelled:
            throw .cancelled
        case .failed(let failure):
            throw .transport(failure)
        case .finished(let response):
            guard (200..<300).contains(response.statusCode) else {
                throw KubeError(statusCode: response.statusCode, headers: response.headers, body: response.body)
            }
            return response
        }
    }

    private func makeTransfer(_ request: APIRequest, streaming: Bool) async throws(KubeError) -> CurlTransfer {
        let current = configuration.sendsCredentials ? try await credentials.credentials() : .none
        var headers: [(name: String, value: String)] = [
            ("Accept", "application/json"),
            ("User-Agent", configuration.userAgent),
        ]
        if let contentType = request.contentType { headers.append(("Content-Type", contentType)) }
        if let authorization = current.authorizationHeader { headers.append(("Authorization", authorization)) }
        let transportRequest = TransportRequest(method: request.method, url: baseURL + request.pathAndQuery, headers: headers, body: request.body, streaming: streaming)
        let settings = TransferSettings(
            tls: configuration.tls,
            credentials: current,
            connectTimeout: configuration.connectTimeout,
            requestTimeout: configuration.requestTimeout,
            lowSpeedTime: configuration.watchLowSpeedTime,
            compression: configuration.compression,
            connectTo: connectTo
        )
        do {
            return try CurlTransfer(request: transportRequest, settings: settings)
        } catch {
            throw .transport(error)
        }
    }

    // MARK: Streams

    /// Opens a streaming GET on its own thread and returns once the server has accepted it (2xx
    /// headers complete); a refusal (an error status, a transport failure) is thrown from here, as
    /// client-go's `Watch` returns it. Bytes of the body are then yielded as they arrive; a transport
    /// failure ends the stream with the error, a clean server close ends it normally. Cancelling the
    /// consumer (or the caller, while it waits) wakes the loop and tears the transfer down at once.
    func stream(_ request: APIRequest) async throws(KubeError) -> AsyncThrowingStream<Data, any Error> {
        try await limiter.acquire()
        let transfer = try await makeTransfer(request, streaming: true)
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let acceptance = StreamAcceptance()
        transfer.onStreamData = { continuation.yield($0) }
        transfer.onAccepted = { acceptance.decide(.success(())) }
        let started = ContinuousClock.now
        transfer.onComplete = { [weak self] outcome in
            self?.observe(ObservedRequest.watchVerb, outcome, since: started)
            let ending: KubeError?
            switch outcome {
            case .cancelled:
                ending = .cancelled
            case .failed(let failure):
                ending = .transport(failure)
            case .finished(let response):
                ending = (200..<300).contains(response.statusCode)
                    ? nil : KubeError(statusCode: response.statusCode, headers: response.headers, body: response.body)
            }
            // Before acceptance the ending is the call's answer; after it, the stream's.
            if acceptance.decide(ending.map { .failure($0) } ?? .success(())), ending != nil { return }
            continuation.finish(throwing: ending)
        }
        let loop = TransferLoop(name: "kubeclient-watch", exitsWhenIdle: true, initial: transfer, counter: liveStreams)
        continuation.onTermination = { _ in loop.cancel(transfer) }
        try await acceptance.wait { loop.cancel(transfer) }
        return stream
    }

    /// Reports a finished attempt; a cancelled one is not a result of the server and is not reported.
    private func observe(_ verb: String, _ outcome: CurlTransfer.Outcome, since started: ContinuousClock.Instant) {
        guard let observer else { return }
        let code: String
        switch outcome {
        case .cancelled: return
        case .failed: code = ObservedRequest.noResponseCode
        case .finished(let response): code = String(response.statusCode)
        }
        observer.requestFinished(ObservedRequest(verb: verb, code: code, duration: ContinuousClock.now - started))
    }

    /// Drops cached credentials (a stream saw 401).
    func invalidateCredentials() async { await credentials.invalidate() }
}
