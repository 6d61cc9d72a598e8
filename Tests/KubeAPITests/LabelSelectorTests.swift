import Testing
import KubeAPI

@Suite struct LabelSelectorTests {
    static let pool = ["fleetcast.dev/pool": "a100", "tier": "serving"]

    @Test(arguments: [
        // (selector, matches pool labels)
        (LabelSelector(), true),
        (LabelSelector(matchLabels: ["fleetcast.dev/pool": "a100"]), true),
        (LabelSelector(matchLabels: ["fleetcast.dev/pool": "h100"]), false),
        (LabelSelector(matchExpressions: [.init(key: "tier", operator: .in, values: ["serving", "batch"])]), true),
        (LabelSelector(matchExpressions: [.init(key: "tier", operator: .notIn, values: ["serving"])]), false),
        (LabelSelector(matchExpressions: [.init(key: "zone", operator: .notIn, values: ["a"])]), true),
        (LabelSelector(matchExpressions: [.init(key: "tier", operator: .exists)]), true),
        (LabelSelector(matchExpressions: [.init(key: "tier", operator: .doesNotExist)]), false),
        (LabelSelector(matchLabels: ["tier": "serving"], matchExpressions: [.init(key: "zone", operator: .exists)]), false),
    ])
    func matching(selector: LabelSelector, expected: Bool) {
        #expect(selector.matches(Self.pool) == expected)
    }

    @Test func queryStringIsSortedAndComplete() {
        let selector = LabelSelector(
            matchLabels: ["b": "2", "a": "1"],
            matchExpressions: [
                .init(key: "c", operator: .in, values: ["y", "x"]),
                .init(key: "d", operator: .doesNotExist),
            ]
        )
        #expect(selector.queryString == "a=1,b=2,c in (x,y),!d")
    }
}
