/// Why a cron expression was rejected.
///
/// The message names the field and the offending token so that `fleetcast validate` can print it after a
/// field path (`spec.schedules[0].cron: …`) and the user can fix the expression without guessing.
public struct CronParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A complete sentence fragment such as `hour field "25": 25 is out of range 0-23`.
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
