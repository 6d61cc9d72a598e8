import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-metric Prometheus exporter on a loopback port, for tests that need a series whose value
/// changes while a real Prometheus scrapes it. Serves `GET /metrics` (any path, in fact) with
/// `NAME VALUE` in the text format, one connection at a time, on a thread of its own.
public final class TinyExporter: @unchecked Sendable {
    public let port: Int
    public let name: String
    private let value: LockedValue<Double>
    private let descriptor: Int32
    private let stopped = LockedValue(false)

    public init(name: String, value: Double) throws {
        self.name = name
        self.value = LockedValue(value)
        (descriptor, port) = try LoopbackPort.listen()
        let thread = Thread { [self] in serve() }
        thread.name = "tiny-exporter"
        thread.start()
    }

    public var target: String { "127.0.0.1:\(port)" }

    /// Sets the value the next scrape sees.
    public func set(_ newValue: Double) { value.value = newValue }

    public func stop() {
        stopped.value = true
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stopped.value {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else {
                if stopped.value { return }
                continue
            }
            // Read the request head (a scrape has no body), then answer and close.
            var request = Data()
            while !request.contains(Data("\r\n\r\n".utf8)) {
                let count = read(connection, &buffer, buffer.count)
                guard count > 0 else { break }
                request.append(contentsOf: buffer[0..<count])
            }
            let body = "# TYPE \(name) gauge\n\(name) \(value.value)\n"
            let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { write(connection, $0, strlen($0)) }
            close(connection)
        }
    }
}
