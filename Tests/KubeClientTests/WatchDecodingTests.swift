import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite struct WatchDecodingTests {
    static let stream = """
    {"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"n","resourceVersion":"5"},"data":{"k":"v"}}}
    {"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}\r
    {"type":"DELETED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"n","resourceVersion":"10"}}}

    """

    /// Splits at every boundary pattern: one byte at a time, fixed sizes, and one chunk.
    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func linesSurviveAnyChunking(chunkSize: Int) throws {
        let bytes = Array(Self.stream.utf8)
        var splitter = LineSplitter()
        var lines: [Data] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunkSize)
            lines += splitter.append(bytes[offset..<end])
            offset = end
        }
        #expect(splitter.finish() == nil)
        #expect(lines.count == 3)
        let events = try lines.map { try WatchEventDecoder.decode($0, as: ConfigMap.self, decoder: KubeJSONDecoder()) }
        #expect(events[0].object?.data?["k"] == "v")
        #expect(events[1] == .bookmark(resourceVersion: "9"))
        guard case .deleted(let gone) = events[2] else {
            Issue.record("expected DELETED")
            return
        }
        #expect(gone.metadata.resourceVersion == "10")
    }

    @Test func multiMegabyteObjectAcrossManyChunks() throws {
        let big = String(repeating: "x", count: 3 * 1024 * 1024)
        let line = #"{"type":"MODIFIED","object":{"metadata":{"name":"big","resourceVersion":"2"},"data":{"blob":"\#(big)"}}}"# + "\n"
        var splitter = LineSplitter()
        var lines: [Data] = []
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 16_384)
            lines += splitter.append(bytes[offset..<end])
            offset = end
        }
        #expect(lines.count == 1)
        let event = try WatchEventDecoder.decode(lines[0], as: ConfigMap.self, decoder: KubeJSONDecoder())
        #expect(event.object?.data?["blob"]?.count == big.count)
    }

    @Test func lastLineWithoutNewlineIsKept() {
        var splitter = LineSplitter()
        #expect(splitter.append(Array(#"{"a":1}"#.utf8)).isEmpty)
        #expect(splitter.finish() == Data(#"{"a":1}"#.utf8))
    }

    @Test func errorEventsBecomeTypedErrors() {
        let line = Data(#"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"#.utf8)
        #expect {
            try WatchEventDecoder.decode(line, as: ConfigMap.self, decoder: KubeJSONDecoder())
        } throws: { error in
            guard case KubeError.gone(let status) = error else { return false }
            return status.message?.contains("too old") == true
        }
    }

    @Test func garbageIsADecodingError() {
        #expect {
            try WatchEventDecoder.decode(Data("not json".utf8), as: ConfigMap.self, decoder: KubeJSONDecoder())
        } throws: { error in
            if case KubeError.decoding = error { return true }
            return false
        }
        #expect {
            try WatchEventDecoder.decode(Data(#"{"type":"WHAT","object":{}}"#.utf8), as: ConfigMap.self, decoder: KubeJSONDecoder())
        } throws: { error in
            if case KubeError.decoding(let message) = error { return message.contains("WHAT") }
            return false
        }
    }
}

@Suite struct WatchTypeFastPathTests {
    @Test(arguments: [
        (#"{"type":"ADDED","object":{}}"#, "ADDED" as String?),
        (#"{"type":"BOOKMARK","object":{}}"#, "BOOKMARK"),
        (#"{"object":{},"type":"ADDED"}"#, nil),
        (#"{ "type": "ADDED" }"#, nil),
        (#"{"type":""#, nil),
    ])
    func readsTheTypeOnlyFromTheServersLayout(line: String, expected: String?) {
        #expect(WatchEventDecoder.leadingType(of: Data(line.utf8)) == expected)
    }

    @Test func otherLayoutsStillDecode() throws {
        let event = try WatchEventDecoder.decode(Data(#"{"object":{"metadata":{"name":"a"}}, "type" : "ADDED"}"#.utf8), as: ConfigMap.self, decoder: KubeJSONDecoder())
        #expect(event.object?.metadata.name == "a")
    }
}
