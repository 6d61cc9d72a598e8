import Foundation
import Testing

@Suite("fleetcast trace (the built binary)")
struct TraceCommandTests {
    @Test func sameSeedWritesIdenticalTraces() async throws {
        let arguments = ["trace", "generate", "--profile", "mixed", "--days", "3", "--seed", "11",
                         "--schedule", "0 2,14 * * *,90m,16", "--schedule", "@weekly,1h30m,8"]
        let first = try await FleetcastBinary.run(arguments)
        let second = try await FleetcastBinary.run(arguments)
        let otherSeed = try await FleetcastBinary.run(arguments.map { $0 == "11" ? "12" : $0 })
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != otherSeed.stdout)
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.first == "timestamp_seconds,gpus")
        #expect(lines.count == 1 + 3 * 1_440)
        #expect(lines.last?.hasPrefix("259140,") == true)
    }

    @Test func generatedFileFeedsStats() async throws {
        let directory = try FleetcastBinary.directory(with: [:])
        let file = directory.appendingPathComponent("demo.csv").path
        let generated = try await FleetcastBinary.run(["trace", "generate", "--profile", "inference-diurnal",
                                                 "--days", "15", "--seed", "3", "-o", file])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.isEmpty)
        #expect(generated.stderr.hasPrefix("wrote \(file): 21600 rows, peak "))

        let stats = try await FleetcastBinary.run(["trace", "stats", file])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("format:   demand series, 21600 rows"))
        #expect(stats.stdout.contains("span:     15.00 days (1296000 s)"))
        #expect(!stats.stdout.contains("n/a"))

        let json = try await FleetcastBinary.run(["trace", "stats", "--json", file])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 21_600)
        #expect(object["format"] as? String == "demandSeries")
        #expect((object["dailyAutocorrelation"] as? Double ?? 0) > 0.5)
    }

    @Test func statsOfARealJobList() async throws {
        let path = ["../shared/data/traces", "../../shared/data/traces"]
            .map { FleetcastBinary.repositoryRoot.appendingPathComponent($0)
                .appendingPathComponent("alibaba_dlrm_gpu_instances_jobs.csv").standardized.path }
            .first { FileManager.default.isReadableFile(atPath: $0) }
        let result = try await FleetcastBinary.run(["trace", "stats", try #require(path)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("format:   job list, 7386 rows, summarised per minute"))
        #expect(result.stdout.contains("peak:     3413.00 GPUs"))
    }

    /// A job list with the `schedule` column (issue #21) is summarised like any job list, and a malformed
    /// CronJob name is an error with its file and line.
    @Test func statsReadTheScheduleColumn() async throws {
        let directory = try FleetcastBinary.directory(with: [
            "tagged.csv": "submit_seconds,duration_seconds,gpus,schedule\n0,120,8,ml/retrain\n60,60,4,\n",
            "bad.csv": "submit_seconds,duration_seconds,gpus,schedule\n0,120,8,ml/retrain\n60,60,4,ML Retrain\n",
        ])
        let stats = try await FleetcastBinary.run(["trace", "stats", directory.appendingPathComponent("tagged.csv").path])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("format:   job list, 2 rows, summarised per minute"), "\(stats.stdout)")
        #expect(stats.stdout.contains("peak:     12.00 GPUs"), "\(stats.stdout)")
        let bad = try await FleetcastBinary.run(["trace", "stats", directory.appendingPathComponent("bad.csv").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.csv:3: schedule \"ML Retrain\" is not a CronJob name"), "\(bad.stderr)")
    }

    @Test(arguments: [
        (["--profile", "nightly", "--days", "2", "--seed", "1"],
         "Error: --profile \"nightly\": expected one of inference-diurnal, training-cluster, mixed"),
        (["--profile", "mixed", "--days", "0", "--seed", "1"], "Error: --days 0: must be between 1 and 3650"),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--schedule", "0 25 * * *,3h,32"],
         "Error: --schedule \"0 25 * * *,3h,32\": cron: hour field \"25\": 25 is out of range 0-23"),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--schedule", "0 2 * * *,3 hours,32"],
         "Error: --schedule \"0 2 * * *,3 hours,32\": duration: "),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--schedule", "0 2 * * *,3h,-4"],
         "Error: --schedule \"0 2 * * *,3h,-4\": GPUs: \"-4\" is not a positive number"),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--schedule", "3h,32"],
         "Error: --schedule \"3h,32\": expected CRON,DURATION,GPUS, for example \"0 2 * * *,3h,32\""),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--time-zone", "Mars/Olympus"],
         "Error: --time-zone \"Mars/Olympus\": not an IANA time zone (e.g. Europe/Berlin)"),
        (["--profile", "mixed", "--days", "2", "--seed", "1", "--start", "2026-02-30"],
         "Error: --start \"2026-02-30\": expected a date YYYY-MM-DD"),
    ])
    func badGenerateOptionsAreUsageErrors(options: [String], message: String) async throws {
        let result = try await FleetcastBinary.run(["trace", "generate"] + options)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }

    @Test func badTraceFileExitsOneWithFileAndLine() async throws {
        let directory = try FleetcastBinary.directory(with: ["bad.csv": "timestamp_seconds,gpus\n0,1\n60,lots\n"])
        let file = directory.appendingPathComponent("bad.csv").path
        let result = try await FleetcastBinary.run(["trace", "stats", file])
        #expect(result.status == 1)
        #expect(result.stderr == "\(file):3: gpus \"lots\" is not a number\n")
    }

    @Test func unreadableTraceFileExitsTwo() async throws {
        let result = try await FleetcastBinary.run(["trace", "stats", "/nonexistent/trace.csv"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("/nonexistent/trace.csv: cannot read: "))
    }
}
