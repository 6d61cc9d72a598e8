import Foundation

/// One libFuzzer input, read front to back the way LLVM's `FuzzedDataProvider` does: integers and
/// choices come from the front, and whatever is left is the text or body under test. Reads past the
/// end give zeros, so every input, however short, is a valid test case.
public struct FuzzInput {
    public private(set) var bytes: [UInt8]
    private var position = 0

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isExhausted: Bool { position >= bytes.count }

    /// The next byte, or 0 past the end.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A little-endian integer from the next `count` bytes (at most 8).
    public mutating func unsigned(bytes count: Int) -> UInt64 {
        var value: UInt64 = 0
        for shift in 0..<min(count, 8) { value |= UInt64(byte()) << (8 * UInt64(shift)) }
        return value
    }

    /// An integer in `range`, from as few bytes as the range needs.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound))
        guard span > 0 else { return range.lowerBound }
        let count = (64 - span.leadingZeroBitCount + 7) / 8
        let raw = unsigned(bytes: count)
        let offset = span == UInt64.max ? raw : raw % (span + 1)
        return Int(Int64(range.lowerBound) &+ Int64(bitPattern: offset))
    }

    /// One of `choices`, picked by the next byte.
    public mutating func pick<T>(_ choices: [T]) -> T {
        choices[Int(byte()) % choices.count]
    }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// A double in `range`, spread evenly by 16 bits of input.
    public mutating func double(in range: ClosedRange<Double>) -> Double {
        let fraction = Double(unsigned(bytes: 2)) / Double(UInt16.max)
        return range.lowerBound + (range.upperBound - range.lowerBound) * fraction
    }

    /// Any 64-bit pattern as a double: NaN, infinities, subnormals and 1e308 included.
    public mutating func anyDouble() -> Double {
        Double(bitPattern: unsigned(bytes: 8))
    }

    /// Everything not read yet.
    public mutating func remainingBytes() -> [UInt8] {
        defer { position = bytes.count }
        return position < bytes.count ? Array(bytes[position...]) : []
    }

    /// Everything not read yet, as UTF-8 text (invalid sequences become U+FFFD, as a file read would not:
    /// the loaders under test take `String`, so this is the closest input they can get).
    public mutating func remainingText() -> String {
        String(decoding: remainingBytes(), as: UTF8.self)
    }

    /// The bytes up to the next newline (consumed, not returned), as text.
    public mutating func line() -> String {
        var line: [UInt8] = []
        while position < bytes.count {
            let next = bytes[position]
            position += 1
            if next == UInt8(ascii: "\n") { break }
            line.append(next)
        }
        return String(decoding: line, as: UTF8.self)
    }
}
