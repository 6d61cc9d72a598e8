import Testing
@testable import VirtualCluster

/// Pure tests of the label selector parser (apimachinery `labels.Parse` syntax).
@Suite("Label selector parsing")
struct SelectorParsingTests {
    @Test("matching", arguments: [
        ("app=a", ["app": "a"], true),
        ("app==a", ["app": "b"], false),
        ("app!=a", [:], true),
        ("app in (a, b)", ["app": "b"], true),
        ("app in (a,b)", [:], false),
        ("app notin (a,b)", [:], true),
        ("app notin (a,b)", ["app": "a"], false),
        ("app", ["app": ""], true),
        ("!app", ["app": "x"], false),
        ("gen>3", ["gen": "4"], true),
        ("gen<3", ["gen": "4"], false),
        ("app=a,tier in (x),!legacy", ["app": "a", "tier": "x"], true),
        ("", ["anything": "x"], true),
    ] as [(String, [String: String], Bool)])
    func matching(selector: String, labels: [String: String], expected: Bool) throws {
        #expect(try LabelSelectorQuery(parsing: selector).matches(labels) == expected)
    }

    @Test("malformed selectors are a 400", arguments: ["app=a=b", "app in a,b", "a b c", "=x"])
    func malformed(selector: String) {
        #expect(throws: APIError.self) { try LabelSelectorQuery(parsing: selector) }
    }
}

/// Ages as kubectl tables print them.
@Suite("Human durations")
struct HumanDurationTests {
    @Test("formatting", arguments: [
        (-5.0, "<invalid>"), (-0.5, "0s"), (59, "59s"), (119, "119s"), (120, "2m"), (125, "2m5s"), (3600, "60m"),
        (3 * 3600, "3h"), (3 * 3600 + 120, "3h2m"), (30 * 3600, "30h"), (50 * 3600, "2d2h"), (10 * 86400, "10d"),
        (3 * 365 * 86400, "3y"),
    ] as [(Double, String)])
    func formatting(seconds: Double, expected: String) {
        #expect(HumanDuration.text(seconds) == expected)
    }
}
