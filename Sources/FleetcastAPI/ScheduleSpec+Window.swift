import Cron
import Foundation
import KubeAPI

extension ScheduleSpec {
    /// The recurring window this schedule declares, or every problem with its cron expression and
    /// time zone. Validation reports these errors and the conversion to the forecaster's schedules
    /// (`PoolPolicy`) throws them, so the operator and the CLI refuse a schedule for the same reason,
    /// worded the same way. `path` is the schedule's own path (`spec.schedules[0]`).
    public func recurringWindow(at path: FieldPath) throws(SpecErrors) -> RecurringWindow {
        var errors: [FieldError] = []
        var expression: CronExpression?
        if cron.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(.required(path.child("cron")))
        } else {
            do {
                expression = try CronExpression(parsing: cron)
            } catch {
                errors.append(.invalid(path.child("cron"), .string(cron), error.message))
            }
        }
        let zoneName = effectiveTimeZone
        var zone: TimeZone?
        if zoneName.isEmpty {
            errors.append(.required(path.child("timeZone")))
        } else if let found = TimeZone(identifier: zoneName) {
            zone = found
        } else {
            errors.append(.invalid(path.child("timeZone"), .string(zoneName), "unknown IANA time zone"))
        }
        guard let expression, let zone, errors.isEmpty else { throw SpecErrors(errors: errors) }
        return RecurringWindow(expression: expression, timeZone: zone, duration: duration.seconds)
    }
}

/// Field errors thrown together: what `GPUPoolSpec.validate()` would report for the same input.
public struct SpecErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(errors: [FieldError]) {
        self.errors = errors
    }

    /// All errors, `; `-separated, as `InvalidSpec` messages join them.
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
