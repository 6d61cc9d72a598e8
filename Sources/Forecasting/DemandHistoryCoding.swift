import Foundation

/// Compact persistence of a `DemandHistory`: the operator stores it in a ConfigMap (≤ 1 MiB), so the bins
/// are packed as little-endian binary arrays in base64 rather than JSON numbers. Peaks and means are
/// 32-bit floats (exact for whole GPU counts below 2^24), sample counts 16-bit: 10 bytes per bin, about
/// 54 KiB of text for 14 days of 5-minute bins.
extension DemandHistory: Codable {
    enum CodingKeys: String, CodingKey {
        case version, step, retention, firstBin, peaks, means, counts
    }

    static let encodingVersion = 1

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.encodingVersion, forKey: .version)
        try container.encode(step, forKey: .step)
        try container.encode(retention, forKey: .retention)
        try container.encode(firstBin, forKey: .firstBin)
        try container.encode(Self.pack(peaks.map { Float($0).bitPattern }), forKey: .peaks)
        try container.encode(Self.pack(means.map { Float($0).bitPattern }), forKey: .means)
        try container.encode(Self.pack(counts), forKey: .counts)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.encodingVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .version, in: container,
                debugDescription: "unsupported demand history encoding version \(version) (expected \(Self.encodingVersion))")
        }
        let step = try container.decode(Double.self, forKey: .step)
        guard step.isFinite, step > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .step, in: container,
                                                   debugDescription: "step must be a positive number of seconds")
        }
        let retention = try container.decode(Double.self, forKey: .retention)
        guard retention.isFinite, retention >= step else {
            throw DecodingError.dataCorruptedError(forKey: .retention, in: container,
                                                   debugDescription: "retention must be at least one step")
        }
        self.init(step: step, retention: retention)
        firstBin = try container.decode(Int.self, forKey: .firstBin)
        let peakBits: [UInt32] = try Self.unpack(container, .peaks)
        let meanBits: [UInt32] = try Self.unpack(container, .means)
        counts = try Self.unpack(container, .counts)
        guard peakBits.count == counts.count, meanBits.count == counts.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .counts, in: container,
                debugDescription: "peaks, means and counts must hold the same number of bins")
        }
        guard counts.count <= capacity else {
            throw DecodingError.dataCorruptedError(
                forKey: .counts, in: container,
                debugDescription: "\(counts.count) bins exceed the retention of \(capacity) bins")
        }
        peaks = peakBits.map { Double(Float(bitPattern: $0)) }
        means = meanBits.map { Double(Float(bitPattern: $0)) }
        for index in counts.indices where counts[index] > 0 {
            guard peaks[index].isFinite, means[index].isFinite, peaks[index] >= 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .peaks, in: container, debugDescription: "bin \(index) holds a non-finite or negative value")
            }
        }
    }

    private static func pack<Word: FixedWidthInteger>(_ words: [Word]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(words.count * Word.bitWidth / 8)
        for word in words {
            var little = word.littleEndian
            withUnsafeBytes(of: &little) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    private static func unpack<Word: FixedWidthInteger>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [Word] {
        let text = try container.decode(String.self, forKey: key)
        let width = Word.bitWidth / 8
        guard let data = Data(base64Encoded: text), data.count % width == 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "not base64 of \(width)-byte little-endian words")
        }
        var words = [Word]()
        words.reserveCapacity(data.count / width)
        data.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: width) {
                var word = Word.zero
                for byte in 0..<width { word |= Word(raw[offset + byte]) << (8 * byte) }
                words.append(word)
            }
        }
        return words
    }
}
