/// `autoscaling/v1 Scale`, the body of every `/scale` subresource. The server omits `spec.replicas`
/// when it is 0, so decoding defaults it to 0 and encoding always writes it (a missing value in a
/// PUT would mean "unset", not zero).
public struct Scale: Codable, Sendable, Hashable {
    public var apiVersion: String? = "autoscaling/v1"
    public var kind: String? = "Scale"
    public var metadata: ObjectMeta
    public var spec: ScaleSpec
    public var status: ScaleStatus?

    public init(metadata: ObjectMeta, spec: ScaleSpec, status: ScaleStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

public struct ScaleSpec: Codable, Sendable, Hashable {
    public var replicas: Int32

    public init(replicas: Int32) { self.replicas = replicas }

    private enum CodingKeys: String, CodingKey { case replicas }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        replicas = try container.decodeIfPresent(Int32.self, forKey: .replicas) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(replicas, forKey: .replicas)
    }
}

public struct ScaleStatus: Codable, Sendable, Hashable {
    public var replicas: Int32
    /// The label selector in string form (`k=v,k2 in (a,b)`), empty when the target has none.
    public var selector: String?

    public init(replicas: Int32, selector: String? = nil) {
        self.replicas = replicas
        self.selector = selector
    }

    private enum CodingKeys: String, CodingKey { case replicas, selector }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        replicas = try container.decodeIfPresent(Int32.self, forKey: .replicas) ?? 0
        selector = try container.decodeIfPresent(String.self, forKey: .selector)
    }
}
