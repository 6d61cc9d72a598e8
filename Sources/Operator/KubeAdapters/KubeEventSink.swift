import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient

/// ControllerRuntime's `EventSink` over `core/v1` Events: a create per new event, a merge patch of
/// `count` and `lastTimestamp` for repeats.
struct KubeEventSink: EventSink {
    let client: KubeClient

    func create(_ event: EventRecord) async throws -> String {
        let object = event.involvedObject
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var meta = ObjectMeta(name: "\(object.name).\(suffix)", namespace: object.eventNamespace)
        meta.generateName = nil
        var record = Event(
            metadata: meta,
            involvedObject: ObjectReference(apiVersion: object.apiVersion, kind: object.kind, name: object.name,
                                            namespace: object.namespace, uid: object.uid),
            reason: event.reason, message: event.message, type: event.type.rawValue,
            source: EventSource(component: event.reportingController),
            firstTimestamp: KubeTime.format(event.firstTimestamp), lastTimestamp: KubeTime.format(event.lastTimestamp),
            count: Int32(clamping: event.count))
        record.reportingComponent = event.reportingController
        record.reportingInstance = event.reportingInstance
        let created = try await client.create(Event.descriptor, namespace: object.eventNamespace, object: record)
        return created.metadata.name ?? meta.name ?? ""
    }

    func update(_ event: EventRecord, named name: String) async throws {
        struct Patch: Encodable { var count: Int32; var lastTimestamp: String }
        let body = try JSONEncoder().encode(Patch(count: Int32(clamping: event.count), lastTimestamp: KubeTime.format(event.lastTimestamp)))
        do {
            _ = try await client.patch(Event.descriptor, name: name, namespace: event.involvedObject.eventNamespace, type: .merge,
                                       body: body, subresource: nil, options: WriteOptions(), as: Event.self)
        } catch {
            if case .notFound = error { throw EventSinkError.notFound }
            throw error
        }
    }
}
