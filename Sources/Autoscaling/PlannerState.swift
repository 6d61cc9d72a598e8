import Foundation

/// What the planner remembers between decisions. It is returned inside every `Plan` and passed
/// back in on the next call; the operator persists it in status, the simulator keeps it in memory.
public struct PlannerState: Sendable, Hashable, Codable {
    /// When the plan first fell below the pool's current size, continuously since. Scale-down waits
    /// for the stabilization window measured from here; any plan at or above current size clears it.
    public var scaleDownWantedSince: Date?
    /// When the planner last changed the number of nodes it asks for.
    public var lastScaleTime: Date?
    /// When the planner last lowered it; the next scale-down waits one planning step from here.
    public var lastScaleDownTime: Date?

    public init(scaleDownWantedSince: Date? = nil, lastScaleTime: Date? = nil, lastScaleDownTime: Date? = nil) {
        self.scaleDownWantedSince = scaleDownWantedSince
        self.lastScaleTime = lastScaleTime
        self.lastScaleDownTime = lastScaleDownTime
    }
}
