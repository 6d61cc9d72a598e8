import Foundation
import Synchronization

/// The real operator binary (`fleetcast operator`, the `fleetcast` executable installed beside
/// `fleetcast-dev`) as a child process against
/// the demo cluster, its output in a log file. Stopped with SIGTERM as a Deployment would stop it,
/// SIGKILL if it has not exited within a grace period. `@unchecked Sendable`: after launch only the
/// immutable pid is read from `process` (kept to own the child); the exit status is behind a mutex.
final class DemoOperatorProcess: @unchecked Sendable {
    private let process = Process()
    private let exited: Task<Int32, Never>
    private let running: RunningFlag
    let logFile: String
    let processIdentifier: Int32

    init(kubeconfig: String, syncPeriod: TimeInterval, logFile: String) throws {
        let executable = Self.operatorExecutable()
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw DemoSetupError("cannot find the operator binary \(executable.path) (build it with `swift build --product fleetcast`, or run `make demo`)")
        }
        guard FileManager.default.createFile(atPath: logFile, contents: nil), let log = FileHandle(forWritingAtPath: logFile) else {
            throw DemoSetupError("cannot create the operator log \(logFile)")
        }
        self.logFile = logFile
        process.executableURL = executable
        process.arguments = [
            "operator", "--kubeconfig", kubeconfig, "--metrics-bind-address", "0", "--health-probe-bind-address", "0",
            "--sync-period-seconds", String(syncPeriod), "--log-format", "text",
        ]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let (statuses, continuation) = AsyncStream.makeStream(of: Int32.self)
        let running = RunningFlag()
        self.running = running
        process.terminationHandler = { finished in
            running.state.withLock { $0 = finished.terminationStatus }
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        exited = Task {
            for await status in statuses { return status }
            return -1
        }
        do {
            try process.run()
        } catch {
            exited.cancel()
            throw DemoSetupError("cannot start \(executable.path) operator: \(error)")
        }
        processIdentifier = process.processIdentifier
    }

    /// `fleetcast` in the directory of this executable, where `swift build` and `make` put both.
    static func operatorExecutable() -> URL {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("fleetcast")
    }

    /// Whether the operator is still running.
    var isRunning: Bool { exitStatus == nil }

    /// The operator's exit status once it has exited: 0 after a signal (a Ctrl-C reaches the whole
    /// process group), 1 or 2 when it failed.
    var exitStatus: Int32? { running.state.withLock { $0 } }

    /// SIGTERM, then SIGKILL after `grace`; returns the exit status.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Int32 {
        let pid = processIdentifier
        if isRunning { kill(pid, SIGTERM) }
        let killer = Task {
            try await Task.sleep(for: grace)
            kill(pid, SIGKILL)
        }
        let status = await exited.value
        killer.cancel()
        return status
    }

    /// The last `count` lines of the operator's log (to show why it stopped).
    func logTail(_ count: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }
}

/// The exit status, set by the termination handler and read by the observer loop.
private final class RunningFlag: Sendable {
    let state = Mutex<Int32?>(nil)
}
