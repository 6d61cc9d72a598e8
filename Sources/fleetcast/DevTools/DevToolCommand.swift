import ArgumentParser
import FleetcastCLI
import Foundation

/// `fleetcast dev-cluster` and `fleetcast demo`, the commands of earlier versions: the developer tools now
/// live in `fleetcast-dev`, so this binary carries no virtual cluster. These hidden commands replace the
/// process with `fleetcast-dev` from the same directory (same arguments, same exit status), saying so on
/// standard error; without it they exit 2 and say where the commands went.
enum DevToolCommand {
    struct DevCluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dev-cluster", abstract: "Moved to fleetcast-dev dev-cluster.", shouldDisplay: false)

        @Argument(parsing: .captureForPassthrough)
        var arguments: [String] = []

        func run() throws {
            throw DevToolCommand.forward("dev-cluster", arguments)
        }
    }

    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo", abstract: "Moved to fleetcast-dev demo.", shouldDisplay: false)

        @Argument(parsing: .captureForPassthrough)
        var arguments: [String] = []

        func run() throws {
            throw DevToolCommand.forward("demo", arguments)
        }
    }

    /// The developer tools' executable name, installed beside `fleetcast` by `swift build`.
    static let executableName = "fleetcast-dev"

    /// Executes `fleetcast-dev COMMAND ARGUMENTS…` in place of this process; returns only on failure.
    static func forward(_ command: String, _ arguments: [String]) -> ExitCode {
        let directory = URL(fileURLWithPath: ownExecutable()).deletingLastPathComponent()
        let tool = directory.appendingPathComponent(executableName).path
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            say("fleetcast \(command): moved to `\(executableName) \(command)` (the developer tools are a separate executable "
                + "so the operator binary carries no virtual cluster); \(tool) is not there: build it with "
                + "`swift build --product \(executableName)`, or run `make demo`")
            return ExitCode(ExitStatus.usageOrIO)
        }
        say("fleetcast \(command): moved to `\(executableName) \(command)`; running \(tool)")
        let argv = ([tool, command] + arguments).map { strdup($0) } + [nil]
        execv(tool, argv)
        say("fleetcast \(command): cannot run \(tool): \(String(cString: strerror(errno)))")
        return ExitCode(ExitStatus.usageOrIO)
    }

    private static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    private static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
