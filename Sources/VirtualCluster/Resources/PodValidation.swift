import KubeAPI

/// The pod rules Fleetcast depends on (kube-api-semantics.md §11): extended resources such as
/// `nvidia.com/gpu` must be whole numbers, set as limits, and requests must equal limits.
enum PodValidation {
    static func validate(_ pod: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let containers = pod.value(at: ["spec", "containers"])?.arrayValue ?? []
        if containers.isEmpty {
            errors.append(.required("spec.containers"))
        }
        for (index, container) in containers.enumerated() {
            let path = "spec.containers[\(index)]"
            if (container["name"]?.stringValue ?? "").isEmpty { errors.append(.required("\(path).name")) }
            let limits = container.value(at: ["resources", "limits"])?.objectValue ?? [:]
            let requests = container.value(at: ["resources", "requests"])?.objectValue ?? [:]
            for (resource, request) in requests.sorted(by: { $0.key < $1.key }) where isExtended(resource) {
                let requestPath = "\(path).resources.requests[\(resource)]"
                guard let limit = limits[resource] else {
                    errors.append(.forbidden(requestPath, "Limit must be set for non overcommitable resources"))
                    continue
                }
                if quantityText(request) != quantityText(limit) {
                    errors.append(.invalid(requestPath, .string(quantityText(request)), "must be equal to \(resource) limit of \(quantityText(limit))"))
                }
            }
            for (resource, limit) in limits.sorted(by: { $0.key < $1.key }) where isExtended(resource) {
                if Int64(quantityText(limit)) == nil {
                    errors.append(.invalid("\(path).resources.limits[\(resource)]", .string(quantityText(limit)), "must be an integer"))
                }
            }
        }
        return errors
    }

    /// Extended resources: any name with a domain that is not `kubernetes.io`-owned.
    static func isExtended(_ resource: String) -> Bool {
        guard let slash = resource.firstIndex(of: "/") else { return false }
        let domain = resource[..<slash]
        return !(domain == "kubernetes.io" || domain.hasSuffix(".kubernetes.io") || domain.hasPrefix("requests."))
    }

    static func quantityText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        default: return value.jsonText
        }
    }

    /// A pod whose extended-resource requests are missing gets them defaulted to the limits.
    static func defaultRequests(_ pod: JSONValue) -> JSONValue {
        guard var containers = pod.value(at: ["spec", "containers"])?.arrayValue else { return pod }
        for index in containers.indices {
            let limits = containers[index].value(at: ["resources", "limits"])?.objectValue ?? [:]
            for (resource, limit) in limits where isExtended(resource)
                && containers[index].value(at: ["resources", "requests", resource]) == nil {
                containers[index].setValue(limit, at: ["resources", "requests", resource])
            }
        }
        var copy = pod
        copy.setValue(.array(containers), at: ["spec", "containers"])
        return copy
    }
}
