/// Line-by-line parser for the two trace formats, working on raw bytes so the 70,000-line traces parse in
/// milliseconds. Blank lines are skipped; `\r\n` line ends and a UTF-8 byte-order mark are accepted.
struct TraceParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let file: String
    private var position = 0
    private var lineNumber = 0

    static let demandHeader = ["timestamp_seconds", "gpus"]
    static let jobHeader = ["submit_seconds", "duration_seconds", "gpus"]
    /// Optional job-list columns after the three required ones, each at most once, in either order.
    static let optionalJobColumns: Set<String> = ["kind", "schedule"]
    static let expectedHeaders = "expected \"timestamp_seconds,gpus\" (demand series) or "
        + "\"submit_seconds,duration_seconds,gpus[,kind][,schedule]\" (job list)"

    /// Whether `header` is a job list's: the three required columns, then optional ones without repeats.
    static func isJobHeader(_ header: [String]) -> Bool {
        guard header.count >= jobHeader.count, Array(header.prefix(jobHeader.count)) == jobHeader else { return false }
        let optional = header.dropFirst(jobHeader.count)
        return optional.allSatisfy(optionalJobColumns.contains) && Set(optional).count == optional.count
    }

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    private func failure(_ message: String, line: Int? = nil) -> TraceFormatError {
        TraceFormatError(file: file, line: line ?? lineNumber, message: message)
    }

    /// Reads the next non-blank line into `cells` (trimmed of spaces and tabs); false at the end. The
    /// caller reuses one `cells` array for every row, so parsing allocates nothing per line.
    private mutating func nextRow(into cells: inout [UnsafeBufferPointer<UInt8>]) -> Bool {
        while position < bytes.count {
            lineNumber += 1
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let lineStart = position
            position = end + 1
            var lineEnd = end
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if trimmed(lineStart, lineEnd).isEmpty { continue }
            cells.removeAll(keepingCapacity: true)
            var cellStart = lineStart
            for index in lineStart...lineEnd where index == lineEnd || bytes[index] == UInt8(ascii: ",") {
                cells.append(trimmed(cellStart, index))
                cellStart = index + 1
            }
            return true
        }
        return false
    }

    private func trimmed(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        var low = start
        var high = end
        while low < high, bytes[low] == UInt8(ascii: " ") || bytes[low] == UInt8(ascii: "\t") { low += 1 }
        while high > low, bytes[high - 1] == UInt8(ascii: " ") || bytes[high - 1] == UInt8(ascii: "\t") { high -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[low..<high])
    }

    private func text(_ cell: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: cell, as: UTF8.self)
    }

    mutating func parse() throws(TraceFormatError) -> Trace {
        var cells: [UnsafeBufferPointer<UInt8>] = []
        cells.reserveCapacity(8)
        guard nextRow(into: &cells) else {
            throw failure("empty file; \(Self.expectedHeaders)", line: max(lineNumber, 1))
        }
        let header = cells.map { text($0).lowercased() }
        if header == Self.demandHeader { return .demand(try parseDemandRows(cells: &cells)) }
        if Self.isJobHeader(header) { return .jobs(try parseJobRows(columns: header, cells: &cells)) }
        throw failure("unknown header \"\(header.joined(separator: ","))\"; \(Self.expectedHeaders)")
    }

    /// A non-negative finite number in column `name`, at most `limit` (`TraceLimits`).
    @inline(__always)
    private func number(_ cell: UnsafeBufferPointer<UInt8>, _ name: StaticString, limit: Double) throws(TraceFormatError) -> Double {
        if let value = CSVNumber.parse(cell), value >= 0, value <= limit { return value }
        throw badNumber(cell, name, limit: limit)
    }

    private func badNumber(_ cell: UnsafeBufferPointer<UInt8>, _ name: StaticString, limit: Double) -> TraceFormatError {
        if let value = CSVNumber.parse(cell) {
            if value < 0 { return failure("\(name) \(text(cell)) is negative") }
            return failure("\(name) \(text(cell)) is larger than the largest supported value, \(formatted(limit))"
                + (limit == TraceLimits.maxSeconds ? " seconds (about 101 years)" : ""))
        }
        return failure(cell.isEmpty ? "\(name) is empty" : "\(name) \"\(text(cell))\" is not a number")
    }

    private func wrongColumnCount(_ found: Int, _ header: [String]) -> TraceFormatError {
        failure("expected \(header.count) columns (\(header.joined(separator: ","))), found \(found)")
    }

    private mutating func parseDemandRows(cells: inout [UnsafeBufferPointer<UInt8>]) throws(TraceFormatError) -> DemandSeries {
        var times: [Double] = []
        var gpus: [Double] = []
        let estimate = bytes.count / 12
        times.reserveCapacity(estimate)
        gpus.reserveCapacity(estimate)
        var smallestGap = Double.infinity
        var previousLine = 0
        while nextRow(into: &cells) {
            guard cells.count == 2 else { throw wrongColumnCount(cells.count, Self.demandHeader) }
            let time = try number(cells[0], "timestamp_seconds", limit: TraceLimits.maxSeconds)
            let value = try number(cells[1], "gpus", limit: TraceLimits.maxGPUs)
            if let previous = times.last {
                guard time > previous else {
                    throw failure("timestamp_seconds \(text(cells[0])) is not after \(formatted(previous)) "
                        + "on line \(previousLine); timestamps must increase")
                }
                smallestGap = min(smallestGap, time - previous)
            }
            times.append(time)
            gpus.append(value)
            previousLine = lineNumber
        }
        guard !times.isEmpty else { throw failure("no data rows after the header", line: lineNumber + 1) }
        return DemandSeries(unchecked: times, gpus: gpus, step: smallestGap.isFinite ? smallestGap : 60)
    }

    private mutating func parseJobRows(columns: [String],
                                       cells: inout [UnsafeBufferPointer<UInt8>]) throws(TraceFormatError) -> JobList {
        var jobs: [TraceJob] = []
        jobs.reserveCapacity(bytes.count / 24)
        let kindColumn = columns.firstIndex(of: "kind")
        let scheduleColumn = columns.firstIndex(of: "schedule")
        // Rows of one CronJob repeat its name: one String per distinct name, not one per row.
        var scheduleNames: [[UInt8]: String] = [:]
        while nextRow(into: &cells) {
            guard cells.count == columns.count else { throw wrongColumnCount(cells.count, columns) }
            let submit = try number(cells[0], "submit_seconds", limit: TraceLimits.maxSeconds)
            let duration = try number(cells[1], "duration_seconds", limit: TraceLimits.maxSeconds)
            let gpus = try number(cells[2], "gpus", limit: TraceLimits.maxGPUs)
            let kind = kindColumn.flatMap { cells[$0].isEmpty ? nil : text(cells[$0]) }
            var schedule: String?
            if let scheduleColumn, !cells[scheduleColumn].isEmpty {
                let cell = cells[scheduleColumn]
                if let known = scheduleNames[Array(cell)] {
                    schedule = known
                } else {
                    guard CronJobReference.isValid(cell) else {
                        throw failure("schedule \"\(text(cell))\" is not a CronJob name: expected NAME or NAMESPACE/NAME "
                            + "(lowercase letters, digits and '-', a name may also hold '.'), or empty for a job no CronJob created")
                    }
                    schedule = text(cell)
                    scheduleNames[Array(cell)] = schedule
                }
            }
            jobs.append(TraceJob(submit: submit, duration: duration, gpus: gpus, kind: kind, schedule: schedule))
        }
        guard !jobs.isEmpty else { throw failure("no data rows after the header", line: lineNumber + 1) }
        return JobList(jobs: jobs)
    }

    private func formatted(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
