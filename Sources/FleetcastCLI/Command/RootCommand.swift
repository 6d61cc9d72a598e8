import ArgumentParser
import Foundation

extension AsyncParsableCommand {
    /// Runs the command line, mapping argument-parser's usage-error exit code (64) to 2, the code every
    /// Fleetcast command documents for usage errors, and ends the process (`ProcessExit`, which says why
    /// not through `exit`). Both executables' `main` call it.
    public static func runMappingUsageErrors() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // What argument-parser's `exit(withError:)` prints: help and version on stdout, errors on stderr.
            let code = exitCode(for: error), text = fullMessage(for: error)
            if code == .success {
                if !text.isEmpty { print(text) }
            } else if !text.isEmpty {
                FileHandle.standardError.write(Data((text + "\n").utf8))
            }
            ProcessExit.now(code == .validationFailure ? ExitStatus.usageOrIO : code.rawValue)
        }
        ProcessExit.now(ExitStatus.success)
    }
}
