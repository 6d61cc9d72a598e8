import Foundation

/// Splits a byte stream into newline-terminated lines, whatever the chunk boundaries: a line may span
/// many chunks (multi-megabyte objects) and a chunk may hold many lines. Pure value.
public struct LineSplitter: Sendable {
    private var buffer: [UInt8] = []
    /// Where the next newline search starts, so a long line is scanned once, not once per chunk.
    private var scanned = 0

    public init() {}

    /// Appends a chunk and returns the complete lines it finished (without the newline; empty lines
    /// and a trailing `\r` dropped).
    public mutating func append<Bytes: Sequence>(_ chunk: Bytes) -> [Data] where Bytes.Element == UInt8 {
        buffer.append(contentsOf: chunk)
        var lines: [Data] = []
        var start = 0
        var index = scanned
        while index < buffer.count {
            if buffer[index] == 0x0A {
                var end = index
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                if end > start { lines.append(Data(buffer[start..<end])) }
                start = index + 1
            }
            index += 1
        }
        if start > 0 { buffer.removeFirst(start) }
        scanned = buffer.count
        return lines
    }

    /// What is left when the stream ends: a last line without a newline, if any.
    public mutating func finish() -> Data? {
        defer {
            buffer.removeAll()
            scanned = 0
        }
        let trimmed = buffer.last == 0x0D ? Array(buffer.dropLast()) : buffer
        return trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : Data(trimmed)
    }

    /// Bytes held for an unfinished line.
    public var pendingByteCount: Int { buffer.count }
}
