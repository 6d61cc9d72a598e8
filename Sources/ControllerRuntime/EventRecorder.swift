import Foundation

/// Kubernetes event types: `Normal` for expected progress, `Warning` for something a human may
/// need to look at.
public enum EventType: String, Sendable, Hashable {
    case normal = "Normal"
    case warning = "Warning"
}

/// The object an event is about (the fields of `core/v1.ObjectReference` that events use).
public struct EventObjectReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    /// Events about cluster-scoped objects live in `default`, as client-go puts them.
    public var namespace: String
    public var name: String
    public var uid: String

    public init(apiVersion: String, kind: String, namespace: String, name: String, uid: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
    }

    /// The namespace the Event object is written to.
    public var eventNamespace: String { namespace.isEmpty ? "default" : namespace }
}

/// One event as written to the API (`core/v1.Event` with its series fields).
public struct EventRecord: Sendable, Hashable {
    public var involvedObject: EventObjectReference
    public var type: EventType
    /// CamelCase, from a fixed set per controller (e.g. `ScaledUp`), so events can be filtered.
    public var reason: String
    /// A sentence for humans.
    public var message: String
    /// How many times this exact event happened, as far as it has been written.
    public var count: Int
    public var firstTimestamp: Date
    public var lastTimestamp: Date
    /// The component reporting it (e.g. `fleetcast-operator`) and which replica.
    public var reportingController: String
    public var reportingInstance: String

    public init(
        involvedObject: EventObjectReference, type: EventType, reason: String, message: String, count: Int,
        firstTimestamp: Date, lastTimestamp: Date, reportingController: String, reportingInstance: String
    ) {
        self.involvedObject = involvedObject
        self.type = type
        self.reason = reason
        self.message = message
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
    }
}

/// Where events are written. The operator adapts this to the Events API (create, then patch the
/// count and last timestamp); tests record what is written.
public protocol EventSink: Sendable {
    /// Writes a new event and returns the name it was stored under.
    func create(_ event: EventRecord) async throws -> String
    /// Updates an event created earlier with its new count and last timestamp. Throws
    /// ``EventSinkError/notFound`` if it is gone (events expire, by default after an hour).
    func update(_ event: EventRecord, named name: String) async throws
}

public enum EventSinkError: Error, Sendable, Hashable {
    case notFound
}

/// Records events about objects. Recording never fails the caller: events are best effort, and a
/// reconcile must not fail because its event could not be written.
public protocol EventRecorder: Sendable {
    func record(_ type: EventType, reason: String, message: String, about object: EventObjectReference) async
}

extension EventRecorder {
    /// Records an event whose reason comes from a controller's reason enum.
    public func record<Reason: RawRepresentable<String>>(
        _ type: EventType, reason: Reason, message: String, about object: EventObjectReference
    ) async {
        await record(type, reason: reason.rawValue, message: message, about: object)
    }
}
