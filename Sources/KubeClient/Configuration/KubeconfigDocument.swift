/// The on-disk shape of a kubeconfig file (`clientcmd/api/v1`), field names exactly as kubectl
/// writes them. Only decoding happens here; merging and resolution live in `KubeconfigLoader`.
public struct KubeconfigDocument: Codable, Sendable, Hashable {
    public var clusters: [NamedCluster]?
    public var users: [NamedUser]?
    public var contexts: [NamedContext]?
    public var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }

    public init(clusters: [NamedCluster]? = nil, users: [NamedUser]? = nil, contexts: [NamedContext]? = nil, currentContext: String? = nil) {
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
        self.currentContext = currentContext
    }
}

public struct NamedCluster: Codable, Sendable, Hashable {
    public var name: String
    public var cluster: KubeconfigCluster
}

public struct KubeconfigCluster: Codable, Sendable, Hashable {
    public var server: String?
    public var certificateAuthority: String?
    public var certificateAuthorityData: String?
    public var insecureSkipTLSVerify: Bool?
    public var tlsServerName: String?
    public var disableCompression: Bool?

    enum CodingKeys: String, CodingKey {
        case server
        case certificateAuthority = "certificate-authority"
        case certificateAuthorityData = "certificate-authority-data"
        case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        case tlsServerName = "tls-server-name"
        case disableCompression = "disable-compression"
    }
}

public struct NamedUser: Codable, Sendable, Hashable {
    public var name: String
    public var user: KubeconfigUser
}

public struct KubeconfigUser: Codable, Sendable, Hashable {
    public var clientCertificate: String?
    public var clientCertificateData: String?
    public var clientKey: String?
    public var clientKeyData: String?
    public var token: String?
    public var tokenFile: String?
    public var username: String?
    public var password: String?
    public var exec: ExecConfig?

    enum CodingKeys: String, CodingKey {
        case clientCertificate = "client-certificate"
        case clientCertificateData = "client-certificate-data"
        case clientKey = "client-key"
        case clientKeyData = "client-key-data"
        case token, tokenFile, username, password, exec
    }
}

/// `user.exec`: an external command that prints an ExecCredential.
public struct ExecConfig: Codable, Sendable, Hashable {
    public var apiVersion: String?
    public var command: String?
    public var args: [String]?
    public var env: [ExecEnvVar]?
    public var installHint: String?
    public var provideClusterInfo: Bool?
    public var interactiveMode: String?

    public init(apiVersion: String?, command: String?, args: [String]? = nil, env: [ExecEnvVar]? = nil, installHint: String? = nil, provideClusterInfo: Bool? = nil, interactiveMode: String? = nil) {
        self.apiVersion = apiVersion
        self.command = command
        self.args = args
        self.env = env
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
    }
}

public struct ExecEnvVar: Codable, Sendable, Hashable {
    public var name: String
    public var value: String
}

public struct NamedContext: Codable, Sendable, Hashable {
    public var name: String
    public var context: KubeconfigContext
}

public struct KubeconfigContext: Codable, Sendable, Hashable {
    public var cluster: String?
    public var user: String?
    public var namespace: String?
}
