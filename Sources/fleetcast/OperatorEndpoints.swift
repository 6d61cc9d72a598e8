import Foundation
import Hummingbird
import Logging
import Operator
import Prometheus
import ServiceLifecycle

/// The operator's HTTP endpoints as Hummingbird applications (each a `Service`): `/metrics` in the
/// Prometheus text format on the metrics address; `/healthz` (the process serves) and `/readyz`
/// (the informer caches have synced and none is blind beyond the stale limit) on the health-probe address.
enum OperatorEndpoints {
    static func metrics(registry: PrometheusCollectorRegistry, address: BindAddress, logger: Logger) -> some Service {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(router: router, configuration: .init(address: .hostname(address.host, port: address.port), serverName: "fleetcast-metrics"),
                           logger: logger)
    }

    static func probes(watches: PoolWatches, address: BindAddress, logger: Logger) -> some Service {
        let router = Router()
        router.get("/healthz") { _, _ in "ok" }
        router.get("/readyz") { _, _ -> Response in
            let readiness = watches.readiness
            return Response(status: readiness.isReady ? .ok : .serviceUnavailable,
                            body: .init(byteBuffer: ByteBuffer(string: readiness.message)))
        }
        return Application(router: router, configuration: .init(address: .hostname(address.host, port: address.port), serverName: "fleetcast-probes"),
                           logger: logger)
    }
}
