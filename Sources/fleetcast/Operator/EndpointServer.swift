import Foundation
import Hummingbird
import HummingbirdCore
import KubeAPI
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// One of the operator's HTTP endpoints: a Hummingbird router served by HummingbirdCore's server exactly as
/// Hummingbird's `Application.run` serves it — the router's response, a 500 for an error the router did not
/// turn into one, a request id in the logger, `Date` and `Server` headers on every response — except that the
/// `Date` header is formatted by `KubeTime.formatHTTP`.
///
/// Why not `Application`: its `run` starts a `DateCache`, whose formatting builds a Foundation `Calendar`,
/// which opens the process's current time zone; with FoundationInternationalization linked that is ICU
/// (`uatimezone_open`), whose time-zone code and data nothing else in the idle operator touches
/// (docs/benchmarks.md, "Lean operator binary"). Formatting the date per response costs less than the
/// cache's once-a-second timer: the endpoints answer a scrape or a probe every few seconds.
struct EndpointServer<Responder: HTTPResponder>: Service
where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let responder: Responder
    let server: HTTPServerBuilder
    let configuration: ServerConfiguration
    let logger: Logger

    /// A router served as `Application(router:server:configuration:logger:)` would serve it.
    init<Builder: HTTPResponderBuilder>(router: Builder, server: HTTPServerBuilder = .http1(), address: HummingbirdCore.BindAddress, serverName: String,
                                        logger: Logger) where Builder.Responder == Responder {
        self.responder = router.buildResponder()
        self.server = server
        self.configuration = ServerConfiguration(address: address, serverName: serverName)
        self.logger = logger
    }

    func run() async throws {
        let responder = self.responder, logger = self.logger, serverName = configuration.serverName
        let service = try server.buildServer(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                             logger: logger) { request, responseWriter, channel in
            var requestLogger = logger
            requestLogger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
            let response = try await withLogger(requestLogger) { requestLogger in
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: Responder.Context(source: .init(channel: channel, logger: requestLogger)))
                } catch let error as HTTPParserError {
                    throw error
                } catch {
                    requestLogger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
                    response = Response(status: .internalServerError, body: .init())
                }
                response.headers[.date] = KubeTime.formatHTTP(Date())
                if let serverName { response.headers[.server] = serverName }
                return response
            }
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is HTTPParserError {
                // Rethrown as it is, the parser error would make the channel write a second response (a 400);
                // any other error closes the connection, as Hummingbird's own does here.
                throw ResponseAlreadyStarted()
            }
        }
        try await service.run()
    }

    private struct ResponseAlreadyStarted: Error {}
}
