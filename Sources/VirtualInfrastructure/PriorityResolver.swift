import Foundation
import KubeAPI

/// A pod's priority as admission would have set it: `spec.priority`, else its PriorityClass's
/// value, else the global default class's, else 0. Built once per step from the PriorityClasses.
struct PriorityResolver: Sendable {
    private let values: [String: Int]
    private let globalDefault: Int

    init(classes: [JSONValue]) {
        values = Dictionary(classes.map { ($0.objectName, $0.at("value")?.integer ?? 0) }, uniquingKeysWith: { first, _ in first })
        globalDefault = classes.first { $0.at("globalDefault") == .bool(true) }.flatMap { $0.at("value")?.integer } ?? 0
    }

    static func load(_ objects: ClusterObjects) async throws -> PriorityResolver {
        PriorityResolver(classes: try await objects.list("/apis/scheduling.k8s.io/v1/priorityclasses", as: JSONValue.self))
    }

    func priority(of pod: Pod) -> Int {
        pod.priority(classes: values, globalDefault: globalDefault)
    }
}
