/// The `schedule` column's value: the CronJob that created a job, as `NAME` or `NAMESPACE/NAME`.
///
/// A namespace is a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and ending
/// with a letter or digit); a CronJob name a DNS-1123 subdomain (at most 253, '.' also allowed between
/// labels), as the API server requires. Checked on the raw bytes the parser holds.
enum CronJobReference {
    static func isValid(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let slash = cell.firstIndex(of: UInt8(ascii: "/")) else { return isSubdomain(cell[...]) }
        return isLabel(cell[..<slash]) && isSubdomain(cell[(slash + 1)...])
    }

    private static func isSubdomain(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        return bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy(isLabel)
    }

    private static func isLabel(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63,
              isAlphanumeric(first), isAlphanumeric(last) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
