import Foundation
import Testing
@testable import Traces

@Suite struct TraceParsingTests {
    private func parse(_ text: String, file: String = "t.csv") throws(TraceFormatError) -> Trace {
        try Trace(csv: Array(text.utf8), file: file)
    }

    @Test func demandSeriesIsReadWithItsStep() throws {
        let trace = try parse("timestamp_seconds,gpus\n0,80.98\n60,81\n120,0.5\n")
        guard case .demand(let series) = trace else { Issue.record("not a demand series"); return }
        #expect(series.times == [0, 60, 120])
        #expect(series.gpus == [80.98, 81, 0.5])
        #expect(series.step == 60)
        #expect(series.span == 180)
    }

    @Test func byteOrderMarkCarriageReturnsSpacesAndBlankLinesAreAccepted() throws {
        let text = "\u{FEFF}timestamp_seconds, gpus\r\n\r\n 0 ,1\r\n  \r\n60,\t2\r\n"
        #expect(try parse(text) == .demand(try #require(DemandSeries(times: [0, 60], gpus: [1, 2]))))
    }

    @Test func jobListIsReadWithAndWithoutKindAndSortedBySubmission() throws {
        let withKind = try parse("submit_seconds,duration_seconds,gpus,kind\n100,60,0.5,BE_Failed\n0,30,8,LS_Running\n50,10,1,\n")
        #expect(withKind == .jobs(JobList(jobs: [
            TraceJob(submit: 0, duration: 30, gpus: 8, kind: "LS_Running"),
            TraceJob(submit: 50, duration: 10, gpus: 1, kind: nil),
            TraceJob(submit: 100, duration: 60, gpus: 0.5, kind: "BE_Failed"),
        ])))
        let withoutKind = try parse("submit_seconds,duration_seconds,gpus\n5,6,7")
        #expect(withoutKind == .jobs(JobList(jobs: [TraceJob(submit: 5, duration: 6, gpus: 7)])))
    }

    /// The optional `schedule` column (issue #21), alone or with `kind` in either order: the CronJob a
    /// row's job was created by, empty for an ad-hoc job.
    @Test func jobListReadsTheScheduleColumn() throws {
        let tagged = try parse("submit_seconds,duration_seconds,gpus,schedule\n0,10800,8,ml/retrain-nightly\n5,60,1,\n9,60,1,retrain.v2\n")
        #expect(tagged == .jobs(JobList(jobs: [
            TraceJob(submit: 0, duration: 10800, gpus: 8, schedule: "ml/retrain-nightly"),
            TraceJob(submit: 5, duration: 60, gpus: 1),
            TraceJob(submit: 9, duration: 60, gpus: 1, schedule: "retrain.v2"),
        ])))
        let both = try parse("submit_seconds,duration_seconds,gpus,schedule,kind\n0,5,1,retrain,LS\n")
        #expect(both == .jobs(JobList(jobs: [TraceJob(submit: 0, duration: 5, gpus: 1, kind: "LS", schedule: "retrain")])))
        let reversed = try parse("submit_seconds,duration_seconds,gpus,kind,schedule\n0,5,1,LS,retrain\n")
        #expect(reversed == both)
    }

    static let expectedHeaders = "expected \"timestamp_seconds,gpus\" (demand series) or "
        + "\"submit_seconds,duration_seconds,gpus[,kind][,schedule]\" (job list)"
    static let notACronJob = "is not a CronJob name: expected NAME or NAMESPACE/NAME (lowercase letters, digits and '-', "
        + "a name may also hold '.'), or empty for a job no CronJob created"

    @Test(arguments: [
        ("", "bad.csv:1: empty file; \(expectedHeaders)"),
        ("\n\n", "bad.csv:2: empty file; \(expectedHeaders)"),
        ("time,gpus\n0,1\n", "bad.csv:1: unknown header \"time,gpus\"; \(expectedHeaders)"),
        ("\ntimestamp_seconds;gpus\n", "bad.csv:2: unknown header \"timestamp_seconds;gpus\"; \(expectedHeaders)"),
        ("timestamp_seconds,gpus\n", "bad.csv:2: no data rows after the header"),
        ("timestamp_seconds,gpus\n0,1\n60,x\n", "bad.csv:3: gpus \"x\" is not a number"),
        ("timestamp_seconds,gpus\n0,1\n60,-2\n", "bad.csv:3: gpus -2 is negative"),
        ("timestamp_seconds,gpus\n0,\n", "bad.csv:2: gpus is empty"),
        ("timestamp_seconds,gpus\n0,nan\n", "bad.csv:2: gpus \"nan\" is not a number"),
        ("timestamp_seconds,gpus\n0,inf\n", "bad.csv:2: gpus \"inf\" is not a number"),
        ("timestamp_seconds,gpus\n0,1e400\n", "bad.csv:2: gpus \"1e400\" is not a number"),
        ("timestamp_seconds,gpus\n0,0x10\n", "bad.csv:2: gpus \"0x10\" is not a number"),
        ("timestamp_seconds,gpus\n1.5.2,1\n", "bad.csv:2: timestamp_seconds \"1.5.2\" is not a number"),
        ("timestamp_seconds,gpus\n0,1\n120,1\n60,1\n",
         "bad.csv:4: timestamp_seconds 60 is not after 120 on line 3; timestamps must increase"),
        ("timestamp_seconds,gpus\n0,1\n\n0,1\n",
         "bad.csv:4: timestamp_seconds 0 is not after 0 on line 2; timestamps must increase"),
        ("timestamp_seconds,gpus\n0,1,2\n", "bad.csv:2: expected 2 columns (timestamp_seconds,gpus), found 3"),
        ("timestamp_seconds,gpus\n0,1\n60\n", "bad.csv:3: expected 2 columns (timestamp_seconds,gpus), found 1"),
        ("timestamp_seconds,gpus\n\n0,1\n\n60,x", "bad.csv:5: gpus \"x\" is not a number"),
        ("submit_seconds,duration_seconds,gpus\n0,-5,1\n", "bad.csv:2: duration_seconds -5 is negative"),
        ("submit_seconds,duration_seconds,gpus\n-1,5,1\n", "bad.csv:2: submit_seconds -1 is negative"),
        ("submit_seconds,duration_seconds,gpus,kind\n0,5,1\n",
         "bad.csv:2: expected 4 columns (submit_seconds,duration_seconds,gpus,kind), found 3"),
        ("submit_seconds,duration_seconds,gpus\n0,5,one\n", "bad.csv:2: gpus \"one\" is not a number"),
        ("submit_seconds,duration_seconds,gpus,kind\n", "bad.csv:2: no data rows after the header"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,ml/retrain\n60,5,1,Retrain\n",
         "bad.csv:3: schedule \"Retrain\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,ml/nightly/retrain\n", "bad.csv:2: schedule \"ml/nightly/retrain\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,ml.team/retrain\n", "bad.csv:2: schedule \"ml.team/retrain\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,/retrain\n", "bad.csv:2: schedule \"/retrain\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,retrain-\n", "bad.csv:2: schedule \"retrain-\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1,re train\n", "bad.csv:2: schedule \"re train\" \(notACronJob)"),
        ("submit_seconds,duration_seconds,gpus,schedule\n0,5,1\n",
         "bad.csv:2: expected 4 columns (submit_seconds,duration_seconds,gpus,schedule), found 3"),
        ("submit_seconds,duration_seconds,gpus,schedule,schedule\n0,5,1,a,a\n",
         "bad.csv:1: unknown header \"submit_seconds,duration_seconds,gpus,schedule,schedule\"; \(expectedHeaders)"),
    ])
    func badFilesNameFileLineAndProblem(text: String, expected: String) {
        #expect(throws: TraceFormatError.self) { try parse(text, file: "bad.csv") }
        do {
            _ = try parse(text, file: "bad.csv")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func unreadableFileIsReportedWithoutLine() {
        let path = scratchFile("missing.csv")
        do {
            _ = try Trace(contentsOfFile: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.file == path)
            #expect(error.line == nil)
            #expect(error.description.hasPrefix("\(path): cannot read: "))
        }
    }

    @Test(arguments: ["0", "80.98", "0.1", "1e3", "2.5E-3", ".5", "5.", "+2", "-7.25", "0000123.4500",
                      "123456789012345678901234", "0.30000000000000004", "9007199254740993", "1e22", "1e-22",
                      "3.141592653589793238462643383279"])
    func numbersMatchTheStandardLibrary(text: String) throws {
        let expected = try #require(Double(text))
        let parsed = Array(text.utf8).withUnsafeBufferPointer { CSVNumber.parse($0) }
        #expect(parsed == expected)
    }

    @Test(arguments: ["", "-", ".", "e5", "1e", "1e+", "1..2", "1-2", "nan", "inf", "0x1p3", "1 2", "١"])
    func malformedNumbersAreRejected(text: String) {
        #expect(Array(text.utf8).withUnsafeBufferPointer { CSVNumber.parse($0) } == nil)
    }
}
