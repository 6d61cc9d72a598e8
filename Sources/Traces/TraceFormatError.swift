/// A problem with a trace file, located so an editor can jump to it: `FILE:LINE: what is wrong`.
public struct TraceFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as the user gave it (or a label such as `<stdin>`).
    public var file: String
    /// 1-based line number, or `nil` when the problem is with the file as a whole (cannot be read).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
