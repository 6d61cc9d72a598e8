import ArgumentParser
import KubeAPI

/// A duration on the command line: Go syntax as in GPUPool manifests ("90m", "2h30m"), plus whole or
/// fractional days ("7d", "1.5d"), which Go's syntax lacks but backtest spans need.
struct CommandDuration: ExpressibleByArgument, CustomStringConvertible {
    var seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        if argument.hasSuffix("d"), let days = Double(argument.dropLast()), days.isFinite {
            seconds = days * 86_400
            return
        }
        guard let duration = try? KubeDuration(parsing: argument) else { return nil }
        seconds = duration.seconds
    }

    var description: String {
        seconds.truncatingRemainder(dividingBy: 86_400) == 0 && seconds >= 86_400
            ? "\(Int(seconds / 86_400))d" : KubeDuration(seconds: seconds).description
    }

    var defaultValueDescription: String { description }
}
