import KubeAPI

/// Turns a stored `CustomResourceDefinition` into the `ResourceType` it serves, and checks the
/// parts of a CRD the server needs to be well-formed before accepting it.
enum CustomResourceDefinitions {
    static func validate(_ crd: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let spec = crd["spec"] ?? .object([:])
        let group = spec["group"]?.stringValue ?? ""
        let plural = spec.value(at: ["names", "plural"])?.stringValue ?? ""
        if group.isEmpty { errors.append(.required("spec.group")) }
        if plural.isEmpty { errors.append(.required("spec.names.plural")) }
        if (spec.value(at: ["names", "kind"])?.stringValue ?? "").isEmpty { errors.append(.required("spec.names.kind")) }
        if let name = crd.name, !group.isEmpty, !plural.isEmpty, name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(name), "must be spec.names.plural+\".\"+spec.group"))
        }
        let scope = spec["scope"]?.stringValue ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            errors.append(.notSupported("spec.scope", .string(scope), supported: ["Cluster", "Namespaced"]))
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty { errors.append(.required("spec.versions", "must have exactly one version marked as storage version")) }
        let storageCount = versions.filter { $0["storage"]?.boolValue == true }.count
        if !versions.isEmpty && storageCount != 1 {
            errors.append(.invalid("spec.versions", .int(Int64(storageCount)), "must have exactly one version marked as storage version"))
        }
        for (index, version) in versions.enumerated() where (version["name"]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.versions[\(index)].name"))
        }
        return errors
    }

    /// The resource type a CRD serves, or `nil` when it serves no version.
    static func resourceType(from crd: JSONValue) -> ResourceType? {
        guard let spec = crd["spec"], let group = spec["group"]?.stringValue,
              let names = spec["names"], let plural = names["plural"]?.stringValue,
              let kind = names["kind"]?.stringValue else { return nil }
        let versions = (spec["versions"]?.arrayValue ?? []).filter { $0["served"]?.boolValue ?? false }
        guard !versions.isEmpty else { return nil }
        let ordered = versions.compactMap { $0["name"]?.stringValue }.sorted(by: KubeVersionOrder.isMorePreferred)
        var type = ResourceType(group: group, versions: ordered, plural: plural,
                                singular: names["singular"]?.stringValue ?? kind.lowercased(), kind: kind,
                                listKind: names["listKind"]?.stringValue ?? "\(kind)List",
                                namespaced: spec["scope"]?.stringValue == "Namespaced",
                                shortNames: (names["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue),
                                categories: (names["categories"]?.arrayValue ?? []).compactMap(\.stringValue),
                                generation: .nonMetadataChanges, isCustom: true)
        for version in versions {
            guard let name = version["name"]?.stringValue else { continue }
            if version["deprecated"]?.boolValue == true { type.deprecatedVersions.insert(name) }
            if let schema = version.value(at: ["schema", "openAPIV3Schema"]) {
                type.schemas[name] = StructuralSchema(schema)
            }
            type.printerColumns[name] = printerColumns(version["additionalPrinterColumns"]?.arrayValue ?? [])
            // Subresources are uniform across versions in practice; the first declaring version wins.
            if version.value(at: ["subresources", "status"]) != nil { type.hasStatusSubresource = true }
            if type.scale == nil, let scale = version.value(at: ["subresources", "scale"]),
               let specPath = scale["specReplicasPath"]?.stringValue.flatMap(JSONValue.keyPath(fromDotted:)),
               let statusPath = scale["statusReplicasPath"]?.stringValue.flatMap(JSONValue.keyPath(fromDotted:)) {
                type.scale = ScaleSubresource(specReplicasPath: specPath, statusReplicasPath: statusPath,
                                              labelSelectorPath: scale["labelSelectorPath"]?.stringValue.flatMap(JSONValue.keyPath(fromDotted:)))
            }
            for field in version["selectableFields"]?.arrayValue ?? [] {
                if let path = field["jsonPath"]?.stringValue, let keys = JSONValue.keyPath(fromDotted: path) {
                    type.selectableFields[keys.joined(separator: ".")] = keys
                }
            }
        }
        return type
    }

    private static func printerColumns(_ columns: [JSONValue]) -> [PrinterColumn] {
        columns.compactMap { column in
            guard let name = column["name"]?.stringValue, let path = column["jsonPath"]?.stringValue else { return nil }
            return PrinterColumn(name: name, type: column["type"]?.stringValue ?? "string", format: column["format"]?.stringValue,
                                 description: column["description"]?.stringValue ?? "", priority: Int(column["priority"]?.intValue ?? 0),
                                 jsonPath: path)
        }
    }

    /// The status a real server reports once a CRD's names are accepted and it is served.
    static func establishedStatus(for crd: JSONValue, at timestamp: String) -> JSONValue {
        let names = crd.value(at: ["spec", "names"]) ?? .object([:])
        let storedVersions = (crd.value(at: ["spec", "versions"])?.arrayValue ?? [])
            .filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        let conditions: [JSONValue] = ["NamesAccepted", "Established"].map { type in
            .object(["type": .string(type), "status": .string("True"), "lastTransitionTime": .string(timestamp),
                     "reason": .string(type == "Established" ? "InitialNamesAccepted" : "NoConflicts"),
                     "message": .string(type == "Established" ? "the initial names have been accepted" : "no conflicts found")])
        }
        return .object(["acceptedNames": names, "storedVersions": .array(storedVersions), "conditions": .array(conditions)])
    }
}

/// Kubernetes version priority (v1 > v1beta2 > v1beta1 > v1alpha1 > other), as discovery sorts.
enum KubeVersionOrder {
    static func isMorePreferred(_ lhs: String, _ rhs: String) -> Bool {
        rank(lhs) < rank(rhs)
    }

    private static func rank(_ version: String) -> (Int, Int, Int, String) {
        guard version.hasPrefix("v"), let major = Int(version.dropFirst().prefix { $0.isNumber }) else {
            return (3, 0, 0, version)
        }
        let rest = version.dropFirst(1 + String(major).count)
        if rest.isEmpty { return (0, -major, 0, version) }
        for (stage, label) in [(1, "beta"), (2, "alpha")] where rest.hasPrefix(label) {
            let minor = Int(rest.dropFirst(label.count)) ?? 0
            return (stage, -major, -minor, version)
        }
        return (3, 0, 0, version)
    }
}
