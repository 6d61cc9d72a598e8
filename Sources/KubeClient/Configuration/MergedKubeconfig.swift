import Foundation

/// Several kubeconfig files merged by kubectl's first-wins rule. Each entry remembers the file it came
/// from so relative paths resolve against it and errors can name it.
public struct MergedKubeconfig: Sendable {
    public struct Sourced<Value: Sendable>: Sendable {
        public var value: Value
        public var file: String
    }

    public var files: [String]
    public private(set) var clusters: [String: Sourced<KubeconfigCluster>] = [:]
    public private(set) var users: [String: Sourced<KubeconfigUser>] = [:]
    public private(set) var contexts: [String: Sourced<KubeconfigContext>] = [:]
    public private(set) var currentContext: Sourced<String>?

    init(files: [String]) { self.files = files }

    mutating func absorb(_ document: KubeconfigDocument, from file: String) {
        for entry in document.clusters ?? [] where clusters[entry.name] == nil {
            clusters[entry.name] = Sourced(value: entry.cluster, file: file)
        }
        for entry in document.users ?? [] where users[entry.name] == nil {
            users[entry.name] = Sourced(value: entry.user, file: file)
        }
        for entry in document.contexts ?? [] where contexts[entry.name] == nil {
            contexts[entry.name] = Sourced(value: entry.context, file: file)
        }
        if currentContext == nil, let name = document.currentContext, !name.isEmpty {
            currentContext = Sourced(value: name, file: file)
        }
    }

    private var fileList: String { files.joined(separator: ":") }

    /// Resolves a context into a configuration, reading referenced certificate files now so that a
    /// missing or unreadable file is reported at start-up with the field that named it.
    /// - Parameter contextFlag: the flag that gave `override`, for error messages.
    public func configuration(context override: String? = nil, contextFlag: String = "--context") throws(ConfigurationError) -> ClientConfiguration {
        let contextName: String
        if let override, !override.isEmpty {
            contextName = override
        } else if let current = currentContext {
            contextName = current.value
        } else {
            throw ConfigurationError("no context selected: current-context is not set in \(fileList) and no \(contextFlag) was given")
        }
        guard let context = contexts[contextName] else {
            let origin = override == nil ? " (current-context in \(currentContext?.file ?? fileList))" : " (from \(contextFlag))"
            throw ConfigurationError("context \"\(contextName)\"\(origin) not found in \(fileList)")
        }
        guard let clusterName = context.value.cluster, !clusterName.isEmpty else {
            throw ConfigurationError("context \"\(contextName)\" in \(context.file): field cluster is empty")
        }
        guard let cluster = clusters[clusterName] else {
            throw ConfigurationError("context \"\(contextName)\" in \(context.file): cluster \"\(clusterName)\" not found in \(fileList)")
        }
        var user: Sourced<KubeconfigUser>?
        if let userName = context.value.user, !userName.isEmpty {
            guard let found = users[userName] else {
                throw ConfigurationError("context \"\(contextName)\" in \(context.file): user \"\(userName)\" not found in \(fileList)")
            }
            user = found
        }
        let namespace = context.value.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return try Self.resolve(cluster: cluster, named: clusterName, user: user, named: context.value.user ?? "", namespace: namespace)
    }

