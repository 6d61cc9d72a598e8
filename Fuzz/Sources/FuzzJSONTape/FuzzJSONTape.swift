import Foundation
import FuzzSupport
import KubeAPI
@testable import KubeClient

/// The client's JSON tape decoder (`KubeJSONDecoder`), which claims to be a drop-in for `JSONDecoder`
/// with its default strategies. Input: a response body, decoded as a pod list, a node, an arbitrary
/// `JSONValue` and a watch event line.
///
/// Invariants: nothing traps; where both decode, the values are equal (doubles must round the same);
/// and the tape accepts nothing `JSONDecoder` refuses. The other direction is no oracle: `JSONDecoder`
/// only checks what it converts, so it accepts malformed numbers (`1-2`), raw control characters and
/// invalid UTF-8 in members nobody reads, all of which RFC 8259, Go's decoder and the tape refuse.
/// Documents with a duplicate object key are left out: the tape keeps the last occurrence, as Go's
/// `encoding/json` and so the API server do, where `JSONDecoder` keeps the first.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONTape(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    if let tape = try? JSONTape(parsing: body), hasDuplicateKey(tape) { return 0 }
    compare(ObjectList<Pod>.self, body)
    compare(KubeNode.self, body)
    compare(JSONValue.self, body)
    _ = try? WatchEventDecoder.decode(body, as: Pod.self, decoder: KubeJSONDecoder())
    return 0
}

private func compare<T: Decodable & Equatable>(_ type: T.Type, _ body: Data) {
    let tape = Result { try KubeJSONDecoder().decode(type, from: body) }
    let foundation = Result { try JSONDecoder().decode(type, from: body) }
    switch (tape, foundation) {
    case (.success(let fast), .success(let reference)):
        invariant(fast == reference, "\(type): the tape decoded \(fast), JSONDecoder \(reference)")
    case (.failure, .failure):
        break
    case (.success(let fast), .failure(let error)):
        invariant(false, "\(type): the tape decoded \(fast) where JSONDecoder failed: \(error)")
    case (.failure, .success):
        break
    }
}

private func hasDuplicateKey(_ tape: JSONTape) -> Bool {
    tape.nodes.indices.contains { index in
        guard tape.nodes[index].kind == .object else { return false }
        let keys = tape.memberKeys(of: index)
        return Set(keys).count != keys.count
    }
}
