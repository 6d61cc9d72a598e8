import KubeAPI

/// GET of one object and LIST with selectors, pagination from a consistent snapshot, and Tables.
extension ClusterAPI {
    func get(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        guard let name = target.name, let object = store.get(target.type.key, namespace: target.storeNamespace, name: name) else {
            throw notFound(target)
        }
        let rendered = render(object, target)
        if request.wantsTable {
            let metadata: JSONValue = .object(["resourceVersion": object["metadata"]?["resourceVersion"] ?? .string("")])
            return .json(TableRendering(type: target.type, version: target.version, now: store.clock()).table([rendered], listMetadata: metadata))
        }
        return .json(rendered)
    }

    func filter(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> ObjectFilter {
        var filter = ObjectFilter(key: target.type.key, namespace: target.namespace)
        if let text = request.query["labelSelector"], !text.isEmpty {
            filter.labels = try LabelSelectorQuery(parsing: text)
        }
        if let text = request.query["fieldSelector"], !text.isEmpty {
            filter.fields = try FieldSelectorQuery(parsing: text, for: target.type)
        }
        return filter
    }

    func list(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let items: [JSONValue]
        let revision: Int64
        var continueToken: String?
        var remaining: Int?
        let limit = request.query["limit"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        if let token = request.query["continue"], !token.isEmpty {
            let page = try snapshots.page(token: token, limit: limit)
            (items, revision, continueToken, remaining) = (page.items, page.revision, page.continueToken, page.remaining)
        } else {
            let snapshot = store.list(try filter(request, target))
            if let limit, snapshot.items.count > limit {
                let page = snapshots.firstPage(of: snapshot.items, revision: snapshot.revision, limit: limit)
                (items, revision, continueToken, remaining) = (page.items, page.revision, page.continueToken, page.remaining)
            } else {
                (items, revision) = (snapshot.items, snapshot.revision)
            }
        }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(revision))]
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        let rendered = items.map { render($0, target) }
        if request.wantsTable {
            return .json(TableRendering(type: target.type, version: target.version, now: store.clock()).table(rendered, listMetadata: .object(metadata)))
        }
        return .json(.object([
            "kind": .string(target.type.listKind), "apiVersion": .string(target.type.apiVersion(for: target.version)),
            "metadata": .object(metadata), "items": .array(rendered),
        ]))
    }
}
