import FleetcastAPI
import Foundation
import KubeAPI

/// The DaemonSet that keeps a pool's `spec.warmPool.prePull.images` pulled on its nodes, so a warm or
/// standby node that takes demand starts its pod from the kubelet's image cache. One per pool, named
/// `<pool>-prepull` in the pool's namespace and owned by the pool (controller reference, so deleting
/// the pool garbage-collects it). Its pods select the pool's nodes (`spec.nodes.selector`: match
/// labels as `nodeSelector`, expressions as required node affinity) and tolerate every taint — the
/// pool's own, and the unreachable taint of a suspended standby node, whose pod then pulls when the
/// node is set up or refreshed. Each image is an init container that exits at once (`sh -c 'exit 0'`,
/// so the images need a shell, as serving images have), then a pause container holds the pod with
/// requests of a few millicores. Restricted security context throughout. Pure: the reconciler reads
/// the existing object, asks `change`, and writes.
enum PrePullDaemonSet {
    static let apiVersion = "apps/v1"
    /// The label the DaemonSet selects its pods by: the pool's name.
    static let poolLabel = "fleetcast.dev/prepull-for"
    /// A hash of the spec the operator wrote, so an unchanged spec is not written again (the API server
    /// fills in defaults, so the stored spec never equals the one sent).
    static let specHashAnnotation = "fleetcast.dev/prepull-spec-hash"
    static let pauseImage = "registry.k8s.io/pause:3.10"
    /// The unprivileged user the pods run as (`nobody`).
    static let user: Int64 = 65534

    static func name(forPool pool: String) -> String { "\(pool)-prepull" }

    /// What to do with the cluster's DaemonSet of this name.
    enum Change: Sendable, Hashable {
        case none
        case create(JSONValue)
        /// Replace the existing object with this one (it carries the existing resourceVersion).
        case update(JSONValue)
        case delete
        /// A DaemonSet of that name exists and is not the pool's: left alone.
        case foreign
    }

    /// The change that makes `existing` what the pool wants: its DaemonSet while it has images to
    /// pull (`desired`), none otherwise.
    static func change(desired: JSONValue?, existing: JSONValue?, poolUID: String) -> Change {
        guard let existing else { return desired.map(Change.create) ?? .none }
        let owned = (existing["metadata"]?["ownerReferences"]?.arrayValue ?? []).contains {
            $0["uid"]?.stringValue == poolUID && $0["controller"] == .bool(true)
        }
        guard owned else { return .foreign }
        guard var desired else { return .delete }
        let wanted = desired["metadata"]?["annotations"]?[specHashAnnotation]
        guard existing["metadata"]?["annotations"]?[specHashAnnotation] != wanted else { return .none }
        if var metadata = desired["metadata"]?.objectValue, let version = existing["metadata"]?["resourceVersion"] {
            metadata["resourceVersion"] = version
            desired = desired.setting("metadata", .object(metadata))
        }
        return .update(desired)
    }

    /// The DaemonSet for pool `pool` (in `namespace`, with `uid`) pulling `images` on the nodes `selector` selects.
    static func object(pool: String, namespace: String, uid: String, selector: LabelSelector, images: [String]) -> JSONValue {
        let labels: JSONValue = .object([
            poolLabel: .string(pool), "app.kubernetes.io/name": .string("fleetcast-prepull"),
            "app.kubernetes.io/managed-by": .string("fleetcast"),
        ])
        let spec: JSONValue = .object([
            "selector": .object(["matchLabels": .object([poolLabel: .string(pool)])]),
            "template": .object(["metadata": .object(["labels": labels]), "spec": podSpec(selector: selector, images: images)]),
        ])
        return .object([
            "apiVersion": .string(apiVersion), "kind": .string("DaemonSet"),
            "metadata": .object([
                "name": .string(name(forPool: pool)), "namespace": .string(namespace), "labels": labels,
                "annotations": .object([specHashAnnotation: .string(hash(spec))]),
                "ownerReferences": .array([.object([
                    "apiVersion": .string(GPUPool.apiVersion), "kind": .string(GPUPool.kind), "name": .string(pool),
                    "uid": .string(uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
                ])]),
            ]),
            "spec": spec,
        ])
    }

    private static func podSpec(selector: LabelSelector, images: [String]) -> JSONValue {
        let resources: JSONValue = .object([
            "requests": .object(["cpu": .string("1m"), "memory": .string("8Mi")]),
            "limits": .object(["memory": .string("32Mi")]),
        ])
        let securityContext: JSONValue = .object([
            "allowPrivilegeEscalation": .bool(false), "readOnlyRootFilesystem": .bool(true),
            "capabilities": .object(["drop": .array([.string("ALL")])]),
        ])
        func container(_ name: String, _ image: String, command: [String]?) -> JSONValue {
            var members: [String: JSONValue] = [
                "name": .string(name), "image": .string(image), "imagePullPolicy": .string("IfNotPresent"),
                "resources": resources, "securityContext": securityContext,
            ]
            if let command { members["command"] = .array(command.map(JSONValue.string)) }
            return .object(members)
        }
        var spec: [String: JSONValue] = [
            "initContainers": .array(images.enumerated().map { index, image in
                container("pull-\(index)", image, command: ["sh", "-c", "exit 0"])
            }),
            "containers": .array([container("pause", pauseImage, command: nil)]),
            "tolerations": .array([.object(["operator": .string("Exists")])]),
            "securityContext": .object([
                "runAsNonRoot": .bool(true), "runAsUser": .int(user), "runAsGroup": .int(user),
                "seccompProfile": .object(["type": .string("RuntimeDefault")]),
            ]),
            "automountServiceAccountToken": .bool(false),
            "terminationGracePeriodSeconds": .int(1),
        ]
        if let labels = selector.matchLabels, !labels.isEmpty {
            spec["nodeSelector"] = .object(labels.mapValues(JSONValue.string))
        }
        if let expressions = selector.matchExpressions, !expressions.isEmpty {
            let requirements: [JSONValue] = expressions.map { expression in
                var members: [String: JSONValue] = ["key": .string(expression.key), "operator": .string(expression.operator.rawValue)]
                if let values = expression.values { members["values"] = .array(values.map(JSONValue.string)) }
                return .object(members)
            }
            spec["affinity"] = .object(["nodeAffinity": .object(["requiredDuringSchedulingIgnoredDuringExecution": .object([
                "nodeSelectorTerms": .array([.object(["matchExpressions": .array(requirements)])]),
            ])])])
        }
        return .object(spec)
    }

    /// FNV-1a of the spec's JSON with sorted keys: stable across runs and processes.
    static func hash(_ spec: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(spec)) ?? Data()
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        return String(value, radix: 16)
    }
}

extension JSONValue {
    /// The object with `key` set to `value` (unchanged when this is not an object).
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard var members = objectValue else { return self }
        members[key] = value
        return .object(members)
    }
}
