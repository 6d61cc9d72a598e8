import Testing

/// The operator's end-to-end suites (one per case of issue 8, in `*EndToEndTests.swift`). Each
/// starts an HTTPS virtual cluster and drives many reconciles; running them one at a time keeps
/// them from starving each other and the rest of the test run on a small machine.
@Suite(.serialized) enum OperatorEndToEnd {}
