import FleetcastTesting
import Foundation
import Testing

/// `fleetcast dev-cluster` as a user runs it: banner, kubeconfig, kubectl against it, clean exit on a
/// signal. Output goes to files and exit is awaited through a continuation, so no thread blocks.
@Suite("fleetcast dev-cluster")
struct DevClusterCommandTests {
    struct Started {
        let process: Process
        let directory: URL
        let exited: Task<Int32, Never>
        var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("out"), encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("err"), encoding: .utf8)) ?? "" }

        /// The exit status, or nil when none arrived within `limit`: the process is then killed, so a
        /// hang fails the test with the process' state and output instead of stalling the whole run.
        /// The bound is generous; nothing here measures how long the command took.
        func exitStatus(within limit: Duration = .seconds(600)) async -> Int32? {
            let result = LockedValue<Int32?>(nil)
            let waiter = Task { result.value = await exited.value }
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline, result.value == nil {
                try? await Task.sleep(for: .milliseconds(50))
            }
            if let status = result.value { return status }
            let state = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? "gone"
            Issue.record("no exit status after \(limit); /proc stat: \(state); stderr: \(stderr)")
            kill(process.processIdentifier, SIGKILL)
            waiter.cancel()
            return nil
        }

        /// Waits until the command has printed its first line (dev-cluster's banner, written once it
        /// serves and its kubeconfig is on disk); throws if it exits first or prints nothing in time.
        func waitForFirstLine() async throws {
            try await waitUntil("the first line of \(process.arguments?.first ?? "the command")", every: .milliseconds(50)) {
                guard process.isRunning || stdout.contains("\n") else { throw Exited(stderr: stderr) }
                return stdout.contains("\n")
            }
        }

        struct Exited: Error, CustomStringConvertible {
            var stderr: String
            var description: String { "the command exited: \(stderr)" }
        }
    }

    static func start(_ arguments: [String]) throws -> Started {
        let directory = try FleetcastBinary.directory(with: ["out": "", "err": ""])
        let process = Process()
        // `dev-cluster` and `demo` are fleetcast-dev's; everything else (the operator) is fleetcast's.
        process.executableURL = try ["dev-cluster", "demo"].contains(arguments.first ?? "")
            ? FleetcastBinary.locateDevTools() : FleetcastBinary.locate()
        process.arguments = arguments.map { $0.replacingOccurrences(of: "$DIR", with: directory.path) }
        process.currentDirectoryURL = FleetcastBinary.repositoryRoot
        process.standardOutput = try FileHandle(forWritingTo: directory.appendingPathComponent("out"))
        process.standardError = try FileHandle(forWritingTo: directory.appendingPathComponent("err"))
        let (statuses, continuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        try process.run()
        let exited = Task { () -> Int32 in
            for await status in statuses { return status }
            return -1
        }
        return Started(process: process, directory: directory, exited: exited)
    }

    static func kubectl(_ arguments: [String]) async throws -> (Int32, String) {
        try await ToolRun.run(try #require(ToolRun.onPath("kubectl"), "kubectl not found on PATH"), arguments)
    }

    @Test("prints one banner line, serves kubectl with the written kubeconfig, exits 0 on SIGTERM")
    func servesAndStops() async throws {
        let started = try Self.start(["dev-cluster", "--listen", "127.0.0.1:0", "--kubeconfig-out", "$DIR/kubeconfig"])
        var ready = false
        for _ in 0..<600 where !ready {
            ready = started.stdout.contains("\n")
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready, "no banner; stderr: \(started.stderr)")
        let banner = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!banner.contains("\n"))
        #expect(banner.contains("https://127.0.0.1:"))
        #expect(banner.contains("KUBECONFIG=\(started.directory.path)/kubeconfig"))
        let kubeconfig = started.directory.appendingPathComponent("kubeconfig").path
        let (status, output) = try await Self.kubectl(["--kubeconfig", kubeconfig, "--cache-dir", started.directory.appendingPathComponent("cache").path,
                                                       "get", "crd", "-o", "name"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("gpupools.fleetcast.dev"))
        #expect(output.contains("machinedeployments.cluster.x-k8s.io"))
        started.process.terminate()
        #expect(await started.exitStatus() == 0, "\(started.stderr)")
    }

    @Test("an address in use is a usage/I/O error (exit 2)")
    func addressInUse() async throws {
        let first = try Self.start(["dev-cluster", "--listen", "127.0.0.1:0", "--crds", "hack/dev/crds"])
        var banner = ""
        for _ in 0..<600 where !banner.contains("\n") {
            banner = first.stdout
            if !banner.contains("\n") { try await Task.sleep(for: .milliseconds(50)) }
        }
        let address = try #require(banner.range(of: "https://127.0.0.1:"), "banner: \(banner)")
        let port = try #require(Int(banner[address.upperBound...].prefix { $0.isNumber }))
        let second = try Self.start(["dev-cluster", "--listen", "127.0.0.1:\(port)"])
        #expect(await second.exitStatus() == 2, "\(second.stderr)")
        first.process.interrupt()
        #expect(await first.exitStatus() == 0)
    }
}
