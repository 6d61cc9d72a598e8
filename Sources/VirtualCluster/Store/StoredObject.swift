import KubeAPI
import Synchronization

/// One version of an object as the store holds it, with its JSON text cached per rendering: the
/// virtual cluster's counterpart of kube-apiserver's `CachingObject`. A stored version never changes
/// (every write stores a new one with a new resourceVersion), so its encoding can be made once and a
/// LIST of 10,000 objects becomes a concatenation of pre-encoded texts instead of 10,000 encodings.
struct StoredObject: Sendable {
    let value: JSONValue
    /// Shared by every copy of this stored version (snapshots, lists), so an encoding made for one
    /// request serves all later ones.
    private let encodings: RenderedTexts

    init(_ value: JSONValue) {
        self.value = value
        encodings = RenderedTexts()
    }

    /// The compact JSON text of this object as served with `apiVersion` and `kind` (the apiserver
    /// stamps both per request, since one object can be read through several versions).
    func renderedText(apiVersion: String, kind: String) -> String {
        encodings.text(for: RenderedTexts.Key(apiVersion: apiVersion, kind: kind)) {
            value.rendered(apiVersion: apiVersion, kind: kind).jsonText
        }
    }
}

extension JSONValue {
    /// The object as served: the stored form with the `apiVersion` and `kind` of the request.
    func rendered(apiVersion: String, kind: String) -> JSONValue {
        var copy = self
        copy.setValue(.string(apiVersion), at: ["apiVersion"])
        copy.setValue(.string(kind), at: ["kind"])
        return copy
    }
}

/// The texts made so far for one stored version, by rendering. Encoding happens outside the lock;
/// two requests racing on a cold object both encode it and store the same text.
final class RenderedTexts: Sendable {
    struct Key: Hashable, Sendable {
        var apiVersion: String
        var kind: String
    }

    private let texts = Mutex<[Key: String]>([:])

    func text(for key: Key, encode: () -> String) -> String {
        if let cached = texts.withLock({ $0[key] }) { return cached }
        let text = encode()
        texts.withLock { $0[key] = text }
        return text
    }
}
