import Foundation
import KubeAPI

/// The typed events of one watch request. Iterating it pulls bytes from the transfer's own thread;
/// cancelling the iterating task (or dropping the sequence) stops the transfer promptly. The sequence
/// ends normally when the server closes the stream; it throws on `ERROR` events and transport failures.
public struct WatchStream<Object: Decodable & Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>

    private enum Source: Sendable {
        case bytes(AsyncThrowingStream<Data, any Error>)
        case events(AsyncThrowingStream<WatchEvent<Object>, any Error>)
    }

    private let source: Source

    init(bytes: AsyncThrowingStream<Data, any Error>) { source = .bytes(bytes) }

    /// A stream of ready-made events: what fakes of `KubeWatcher` return.
    public init(events: AsyncThrowingStream<WatchEvent<Object>, any Error>) { source = .events(events) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var events: AsyncThrowingStream<WatchEvent<Object>, any Error>.AsyncIterator?
        var bytes: AsyncThrowingStream<Data, any Error>.AsyncIterator?
        var splitter = LineSplitter()
        var ready: [Data] = []
        var readyIndex = 0
        var ended = false
        let decoder = KubeJSONDecoder()

        public mutating func next() async throws -> WatchEvent<Object>? {
            if events != nil { return try await events?.next() }
            while true {
                if readyIndex < ready.count {
                    let line = ready[readyIndex]
                    readyIndex += 1
                    return try WatchEventDecoder.decode(line, as: Object.self, decoder: decoder)
                }
                if ended { return nil }
                ready.removeAll(keepingCapacity: true)
                readyIndex = 0
                let chunk: Data?
                do {
                    chunk = try await bytes?.next()
                } catch {
                    if Task.isCancelled { throw KubeError.cancelled }
                    throw error
                }
                if let chunk {
                    ready = splitter.append(chunk)
                } else {
                    if Task.isCancelled { throw KubeError.cancelled }
                    ended = true
                    if let last = splitter.finish() { ready = [last] }
                }
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .bytes(let bytes): AsyncIterator(bytes: bytes.makeAsyncIterator())
        case .events(let events): AsyncIterator(events: events.makeAsyncIterator())
        }
    }
}
