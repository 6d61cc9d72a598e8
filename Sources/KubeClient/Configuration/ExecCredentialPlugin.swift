import Foundation
import KubeAPI

/// Runs a `user.exec` credential plugin and decodes its `ExecCredential`
/// (`client.authentication.k8s.io/v1` or `v1beta1`). The process runs on its own thread so waiting
/// for it never blocks Swift's cooperative pool.
public struct ExecCredentialPlugin: Sendable {
    public static let supportedAPIVersions: Set<String> = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    public var config: ExecConfig
    public var clusterInfo: ExecClusterInfo?

    public init(config: ExecConfig, clusterInfo: ExecClusterInfo?) {
        self.config = config
        self.clusterInfo = clusterInfo
    }

    /// The credential a plugin returned; `expiration` nil means "valid until a 401".
    public struct Credential: Sendable, Hashable {
        public var token: String?
        public var clientCertificatePEM: Data?
        public var clientKeyPEM: Data?
        public var expiration: Date?
    }

    struct ExecCredential: Codable {
        struct Spec: Codable {
            var interactive: Bool
            var cluster: ExecClusterInfo?
        }
        struct Status: Codable {
            var token: String?
            var expirationTimestamp: String?
            var clientCertificateData: String?
            var clientKeyData: String?
        }
        var apiVersion: String
        var kind: String
        var spec: Spec?
        var status: Status?
    }

    /// The `KUBERNETES_EXEC_INFO` value handed to the plugin.
    func execInfo() -> String {
        let info = ExecCredential(apiVersion: config.apiVersion ?? "client.authentication.k8s.io/v1", kind: "ExecCredential", spec: .init(interactive: false, cluster: clusterInfo), status: nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = (try? encoder.encode(info)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs the plugin once.
    public func run() async throws(ConfigurationError) -> Credential {
        let command = config.command ?? ""
        let arguments = config.args ?? []
        var environment = ProcessInfo.processInfo.environment
        for variable in config.env ?? [] { environment[variable.name] = variable.value }
        environment["KUBERNETES_EXEC_INFO"] = execInfo()
        let finalEnvironment = environment
        let hint = config.installHint.map { " (\($0))" } ?? ""
        let result: Result<(Int32, Data, Data), ConfigurationError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Self.runBlocking(command: command, arguments: arguments, environment: finalEnvironment, hint: hint))
            }
            thread.start()
        }
        let (status, stdout, stderr) = try result.get()
        guard status == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ConfigurationError("exec plugin \(command) exited with status \(status)\(message.isEmpty ? "" : ": \(message)")")
        }
        return try decode(stdout)
    }

    func decode(_ stdout: Data) throws(ConfigurationError) -> Credential {
        let command = config.command ?? ""
        let credential: ExecCredential
        do {
            credential = try JSONDecoder().decode(ExecCredential.self, from: stdout)
        } catch {
            throw ConfigurationError("exec plugin \(command): output is not an ExecCredential: \(error)")
        }
        guard credential.kind == "ExecCredential" else {
            throw ConfigurationError("exec plugin \(command): output kind is \"\(credential.kind)\", want ExecCredential")
        }
        guard credential.apiVersion == config.apiVersion else {
            throw ConfigurationError("exec plugin \(command): output apiVersion \"\(credential.apiVersion)\" does not match the configured \"\(config.apiVersion ?? "")\"")
        }
        guard let status = credential.status else {
            throw ConfigurationError("exec plugin \(command): output has no status")
        }
        var expiration: Date?
        if let stamp = status.expirationTimestamp {
            guard let date = KubeTime.parse(stamp) else {
                throw ConfigurationError("exec plugin \(command): status.expirationTimestamp \"\(stamp)\" is not RFC 3339")
            }
            expiration = date
        }
        let hasCertificate = status.clientCertificateData != nil || status.clientKeyData != nil
        if hasCertificate, status.clientCertificateData == nil || status.clientKeyData == nil {
            throw ConfigurationError("exec plugin \(command): status.clientCertificateData and status.clientKeyData must be set together")
        }
        if status.token == nil, !hasCertificate {
            throw ConfigurationError("exec plugin \(command): status has neither token nor client certificate")
        }
        return Credential(
            token: status.token,
            clientCertificatePEM: status.clientCertificateData.map { Data($0.utf8) },
            clientKeyPEM: status.clientKeyData.map { Data($0.utf8) },
            expiration: expiration
        )
    }

    private static func runBlocking(command: String, arguments: [String], environment: [String: String], hint: String) -> Result<(Int32, Data, Data), ConfigurationError> {
        let process = Process()
        if command.contains("/") {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [command] + arguments
        }
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(ConfigurationError("exec plugin \(command): cannot start: \(error.localizedDescription)\(hint)"))
        }
        // Drain stderr concurrently so a chatty plugin cannot fill the pipe and deadlock.
        let errorBox = DataBox()
        let drain = Thread { errorBox.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        drain.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorOutput = errorBox.waitForValue()
        return .success((process.terminationStatus, output, errorOutput))
    }
}

/// A one-shot hand-over of `Data` between two threads.
private final class DataBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Data?

    func set(_ data: Data) {
        condition.lock()
        value = data
        condition.signal()
        condition.unlock()
    }

    func waitForValue() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value ?? Data()
    }
}
