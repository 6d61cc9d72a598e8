import ArgumentParser

extension Fleetcast {
    /// `fleetcast trace`: the group for working with demand traces.
    struct TraceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trace",
            abstract: "Generate synthetic GPU-demand traces and summarise trace files.",
            discussion: """
                Traces are CSV files in one of two formats, told apart by the header:
                  timestamp_seconds,gpus                        demand series, one row per step (minute)
                  submit_seconds,duration_seconds,gpus[,kind]   job list, one row per job or pod
                `fleetcast simulate` and `fleetcast forecast` read both.
                """,
            subcommands: [TraceGenerate.self, TraceStats.self]
        )
    }
}
