import Testing
import Traces

/// The published traces in `../shared/data/traces`, checked against the figures in their README.
@Suite struct RealTraceTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var days: Double
        var peak: Double
        var mean: Double
        /// Our detrended autocorrelation at 1 and 7 days (see `Seasonality`), and the README's.
        var daily: Double
        var weekly: Double?
        var readmeDaily: Double?
        var readmeWeekly: Double?
        var testDescription: String { file }
    }

    static let demandSeries: [Expected] = [
        Expected(file: "servegen_m_small_gpus_1min.csv", days: 14, peak: 388, mean: 120,
                 daily: 0.56, weekly: nil, readmeDaily: 0.53, readmeWeekly: nil),
        Expected(file: "helios_earth_gpu_demand_1min.csv", days: 19, peak: 933, mean: 706,
                 daily: 0.43, weekly: 0.30, readmeDaily: 0.43, readmeWeekly: 0.23),
        Expected(file: "philly_active_nodes_1min.csv", days: 49, peak: 450, mean: 305,
                 daily: 0.04, weekly: 0.22, readmeDaily: 0.04, readmeWeekly: 0.18),
        Expected(file: "alibaba_dlrm_gpu_instances_1min.csv", days: 31, peak: 3413, mean: 3195,
                 daily: 0.12, weekly: 0.03, readmeDaily: nil, readmeWeekly: nil),
    ]

    @Test(arguments: demandSeries)
    func demandSeriesMatchTheReadme(expected: Expected) throws {
        let trace = try Trace(contentsOfFile: try realTracePath(expected.file))
        guard case .demand(let series) = trace else { Issue.record("not a demand series"); return }
        #expect(series.isRegular)
        #expect(series.step == 60)
        let stats = series.statistics()
        #expect((stats.span / 86_400).rounded() == expected.days)
        #expect(stats.peak.rounded() == expected.peak)
        #expect(stats.mean.rounded() == expected.mean)
        let daily = try #require(stats.dailyAutocorrelation)
        #expect(abs(daily - expected.daily) < 0.005)
        if let readme = expected.readmeDaily { #expect(abs(daily - readme) < 0.05) }
        if let weekly = expected.weekly {
            let actual = try #require(stats.weeklyAutocorrelation)
            #expect(abs(actual - weekly) < 0.005)
            if let readme = expected.readmeWeekly { #expect(abs(actual - readme) < 0.08) }
        } else {
            #expect(stats.weeklyAutocorrelation == nil)
        }
    }

    @Test func alibabaJobListReproducesItsPublishedSeries() throws {
        let jobs = try Trace(contentsOfFile: try realTracePath("alibaba_dlrm_gpu_instances_jobs.csv"))
        let published = try Trace(contentsOfFile: try realTracePath("alibaba_dlrm_gpu_instances_1min.csv"))
        guard case .jobs(let list) = jobs, case .demand(let series) = published else {
            Issue.record("unexpected formats")
            return
        }
        #expect(list.jobs.count == 7_386)
        #expect(list.jobs.allSatisfy { $0.gpus == 1 && $0.kind?.hasPrefix("dlrm_app_") == true })
        // The job list's times are whole seconds, rounded from the source independently of the series, so
        // 10 of 44,626 minutes differ by 1–3 instances where a job starts or ends within a second of a minute.
        let view = try #require(list.demandSeries(step: 60))
        #expect(view.times == series.times)
        let differences = zip(view.gpus, series.gpus).map { abs($0 - $1) }.filter { $0 > 0 }
        #expect(differences.count <= 10)
        #expect(differences.allSatisfy { $0 <= 3 })
    }

    @Test func openbJobListHasFractionalGPUsAndKinds() throws {
        let trace = try Trace(contentsOfFile: try realTracePath("alibaba_openb_gpu_pods_jobs.csv"))
        guard case .jobs(let list) = trace else { Issue.record("not a job list"); return }
        #expect(list.jobs.count == 7_064)
        #expect(list.jobs.contains { $0.gpus < 1 })
        #expect(Set(list.jobs.compactMap(\.kind)).contains("LS_Running"))
        let series = try #require(trace.demandSeries())
        #expect(series.gpus.allSatisfy { $0 >= 0 })
        #expect(series.end >= list.jobs.map(\.end).max() ?? 0)
    }
}
