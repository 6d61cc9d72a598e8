import Synchronization

/// A value shared between a test and the tasks it starts, guarded by a lock; a class so closures
/// can capture it (a `Mutex` cannot be captured by escaping closures).
public final class LockedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    public var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    /// Mutates the value atomically and returns what the closure returns.
    @discardableResult
    public func withLock<T: Sendable>(_ body: (inout sending Value) -> T) -> T {
        storage.withLock { body(&$0) }
    }
}
