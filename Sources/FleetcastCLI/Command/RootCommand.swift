import ArgumentParser
import Foundation

extension AsyncParsableCommand {
    /// Runs the command line, mapping argument-parser's usage-error exit code (64) to 2, the code every
    /// Fleetcast command documents for usage errors. Both executables' `main` call it.
    public static func runMappingUsageErrors() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usageOrIO)
            }
            exit(withError: error)
        }
    }
}
