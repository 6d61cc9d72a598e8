/// apimachinery's `field.Path`: where in an object a problem is, printed the way the API server prints
/// it (`spec.schedules[1].name`, `metadata.labels[app]`). Kept structured, not as a string, so a YAML
/// loader can walk the same steps through its document to find the line a problem is on.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        /// A member of an object: `.name`.
        case field(String)
        /// An element of a list: `[3]`.
        case index(Int)
        /// An entry of a map keyed by arbitrary strings: `[nvidia.com/gpu]`.
        case key(String)
    }

    public var steps: [Step]

    public init(_ steps: [Step]) {
        self.steps = steps
    }

    /// A path starting at a top-level field, e.g. `FieldPath("spec")`.
    public init(_ root: String) {
        steps = [.field(root)]
    }

    public func child(_ name: String) -> FieldPath { FieldPath(steps + [.field(name)]) }
    public func index(_ index: Int) -> FieldPath { FieldPath(steps + [.index(index)]) }
    public func key(_ key: String) -> FieldPath { FieldPath(steps + [.key(key)]) }

    public var description: String {
        var text = ""
        for step in steps {
            switch step {
            case .field(let name): text += text.isEmpty ? name : "." + name
            case .index(let index): text += "[\(index)]"
            case .key(let key): text += "[\(key)]"
            }
        }
        return text
    }
}
