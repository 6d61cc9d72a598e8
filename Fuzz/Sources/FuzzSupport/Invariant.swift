/// Stops the process when a property the code promises does not hold, with a message saying which.
/// libFuzzer treats the trap like any crash: it saves the input as `crash-…` and reports it.
public func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        fatalError("fuzz invariant violated: \(message())", file: file, line: line)
    }
}
