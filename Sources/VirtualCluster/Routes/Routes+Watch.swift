import KubeAPI

/// `?watch=true`: resourceVersion "" / "0" start with synthetic ADDED events; a specific revision
/// resumes after it from the bounded history (or answers the in-stream 410).
extension ClusterAPI {
    func watch(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let filter = try self.filter(request, target)
        let requested = request.query["resourceVersion"] ?? ""
        let start: Int64?
        if requested.isEmpty || requested == "0" {
            start = nil
        } else {
            guard let revision = Int64(requested), revision >= 0 else {
                throw APIError.badRequest("resourceVersion: Invalid value: \"\(requested)\": must be a non-negative integer")
            }
            start = revision
        }
        let sendInitial = request.query["sendInitialEvents"].map { $0 == "true" } ?? (start == nil)
        let subscription = WatchSubscription(filter: filter)
        if sendInitial || start == nil {
            store.watch(subscription, after: sendInitial ? nil : store.currentRevision)
        } else {
            store.watch(subscription, after: start)
        }
        let timeout = request.query["timeoutSeconds"].flatMap(Int.init).map { Duration.seconds(max(0, $0)) }
        let table = request.wantsTable ? TableRendering(type: target.type, version: target.version, now: store.clock()) : nil
        let stream = WatchStream(
            subscription: subscription, store: store, type: target.type, version: target.version,
            allowBookmarks: request.query["allowWatchBookmarks"] == "true", timeout: timeout,
            bookmarkInterval: bookmarkInterval,
            render: { [self] object in
                let rendered = render(object, target)
                guard let table else { return rendered }
                return table.table([rendered], listMetadata: .object(["resourceVersion": rendered.value(at: ["metadata", "resourceVersion"]) ?? .string("")]))
            }
        )
        return APIResponse(code: 200, body: .watch(stream))
    }
}