    static func resolve(cluster: Sourced<KubeconfigCluster>, named clusterName: String, user: Sourced<KubeconfigUser>?, named userName: String, namespace: String) throws(ConfigurationError) -> ClientConfiguration {
        let c = cluster.value
        let clusterField = { (field: String) in "clusters[\"\(clusterName)\"].cluster.\(field) in \(cluster.file)" }
        guard let server = c.server, !server.isEmpty else {
            throw ConfigurationError("\(clusterField("server")): required")
        }
        guard server.hasPrefix("https://") || server.hasPrefix("http://") else {
            throw ConfigurationError("\(clusterField("server")): \"\(server)\" is not an http:// or https:// URL")
        }
        var tls = TLSSettings(insecureSkipVerify: c.insecureSkipTLSVerify ?? false, serverName: c.tlsServerName)
        let source = PEMSource(file: cluster.file)
        tls.certificateAuthorityPEM = try source.pem(path: c.certificateAuthority, data: c.certificateAuthorityData, field: clusterField, names: ("certificate-authority", "certificate-authority-data"))
        if tls.insecureSkipVerify, tls.certificateAuthorityPEM != nil {
            throw ConfigurationError("\(clusterField("insecure-skip-tls-verify")): cannot be combined with a certificate authority (specifying a root certificates file with the insecure flag is not allowed)")
        }
        var authentication = Authentication.none
        if let user {
            let u = user.value
            let userField = { (field: String) in "users[\"\(userName)\"].user.\(field) in \(user.file)" }
            let userSource = PEMSource(file: user.file)
            tls.clientCertificatePEM = try userSource.pem(path: u.clientCertificate, data: u.clientCertificateData, field: userField, names: ("client-certificate", "client-certificate-data"))
            tls.clientKeyPEM = try userSource.pem(path: u.clientKey, data: u.clientKeyData, field: userField, names: ("client-key", "client-key-data"))
            if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
                let missing = tls.clientKeyPEM == nil ? "client-key" : "client-certificate"
                throw ConfigurationError("\(userField(missing)): required when the other half of the client certificate pair is set")
            }
            authentication = try resolveAuthentication(u, userField: userField, file: user.file, cluster: c, server: server)
        }
        var configuration = ClientConfiguration(server: server, tls: tls, authentication: authentication, namespace: namespace)
        configuration.compression = !(c.disableCompression ?? false)
        return configuration
    }

    static func resolveAuthentication(_ u: KubeconfigUser, userField: (String) -> String, file: String, cluster: KubeconfigCluster, server: String) throws(ConfigurationError) -> Authentication {
        let methods = [u.token != nil || u.tokenFile != nil, u.username != nil, u.exec != nil].filter { $0 }.count
        if methods > 1 {
            throw ConfigurationError("\(userField("token")): token/tokenFile, username/password and exec are mutually exclusive")
        }
        if let token = u.token, !token.isEmpty { return .bearerToken(token) }
        if let tokenFile = u.tokenFile, !tokenFile.isEmpty {
            let path = PEMSource(file: file).absolute(tokenFile)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ConfigurationError("\(userField("tokenFile")): cannot read \(path)")
            }
            return .tokenFile(path: path)
        }
        if let username = u.username {
            return .basic(username: username, password: u.password ?? "")
        }
        if let exec = u.exec {
            guard let command = exec.command, !command.isEmpty else { throw ConfigurationError("\(userField("exec.command")): required") }
            guard let apiVersion = exec.apiVersion, ExecCredentialPlugin.supportedAPIVersions.contains(apiVersion) else {
                throw ConfigurationError("\(userField("exec.apiVersion")): must be one of \(ExecCredentialPlugin.supportedAPIVersions.sorted().joined(separator: ", ")), got \(exec.apiVersion.map { "\"\($0)\"" } ?? "nothing")")
            }
            if let mode = exec.interactiveMode, !["Never", "IfAvailable", "Always"].contains(mode) {
                throw ConfigurationError("\(userField("exec.interactiveMode")): must be Never, IfAvailable or Always, got \"\(mode)\"")
            }
            var resolved = exec
            // A command with a slash is a path relative to the kubeconfig; a bare name is looked up on PATH.
            if command.contains("/") { resolved.command = PEMSource(file: file).absolute(command) }
            let info = (exec.provideClusterInfo ?? false)
                ? ExecClusterInfo(server: server, tlsServerName: cluster.tlsServerName, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify, certificateAuthorityData: cluster.certificateAuthorityData)
                : nil
            return .exec(resolved, clusterInfo: info)
        }
        return .none
    }
}

/// Reads a PEM value from either a path field (relative to the kubeconfig) or a base64 data field.
struct PEMSource {
    var file: String

    func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : ((directory + "/" + path) as NSString).standardizingPath
    }

    func pem(path: String?, data: String?, field: (String) -> String, names: (path: String, data: String)) throws(ConfigurationError) -> Data? {
        if let data, !data.isEmpty {
            guard let decoded = Data(base64Encoded: data.filter { !$0.isWhitespace }) else {
                throw ConfigurationError("\(field(names.data)): not valid base64")
            }
            return decoded
        }
        guard let path, !path.isEmpty else { return nil }
        let resolved = absolute(path)
        guard let contents = FileManager.default.contents(atPath: resolved) else {
            throw ConfigurationError("\(field(names.path)): cannot read \(resolved)")
        }
        return contents
    }
}
