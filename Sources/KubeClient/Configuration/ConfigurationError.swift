/// Why a client configuration could not be built. The message always names the file, context or
/// field at fault, because that is what a user has to go and fix.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
