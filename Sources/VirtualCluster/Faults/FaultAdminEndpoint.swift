import Foundation
import KubeAPI

/// `POST /fleetcast.dev/admin/faults` with a JSON body naming an action:
/// `{"action":"fail","code":503,"times":2,"retryAfterSeconds":1,"method":"GET","pathContains":"/pods"}`,
/// `{"action":"latency","milliseconds":200,"pathContains":"/nodes"}`, `{"action":"dropWatches"}`,
/// `{"action":"compactHistory"}`, `{"action":"refuseConnections","milliseconds":2000}`, `{"action":"clear"}`.
extension FaultInjector {
    func handleAdminRequest(_ request: APIRequest, store: ObjectStore, snapshots: ListSnapshots) throws(APIError) -> APIResponse {
        guard request.method == "POST" else { throw APIError.methodNotAllowed(request.method) }
        let body = try request.jsonBody()
        let match = RequestMatch(method: body["method"]?.stringValue, pathContains: body["pathContains"]?.stringValue)
        let milliseconds = body["milliseconds"]?.intValue ?? 0
        switch body["action"]?.stringValue {
        case "fail":
            guard let code = body["code"]?.intValue, (400...599).contains(code) else {
                throw APIError.badRequest("fail: \"code\" must be an HTTP error status between 400 and 599")
            }
            fail(match, code: Int(code), times: Int(body["times"]?.intValue ?? 1), retryAfterSeconds: body["retryAfterSeconds"]?.intValue.map(Int.init))
        case "latency":
            addLatency(.milliseconds(milliseconds), to: match)
        case "dropWatches":
            store.endAllWatches()
        case "compactHistory":
            store.compactHistory()
            snapshots.expireAll()
        case "refuseConnections":
            guard milliseconds > 0 else { throw APIError.badRequest("refuseConnections: \"milliseconds\" must be positive") }
            guard let refuse = connectionRefuser.withLock({ $0 }) else {
                throw APIError(code: 501, reason: "NotImplemented", message: "this server cannot refuse connections")
            }
            refuse(.milliseconds(milliseconds))
        case "clear":
            clear()
        case let other:
            throw APIError.badRequest("unknown fault action \(other.map { "\"\($0)\"" } ?? "(missing)"); expected one of fail, latency, dropWatches, compactHistory, refuseConnections, clear")
        }
        return .json(.object(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]), "status": .string("Success")]))
    }
}
