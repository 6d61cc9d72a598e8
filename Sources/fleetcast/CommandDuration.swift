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
        if argument.hasSuffix("d"), let days = Double(argument.dropLast()), (days * 86_400).isFinite {
            seconds = days * 86_400
            return
        }
        guard let duration = try? KubeDuration(parsing: argument) else { return nil }
        seconds = duration.seconds
    }

    var description: String {
        guard seconds.isFinite, abs(seconds) < 9e9 else { return "\(seconds)s" }
        return seconds.truncatingRemainder(dividingBy: 86_400) == 0 && seconds >= 86_400
            ? "\(Int(seconds / 86_400))d" : KubeDuration(seconds: seconds).description
    }

    /// Refuses a duration outside `range` (in seconds), naming the option and the bounds.
    static func check(_ duration: CommandDuration, _ option: String, within range: ClosedRange<Double>) throws(ValidationError) {
        guard !range.contains(duration.seconds) else { return }
        let bounds = "between \(CommandDuration(seconds: range.lowerBound)) and \(CommandDuration(seconds: range.upperBound))"
        throw ValidationError("\(option) must be \(bounds), got \(duration)")
    }

    var defaultValueDescription: String { description }
}
