import Foundation
import KubeAPI
import Testing
@testable import KubeClient

func pod(_ name: String, namespace: String = "default", rv: String, labels: [String: String] = [:]) -> Pod {
    var meta = ObjectMeta(name: name, namespace: namespace, labels: labels)
    meta.resourceVersion = rv
    return Pod(metadata: meta)
}

@Suite struct InformerCacheTests {
    @Test func eventsUpdateObjectsAndIndexes() {
        var cache = InformerCache<Pod>()
        #expect(cache.apply(.added(pod("a", rv: "1", labels: ["pool": "x"]))) == .added(pod("a", rv: "1", labels: ["pool": "x"])))
        #expect(cache.apply(.added(pod("b", namespace: "other", rv: "2", labels: ["pool": "x"]))) != nil)
        #expect(cache.keys(withLabel: "pool", value: "x").count == 2)
        // Same resourceVersion again (a re-watch replaying state): no change reported.
        #expect(cache.apply(.modified(pod("a", rv: "1", labels: ["pool": "x"]))) == nil)
        let relabelled = pod("a", rv: "3", labels: ["pool": "y"])
        #expect(cache.apply(.modified(relabelled)) == .updated(old: pod("a", rv: "1", labels: ["pool": "x"]), new: relabelled))
        #expect(cache.keys(withLabel: "pool", value: "x") == [NamespacedName(namespace: "other", name: "b")])
        #expect(cache.list(selector: LabelSelector(matchLabels: ["pool": "y"])).map(\.metadata.name) == ["a"])
        #expect(cache.list(namespace: "other").map(\.metadata.name) == ["b"])
        #expect(cache.list(namespace: "default", selector: LabelSelector(matchLabels: ["pool": "x"])).isEmpty)
        #expect(cache.apply(.deleted(pod("b", namespace: "other", rv: "4"))) == .deleted(pod("b", namespace: "other", rv: "4")))
        #expect(cache.apply(.deleted(pod("b", namespace: "other", rv: "5"))) == nil)
        #expect(cache.keys(withLabel: "pool", value: "x").isEmpty)
        #expect(cache.apply(.bookmark(resourceVersion: "9")) == nil)
        #expect(cache.count == 1)
    }

    @Test func selectorsWithExpressionsFilterAfterTheIndex() {
        var cache = InformerCache<Pod>()
        cache.upsert(pod("a", rv: "1", labels: ["pool": "x", "tier": "gpu"]))
        cache.upsert(pod("b", rv: "2", labels: ["pool": "x"]))
        let selector = LabelSelector(matchLabels: ["pool": "x"], matchExpressions: [LabelSelectorRequirement(key: "tier", operator: .exists)])
        #expect(cache.list(selector: selector).map(\.metadata.name) == ["a"])
        #expect(cache.get(namespace: "default", name: "b")?.metadata.resourceVersion == "2")
    }

    /// A named index (pods by node, as the operator keeps one) follows adds, moves, deletes and relists.
    @Test func namedIndexesFollowEveryChange() {
        func bound(_ name: String, to node: String?, rv: String) -> Pod {
            var bound = pod(name, rv: rv)
            bound.spec = PodSpec(containers: [], nodeName: node)
            return bound
        }
        var cache = InformerCache<Pod>(indexers: ["node": { pod in (pod.spec?.nodeName).map { [$0] } ?? [] }])
        cache.upsert(bound("a", to: "n1", rv: "1"))
        cache.upsert(bound("b", to: "n2", rv: "2"))
        cache.upsert(bound("c", to: nil, rv: "3"))
        #expect(cache.list(index: "node", values: ["n1", "n2"]).map(\.metadata.name) == ["a", "b"])
        cache.upsert(bound("a", to: "n2", rv: "4"))
        #expect(cache.list(index: "node", values: ["n1"]).isEmpty)
        #expect(cache.list(index: "node", values: ["n2"]).map(\.metadata.name) == ["a", "b"])
        cache.remove(bound("b", to: "n2", rv: "5"))
        #expect(cache.list(index: "node", values: ["n2", "n3"]).map(\.metadata.name) == ["a"])
        _ = cache.replace(with: [bound("c", to: "n3", rv: "6")])
        #expect(cache.list(index: "node", values: ["n2"]).isEmpty)
        #expect(cache.list(index: "node", values: ["n3"]).map(\.metadata.name) == ["c"])
        #expect(cache.list(index: "no such index", values: ["n3"]).isEmpty)
    }

    @Test func relistReportsWhatChangedWhileAway() {
        var cache = InformerCache<Pod>()
        cache.upsert(pod("keep", rv: "1"))
        cache.upsert(pod("change", rv: "2"))
        cache.upsert(pod("vanish", rv: "3"))
        let changes = cache.replace(with: [pod("keep", rv: "1"), pod("change", rv: "7"), pod("new", rv: "8")])
        #expect(changes == [
            .deleted(pod("vanish", rv: "3")),
            .updated(old: pod("change", rv: "2"), new: pod("change", rv: "7")),
            .added(pod("new", rv: "8")),
        ])
        #expect(cache.list().map(\.metadata.name) == ["change", "keep", "new"])
    }
}
