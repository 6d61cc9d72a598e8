import Foundation

/// `fleetcast dev-cluster` (the built binary) on a free loopback port with a manifest applied by the
/// real kubectl: what the operator process tests run against.
enum DevClusterWithPool {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The running cluster, its kubeconfig, and the kubectl flags that reach it.
    static func start(_ manifest: String) async throws -> (DevClusterCommandTests.Started, kubeconfig: String, kubectl: [String]) {
        let cluster = try DevClusterCommandTests.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig"])
        try await cluster.waitForFirstLine()
        let kubeconfig = cluster.directory.appendingPathComponent("kubeconfig").path
        let file = cluster.directory.appendingPathComponent("pool.yaml")
        try manifest.write(to: file, atomically: true, encoding: .utf8)
        let kubectl = ["--kubeconfig", kubeconfig, "--cache-dir", cluster.directory.appendingPathComponent("cache").path]
        let (applied, output) = try await DevClusterCommandTests.kubectl(kubectl + ["apply", "-f", file.path])
        guard applied == 0 else {
            cluster.process.terminate()
            throw Failure(description: "kubectl apply: \(output)")
        }
        return (cluster, kubeconfig, kubectl)
    }
}
