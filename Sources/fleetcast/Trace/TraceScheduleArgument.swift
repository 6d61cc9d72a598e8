import Cron
import Foundation
import KubeAPI
import Traces

/// One `--schedule "CRON,DURATION,GPUS"` value, e.g. `"0 2 * * *,3h,32"`: a window opened at every fire
/// time of CRON, DURATION long (Go syntax), adding GPUS of demand.
///
/// The value is split at its last two commas, so the cron part may itself hold lists (`0 2,14 * * *`).
struct TraceScheduleArgument {
    var cron: CronExpression
    var duration: KubeDuration
    var gpus: Double

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing text: String) throws(Problem) {
        func problem(_ message: String) -> Problem {
            Problem(description: "--schedule \"\(text)\": \(message)")
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count >= 3 else {
            throw problem("expected CRON,DURATION,GPUS, for example \"0 2 * * *,3h,32\"")
        }
        let gpusText = parts[parts.count - 1].trimmingCharacters(in: .whitespaces)
        let durationText = parts[parts.count - 2].trimmingCharacters(in: .whitespaces)
        let cronText = parts.dropLast(2).joined(separator: ",")
        do {
            cron = try CronExpression(parsing: cronText)
        } catch {
            throw problem("cron: \(error.message)")
        }
        do {
            duration = try KubeDuration(parsing: durationText)
        } catch {
            throw problem("duration: \(error.message)")
        }
        guard duration.nanoseconds > 0 else { throw problem("duration: must be greater than zero") }
        guard let gpus = Double(gpusText), gpus.isFinite, gpus > 0 else {
            throw problem("GPUs: \"\(gpusText)\" is not a positive number")
        }
        self.gpus = gpus
    }

    func schedule(in timeZone: TimeZone) -> TraceSchedule {
        TraceSchedule(window: RecurringWindow(expression: cron, timeZone: timeZone, duration: duration.seconds),
                      gpus: gpus)
    }
}
