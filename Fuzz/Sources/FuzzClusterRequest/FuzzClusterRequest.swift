import Foundation
import FuzzSupport
import KubeAPI
@testable import VirtualCluster

/// The virtual cluster's request decoding, through the same entry point as its HTTP listeners
/// (`ClusterAPI.handle`): routing, query parameters (selectors, field validation, dry run), JSON and
/// YAML bodies, the four patch types (merge, strategic merge, JSON patch, server-side apply), scale,
/// status and CRD schema validation. Input: `METHOD /path?query` on the first line, the content type on
/// the second, the body after it. Each input runs against a store holding exactly the fixture's objects
/// (see `ClusterFixture`): a fresh one, or the previous input's when that input changed nothing (its
/// store revision did not move), so every crash still reproduces from its input alone.
///
/// Invariants: nothing traps; every answer has a status code in 200…599 and, unless it is plain text,
/// a body that is JSON; a 5xx is only ever a deliberate `InternalError`; a successful, non-dry-run PUT
/// or PATCH of a named object leaves that object readable.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClusterRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let requestLine = input.line().split(separator: " ", maxSplits: 1).map(String.init)
    let contentType = input.line()
    let body = Data(input.remainingBytes())
    guard requestLine.count == 2 else { return 0 }
    let method = requestLine[0]
    let target = requestLine[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    let path = target[0]
    let query = target.count > 1 ? APIRequest.parseQuery(target[1]) : [:]
    // Watches stream forever and the fault endpoint injects delays: neither is request decoding.
    if APIRequest(method: method, path: path, query: query, accept: "", contentType: "", body: Data(), user: "").isWatch
        || path.contains("fault") {
        return 0
    }

    let api = ClusterFixture.pristineAPI()
    let request = APIRequest(method: method, path: path, query: query, accept: "application/json",
                             contentType: contentType, body: body, user: "admin")
    let response = ClusterFixture.wait { await api.handle(request) }
    check(response, for: request)

    let mutating = method == "PUT" || method == "PATCH"
    if mutating, (200..<300).contains(response.code), !request.isDryRun {
        let read = APIRequest(method: "GET", path: path, query: [:], accept: "application/json",
                              contentType: "", body: Data(), user: "admin")
        let after = ClusterFixture.wait { await api.handle(read) }
        invariant(after.code == 200, "\(method) \(path) answered \(response.code), then GET answered \(after.code)")
    }
    ClusterFixture.release(api)
    return 0
}

private func check(_ response: APIResponse, for request: APIRequest) {
    invariant((200..<600).contains(response.code), "\(request.method) \(request.path): status code \(response.code)")
    guard case .text(let text) = response.body else { return }
    if response.contentType.hasPrefix("application/json") {
        let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        invariant(parsed != nil, "\(request.method) \(request.path): \(response.code) body is not JSON: \(text.prefix(300))")
        if response.code >= 500 {
            invariant(text.contains("\"InternalError\""), "\(request.method) \(request.path): \(response.code) \(text.prefix(300))")
        }
    }
}
