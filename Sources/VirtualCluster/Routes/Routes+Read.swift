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
        let items: [StoredObject]
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
        if request.wantsTable {
            let rendered = items.map { render($0.value, target) }
            return .json(TableRendering(type: target.type, version: target.version, now: store.clock()).table(rendered, listMetadata: .object(metadata)))
        }
        return APIResponse(code: 200, body: .text(listText(items, target, metadata: .object(metadata))))
    }

    /// The list body joined from each item's cached text (kube-apiserver serves a LIST from its watch
    /// cache's pre-encoded objects the same way). Members come in sorted order, as `jsonText` writes
    /// them, so the bytes equal those of encoding the whole list as one value.
    func listText(_ items: [StoredObject], _ target: ResourceTarget, metadata: JSONValue) -> String {
        let apiVersion = target.type.apiVersion(for: target.version)
        let texts = items.map { $0.renderedText(apiVersion: apiVersion, kind: target.type.kind) }
        var output = ""
        output.reserveCapacity(texts.reduce(256) { $0 + $1.utf8.count + 1 })
        output += "{\"apiVersion\":"
        JSONValue.string(apiVersion).write(into: &output)
        output += ",\"items\":["
        for (index, text) in texts.enumerated() {
            if index > 0 { output += "," }
            output += text
        }
        output += "],\"kind\":"
        JSONValue.string(target.type.listKind).write(into: &output)
        output += ",\"metadata\":"
        metadata.write(into: &output)
        output += "}"
        return output
    }
}
