/// The `/openapi/v2` document, for kubectl 1.27 and 1.28: they decide between server-side and
/// client-side validation from OpenAPI v2 only, and download it as protobuf (gnostic's
/// `openapi.v2.Document`; a JSON body makes them fail). Like the v3 documents it carries, for every
/// kind, the PATCH operation with its `x-kubernetes-group-version-kind` and the `fieldValidation`
/// query parameter, which is what their `QueryParamVerifier` looks for; no schemas are published, so
/// patch computation falls back to kubectl's compiled-in scheme as it does for v3.
struct OpenAPIV2Document {
    /// What kubectl sends in `Accept` for this document (the `@` form, which kube-openapi still accepts).
    static let acceptedMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    /// The `Content-Type` of the answer: kube-openapi's current name, since Go's MIME parser (which
    /// client-go runs on every response) rejects the `@` of the old one.
    static let contentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    let registry: ResourceRegistry

    /// The serialized `openapi.v2.Document`.
    func protobuf() -> [UInt8] {
        var paths = ProtobufWriter()
        for type in registry.all {
            for version in type.versions {
                let collection = OpenAPIDocuments.collectionPath(of: type, version: version)
                var item = ProtobufWriter()
                item.message(8, patchOperation(group: type.group, version: version, kind: type.kind))  // PathItem.patch
                var named = ProtobufWriter()
                named.string(1, "\(collection)/{name}")  // NamedPathItem.name
                named.message(2, item)                   // NamedPathItem.value
                paths.message(2, named)                  // Paths.path
            }
        }
        var info = ProtobufWriter()
        info.string(1, "Kubernetes")                 // Info.title
        info.string(2, VersionInfo.gitVersion)       // Info.version
        var document = ProtobufWriter()
        document.string(1, "2.0")                    // Document.swagger
        document.message(2, info)                    // Document.info
        document.message(8, paths)                   // Document.paths
        return document.bytes
    }

    /// `Operation` with the query parameters a PATCH takes and the GVK extension (a YAML map, which
    /// is how the verifier reads it).
    private func patchOperation(group: String, version: String, kind: String) -> ProtobufWriter {
        var operation = ProtobufWriter()
        for name in OpenAPIDocuments.patchParameters {
            var query = ProtobufWriter()
            query.string(2, "query")                 // QueryParameterSubSchema.in
            query.string(4, name)                    // QueryParameterSubSchema.name
            query.string(6, "string")                // QueryParameterSubSchema.type
            var nonBody = ProtobufWriter()
            nonBody.message(3, query)                // NonBodyParameter.query_parameter_sub_schema
            var parameter = ProtobufWriter()
            parameter.message(2, nonBody)            // Parameter.non_body_parameter
            var item = ProtobufWriter()
            item.message(1, parameter)               // ParametersItem.parameter
            operation.message(8, item)               // Operation.parameters
        }
        var any = ProtobufWriter()
        any.string(2, "group: \"\(group)\"\nkind: \"\(kind)\"\nversion: \"\(version)\"\n")  // Any.yaml
        var extensionEntry = ProtobufWriter()
        extensionEntry.string(1, "x-kubernetes-group-version-kind")  // NamedAny.name
        extensionEntry.message(2, any)                                 // NamedAny.value
        operation.message(13, extensionEntry)        // Operation.vendor_extension
        return operation
    }
}
