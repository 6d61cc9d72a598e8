import Foundation

/// Builds a configuration from the pod environment, as client-go's `InClusterConfig`: the server from
/// `KUBERNETES_SERVICE_HOST`/`PORT`, the CA and the (rotating) token from the service-account mount,
/// the namespace from `POD_NAMESPACE`, the mounted namespace file, or `default`.
public struct InClusterConfiguration: Sendable {
    public static let defaultMountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public var environment: [String: String]
    public var mountDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, mountDirectory: String = InClusterConfiguration.defaultMountDirectory) {
        self.environment = environment
        self.mountDirectory = mountDirectory
    }

    /// Whether the process looks like it runs in a pod (both service variables set).
    public var isAvailable: Bool {
        !(environment["KUBERNETES_SERVICE_HOST"] ?? "").isEmpty && !(environment["KUBERNETES_SERVICE_PORT"] ?? "").isEmpty
    }

    public func configuration() throws(ConfigurationError) -> ClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw ConfigurationError("in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT; not running in a pod?")
        }
        guard let portNumber = Int(port), (1...65535).contains(portNumber) else {
            throw ConfigurationError("KUBERNETES_SERVICE_PORT: \"\(port)\" is not a port number")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let tokenPath = mountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw ConfigurationError("in-cluster token \(tokenPath): cannot read (is a service account mounted?)")
        }
        let caPath = mountDirectory + "/ca.crt"
        guard let ca = FileManager.default.contents(atPath: caPath) else {
            throw ConfigurationError("in-cluster CA \(caPath): cannot read")
        }
        var namespace = environment["POD_NAMESPACE"] ?? ""
        if namespace.isEmpty, let data = FileManager.default.contents(atPath: mountDirectory + "/namespace") {
            namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ClientConfiguration(
            server: "https://\(hostPart):\(portNumber)",
            tls: TLSSettings(certificateAuthorityPEM: ca),
            authentication: .tokenFile(path: tokenPath),
            namespace: namespace.isEmpty ? "default" : namespace
        )
    }
}

extension ClientConfiguration {
    /// The usual resolution order for a binary: an explicit `--kubeconfig` or `KUBECONFIG` first, then
    /// in-cluster when running in a pod, then `~/.kube/config`.
    public static func load(kubeconfig: String? = nil, context: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> ClientConfiguration {
        let loader = KubeconfigLoader(explicitPath: kubeconfig, environment: environment)
        let inCluster = InClusterConfiguration(environment: environment)
        if kubeconfig == nil, (environment["KUBECONFIG"] ?? "").isEmpty, inCluster.isAvailable {
            return try inCluster.configuration()
        }
        return try loader.configuration(context: context)
    }
}
