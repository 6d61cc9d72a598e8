import Foundation
import FuzzSupport
@testable import Traces

/// The trace CSV reader and what `fleetcast trace stats` / `simulate` do next with its result. Input: the
/// file's bytes.
///
/// Invariants: reading never traps and either throws a `TraceFormatError` with a line number or gives a
/// trace whose numbers are finite and non-negative with strictly increasing demand timestamps; the demand
/// series and statistics of a trace that was read have finite figures (computed when the series has at
/// most `maximumBins` one-minute steps, about 4x the longest real trace: beyond that the cost is linear work
/// on a huge grid, which a debug build with AddressSanitizer cannot finish within libFuzzer's timeout); each cell of the first line that
/// the cell parser accepts equals what `Double(String)` makes of it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraceCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    checkCellParser(bytes)
    let trace: Trace
    do {
        trace = try Trace(csv: bytes, file: "fuzz.csv")
    } catch {
        invariant(error.line.map { $0 >= 1 } ?? false, "trace error without a line: \(error)")
        return 0
    }
    switch trace {
    case .demand(let series):
        invariant(series.step > 0 && series.step.isFinite, "demand series step \(series.step)")
        for index in series.times.indices {
            invariant(series.times[index].isFinite && series.times[index] >= 0, "timestamp \(series.times[index])")
            invariant(series.gpus[index].isFinite && series.gpus[index] >= 0, "gpus \(series.gpus[index])")
            if index > 0 { invariant(series.times[index] > series.times[index - 1], "timestamps not increasing") }
        }
        if series.span / series.step <= maximumBins { check(series.statistics()) }
    case .jobs(let list):
        for job in list.jobs {
            invariant([job.submit, job.duration, job.gpus].allSatisfy { $0.isFinite && $0 >= 0 }, "job \(job)")
        }
        let lastEnd = list.jobs.map(\.end).max() ?? 0
        if lastEnd / 60 <= maximumBins, let series = list.demandSeries(step: 60) {
            invariant(series.gpus.allSatisfy { $0.isFinite && $0 >= 0 }, "job list demand has a negative or non-finite value")
            check(series.statistics())
        }
    }
    return 0
}

/// About 4 times the 70,560 one-minute steps of the longest trace in ../shared/data/traces.
private let maximumBins = 300_000.0

private func check(_ statistics: TraceStatistics) {
    invariant([statistics.span, statistics.step, statistics.peak, statistics.mean].allSatisfy(\.isFinite),
              "statistics with a non-finite figure: \(statistics)")
}

/// Differential check of the allocation-free cell parser against the standard library on the first line.
private func checkCellParser(_ bytes: UnsafeBufferPointer<UInt8>) {
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    var start = 0
    for index in 0...end where index == end || bytes[index] == UInt8(ascii: ",") {
        let cell = UnsafeBufferPointer(rebasing: bytes[start..<index])
        start = index + 1
        guard let parsed = CSVNumber.parse(cell) else { continue }
        let text = String(decoding: cell, as: UTF8.self)
        invariant(parsed.isFinite, "cell \"\(text)\" parsed to \(parsed)")
        invariant(Double(text) == parsed, "cell \"\(text)\" parsed to \(parsed), Double(String) says \(String(describing: Double(text)))")
    }
}
