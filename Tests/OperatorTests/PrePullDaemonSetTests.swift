import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// The pre-pull DaemonSet a pool owns: what it is, and when it is created, replaced, deleted or left alone.
@Suite struct PrePullDaemonSetTests {
    static let selector = LabelSelector(matchLabels: ["fleetcast.dev/pool": "a100"],
                                        matchExpressions: [LabelSelectorRequirement(key: "zone", operator: .in, values: ["a", "b"])])

    static func object(images: [String] = ["nvcr.io/nvidia/tritonserver:24.08-py3"], uid: String = "pool-uid") -> JSONValue {
        PrePullDaemonSet.object(pool: "a100", namespace: "gpu", uid: uid, selector: selector, images: images)
    }

    @Test func itPullsEachImageInAnInitContainerOnThePoolsNodesAndToleratesEveryTaint() {
        let daemonSet = Self.object(images: ["a:1", "b:2"])
        #expect(daemonSet["metadata"]?["name"]?.stringValue == "a100-prepull")
        #expect(daemonSet["metadata"]?["namespace"]?.stringValue == "gpu")
        let owner = daemonSet["metadata"]?["ownerReferences"]?.arrayValue?.first
        #expect(owner?["kind"]?.stringValue == "GPUPool" && owner?["uid"]?.stringValue == "pool-uid" && owner?["controller"] == .bool(true))
        let pod = daemonSet["spec"]?["template"]?["spec"]
        #expect(pod?["initContainers"]?.arrayValue?.compactMap { $0["image"]?.stringValue } == ["a:1", "b:2"])
        #expect(pod?["containers"]?.arrayValue?.compactMap { $0["image"]?.stringValue } == [PrePullDaemonSet.pauseImage])
        #expect(pod?["nodeSelector"]?["fleetcast.dev/pool"]?.stringValue == "a100")
        let term = pod?["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?.arrayValue?.first
        #expect(term?["matchExpressions"]?.arrayValue?.first?["operator"]?.stringValue == "In")
        #expect(pod?["tolerations"]?.arrayValue == [.object(["operator": .string("Exists")])])
        #expect(pod?["securityContext"]?["runAsNonRoot"] == .bool(true))
        #expect(pod?["initContainers"]?.arrayValue?.allSatisfy { $0["securityContext"]?["allowPrivilegeEscalation"] == .bool(false) } == true)
        // The template's labels include what the DaemonSet selects.
        #expect(daemonSet["spec"]?["template"]?["metadata"]?["labels"]?[PrePullDaemonSet.poolLabel]?.stringValue == "a100")
        #expect(daemonSet["spec"]?["selector"]?["matchLabels"]?[PrePullDaemonSet.poolLabel]?.stringValue == "a100")
    }

    /// The existing object as the API server stores it: with a resourceVersion and defaulted fields.
    static func stored(_ object: JSONValue) -> JSONValue {
        var metadata = object["metadata"]?.objectValue ?? [:]
        metadata["resourceVersion"] = .string("42")
        var spec = object["spec"]?.objectValue ?? [:]
        spec["revisionHistoryLimit"] = .int(10)
        return object.setting("metadata", .object(metadata)).setting("spec", .object(spec))
    }

    @Test func changesAreLevelBased() {
        let desired = Self.object()
        #expect(PrePullDaemonSet.change(desired: desired, existing: nil, poolUID: "pool-uid") == .create(desired))
        #expect(PrePullDaemonSet.change(desired: nil, existing: nil, poolUID: "pool-uid") == .none)
        // Stored with server defaults, same spec: nothing to write.
        #expect(PrePullDaemonSet.change(desired: desired, existing: Self.stored(desired), poolUID: "pool-uid") == .none)
        // Other images: replaced at the stored resourceVersion.
        let other = Self.object(images: ["other:1"])
        guard case .update(let replacement) = PrePullDaemonSet.change(desired: other, existing: Self.stored(desired), poolUID: "pool-uid") else {
            Issue.record("expected an update")
            return
        }
        #expect(replacement["metadata"]?["resourceVersion"]?.stringValue == "42")
        #expect(replacement["spec"] == other["spec"])
        // No images any more: deleted.
        #expect(PrePullDaemonSet.change(desired: nil, existing: Self.stored(desired), poolUID: "pool-uid") == .delete)
        // Someone else's DaemonSet of that name is never touched.
        #expect(PrePullDaemonSet.change(desired: desired, existing: Self.stored(Self.object(uid: "other")), poolUID: "pool-uid") == .foreign)
        #expect(PrePullDaemonSet.change(desired: nil, existing: Self.stored(Self.object(uid: "other")), poolUID: "pool-uid") == .foreign)
    }

    @Test func theSpecHashIsStableAndFollowsTheSpec() {
        #expect(PrePullDaemonSet.hash(Self.object()["spec"] ?? .null) == PrePullDaemonSet.hash(Self.object()["spec"] ?? .null))
        #expect(PrePullDaemonSet.hash(Self.object()["spec"] ?? .null) != PrePullDaemonSet.hash(Self.object(images: ["x"])["spec"] ?? .null))
    }
}
