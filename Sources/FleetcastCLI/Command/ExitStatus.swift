/// Exit statuses every Fleetcast command documents, in both executables.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The input is invalid (e.g. a GPUPool fails validation, a trace line is malformed).
    public static let invalid: Int32 = 1
    /// A usage or I/O error (a missing file, an unknown option, an address in use).
    public static let usageOrIO: Int32 = 2
}
