import ArgumentParser
import FleetcastCLI
import Foundation
import Traces

extension Fleetcast {
    struct TraceGenerate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a realistic synthetic demand trace (timestamp_seconds,gpus).",
            discussion: """
                Profiles:
                  inference-diurnal  online inference: strong daily cycle (trough 01-05 h, peak 20-21 h), \
                quieter weekends, bursts, slow growth
                  training-cluster   a shared training queue: jobs of 1-64 GPUs for minutes to days, weekday \
                working-hours submissions, sweeps, multi-day swings
                  mixed              both on one pool

                Each --schedule "CRON,DURATION,GPUS" adds GPUS while a window opened by the five-field CRON \
                expression lasts DURATION (Go syntax: 90m, 3h), in --time-zone. Repeat it for several \
                schedules. Example:

                  fleetcast trace generate --profile mixed --days 28 --seed 7 \\
                    --schedule "0 2 * * *,3h,32" -o demo-trace.csv

                One row per minute from t = 0 at midnight of --start in --time-zone. The same arguments \
                always produce the same file (SplitMix64 seeded by --seed).

                Exit codes: 0 written; 2 usage error (bad profile, schedule, date) or the output cannot be \
                written.
                """
        )

        @Option(help: ArgumentHelp("inference-diurnal, training-cluster or mixed.", valueName: "profile"))
        var profile: String

        @Option(help: "Length of the trace in days (1-3650).")
        var days: Int

        @Option(help: "Random seed; the same seed gives the same trace.")
        var seed: UInt64

        @Option(name: .customLong("schedule"),
                help: ArgumentHelp("A recurring load \"CRON,DURATION,GPUS\", e.g. \"0 2 * * *,3h,32\". Repeatable.",
                                   valueName: "cron,duration,gpus"))
        var schedules: [String] = []

        @Option(help: ArgumentHelp("IANA time zone of the schedules and of --start.", valueName: "zone"))
        var timeZone = "UTC"

        @Option(help: ArgumentHelp("First day of the trace, YYYY-MM-DD (its weekday shapes the weekly cycle).",
                                   valueName: "date"))
        var start = "2026-01-05"

        @Option(name: [.customShort("o"), .customLong("output")],
                help: ArgumentHelp("Write the CSV here instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            _ = try configuration()
        }

        /// The generator configuration, or a usage error naming the bad option.
        func configuration() throws -> SyntheticTraceConfiguration {
            guard let profile = TraceProfile(rawValue: profile) else {
                let known = TraceProfile.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--profile \"\(self.profile)\": expected one of \(known)")
            }
            guard (1...3_650).contains(days) else {
                throw ValidationError("--days \(days): must be between 1 and 3650")
            }
            guard let zone = TimeZone(identifier: timeZone) else {
                throw ValidationError("--time-zone \"\(timeZone)\": not an IANA time zone (e.g. Europe/Berlin)")
            }
            let origin = try midnight(of: start, in: zone)
            var parsed: [TraceSchedule] = []
            for text in schedules {
                do {
                    parsed.append(try TraceScheduleArgument(parsing: text).schedule(in: zone))
                } catch {
                    throw ValidationError(error.description)
                }
            }
            return SyntheticTraceConfiguration(profile: profile, days: days, seed: seed, origin: origin,
                                               schedules: parsed)
        }

        private func midnight(of date: String, in zone: TimeZone) throws -> Date {
            let parts = date.split(separator: "-").map { Int($0) }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
                  let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day)),
                  calendar.component(.day, from: midnight) == day else {
                throw ValidationError("--start \"\(date)\": expected a date YYYY-MM-DD")
            }
            return midnight
        }

        func run() throws {
            guard let series = try configuration().generate() else {
                throw ValidationError("cannot generate a trace from these options")
            }
            let csv = series.csv()
            guard let output else {
                FileHandle.standardOutput.write(Data(csv.utf8))
                return
            }
            do {
                try Data(csv.utf8).write(to: URL(fileURLWithPath: output))
            } catch {
                FileHandle.standardError.write(Data(
                    "fleetcast trace generate: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(ExitStatus.usageOrIO)
            }
            let stats = series.statistics()
            FileHandle.standardError.write(Data(String(
                format: "wrote %@: %d rows, peak %.2f GPUs, mean %.2f GPUs\n",
                output, series.count, stats.peak, stats.mean).utf8))
        }
    }
}
