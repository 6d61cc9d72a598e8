import ArgumentParser

extension Fleetcast {
    /// `fleetcast trace`: the group for working with demand traces.
    struct TraceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trace",
            abstract: "Generate synthetic GPU-demand traces, export them from Prometheus, and summarise trace files.",
            discussion: """
                Traces are CSV files in one of two formats, told apart by the header:
                  timestamp_seconds,gpus                                   demand series, one row per step (minute)
                  submit_seconds,duration_seconds,gpus[,kind][,schedule]   job list, one row per job or pod; \
                schedule names the CronJob (NAME or NAMESPACE/NAME) that created the job, empty for an ad-hoc one
                `fleetcast simulate` and `fleetcast forecast` read both. `trace export` writes a demand series \
                from a Prometheus query.
                """,
            subcommands: [TraceGenerate.self, TraceStats.self, TraceExport.self]
        )
    }
}
