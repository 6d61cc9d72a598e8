import Testing
import Traces

@Suite struct JobListTests {
    @Test func demandViewCountsJobsRunningAtTheStartOfEachStep() throws {
        let jobs = JobList(jobs: [
            TraceJob(submit: 0, duration: 120, gpus: 2),     // running at 0 and 60, not at 120
            TraceJob(submit: 30, duration: 60, gpus: 1),     // running at 60 only
            TraceJob(submit: 60, duration: 0, gpus: 5),      // never running
            TraceJob(submit: 150, duration: 30, gpus: 1.5),  // ends at 180, between grid points
        ])
        let series = try #require(jobs.demandSeries(step: 60))
        #expect(series.times == [0, 60, 120])
        #expect(series.gpus == [2, 3, 0])
    }

    @Test func fractionalGPUsSumWithoutDrift() throws {
        let jobs = JobList(jobs: (0..<1_000).map { TraceJob(submit: Double($0), duration: 60, gpus: 0.1) }
            + [TraceJob(submit: 0, duration: 5_000, gpus: 0.3)])
        let series = try #require(jobs.demandSeries(step: 60))
        #expect(series.gpus[1] == 6.3)      // jobs submitted in (0, 60] hold at t = 60, plus the long one
        #expect(series.gpus.last == 0.3)
    }

    @Test func emptyListHasNoDemandSeries() {
        #expect(JobList(jobs: []).demandSeries() == nil)
        #expect(JobList(jobs: [TraceJob(submit: 0, duration: 0, gpus: 1)]).demandSeries() == nil)
        #expect(JobList(jobs: [TraceJob(submit: 0, duration: 10, gpus: 1)]).demandSeries(step: 0) == nil)
    }
}
