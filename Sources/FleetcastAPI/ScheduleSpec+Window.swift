import Cron
import Foundation
import KubeAPI

extension ScheduleSpec {
    /// When this schedule's windows open — every fire of `cron` in `timeZone`, or once `at` a date —
    /// or every problem with those fields. Validation reports these errors and the conversion to the
    /// forecaster's schedules (`PoolPolicy`) throws them, so the operator and the CLI refuse a schedule
    /// for the same reason, worded the same way. `path` is the schedule's own path (`spec.schedules[0]`).
    public func timing(at path: FieldPath) throws(SpecErrors) -> WindowTiming {
        let cron = self.cron ?? ""
        switch (cron.isEmpty, at) {
        case (false, nil):
            return .recurring(try recurringWindow(at: path))
        case (true, let at?):
            guard let start = KubeTime.parse(at) else {
                throw SpecErrors(errors: [.invalid(path.child("at"), .string(at),
                                                   "must be an RFC 3339 time such as 2026-12-24T18:00:00Z")])
            }
            return .once(DateInterval(start: start, duration: max(0, duration.seconds)))
        case (false, _?):
            throw SpecErrors(errors: [.forbidden(path.child("at"), "may not be set together with cron")])
        case (true, nil):
            throw SpecErrors(errors: [.required(path.child("cron"), "one of cron or at is required")])
        }
    }

    /// The recurring window `cron` and `timeZone` declare, or every problem with them.
    public func recurringWindow(at path: FieldPath) throws(SpecErrors) -> RecurringWindow {
        var errors: [FieldError] = []
        var expression: CronExpression?
        let cron = self.cron ?? ""
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
