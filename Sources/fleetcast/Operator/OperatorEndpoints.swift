import Foundation
import Hummingbird
import KubeClient
import Logging
import Operator
import Prometheus
import SecureMetrics
import ServiceLifecycle

/// The operator's HTTP endpoints as Hummingbird routers, each served by an `EndpointServer` (a `Service`): `/metrics` in the
/// Prometheus text format on the metrics address (plain, or HTTPS behind the API server's
/// authentication and authorization); `/healthz` (the process serves) and `/readyz` (the informer
/// caches have synced and none is blind beyond the stale limit) on the health-probe address.
enum OperatorEndpoints {
    /// What `--metrics-secure` adds: the certificate served and who reviews each scrape.
    struct MetricsSecurity {
        var certificate: ServingCertificate
        var reviewer: DelegatedAccessReviewer

        init(client: KubeClient, certificateDirectory: String?) throws {
            certificate = try certificateDirectory.map(ServingCertificate.load(directory:))
                ?? ServingCertificate.selfSigned(hosts: [ProcessInfo.processInfo.hostName], now: Date())
            reviewer = DelegatedAccessReviewer(client: client)
        }
    }

    static func metrics(registry: PrometheusCollectorRegistry, address: BindAddress, security: MetricsSecurity?,
                        logger: Logger) throws -> some Service {
        let router = Router()
        if let security { router.add(middleware: AccessReviewMiddleware(reviewer: security.reviewer)) }
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return EndpointServer(router: router, server: try security?.certificate.server() ?? .http1(),
                              address: .hostname(address.host, port: address.port), serverName: "fleetcast-metrics", logger: logger)
    }

    static func probes(watches: PoolWatches, address: BindAddress, logger: Logger) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { _, _ -> Response in
            let readiness = watches.readiness
            return Response(status: readiness.isReady ? .ok : .serviceUnavailable,
                            body: .init(byteBuffer: ByteBuffer(string: readiness.message)))
        }
        return EndpointServer(router: router, address: .hostname(address.host, port: address.port), serverName: "fleetcast-probes", logger: logger)
    }
}
