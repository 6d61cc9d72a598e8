import FleetcastTesting
import Forecasting
import Foundation
import Testing
@testable import PrometheusDemand

/// `PrometheusClient` against a real Prometheus holding 14 days of the ServeGen trace.
@Suite("PrometheusClient against a real Prometheus", .serialized)
struct PrometheusClientTests {
    static let week: TimeInterval = 7 * 86_400
    static let anchor = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / week).rounded(.down) * week - 2 * week)
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func withServer(_ body: (PrometheusServer, PrometheusClient, [(Double, Double)]) async throws -> Void) async throws {
        let trace = try TestResources.trace("servegen_m_small_gpus_1min.csv", packageRoot: packageRoot)
        let server = try await PrometheusServer.start(blocks: try await TraceBlocks.blocks(trace: trace, anchor: anchor, days: 14))
        do {
            let client = try PrometheusClient(configuration: PrometheusConfiguration(url: server.url, timeout: 30))
            try await body(server, client, try TraceBlocks.rows(trace: trace, days: 14))
        } catch {
            server.stop()
            throw error
        }
        server.stop()
    }

    /// 14 days at one minute is 20,161 points: three requests of at most 10,000, joined into the one
    /// series, every value the trace's.
    @Test func longRangesAreSplitAndJoinedExactly() async throws {
        try await Self.withServer { _, client, rows in
            let end = Self.anchor.addingTimeInterval(14 * 86_400 - 60)
            let series = try await client.queryRange(TraceBlocks.query, start: Self.anchor, end: end, step: 60)
            #expect(series.count == 1)
            let samples = try #require(series.first?.samples)
            #expect(samples.count == rows.count)
            #expect(zip(samples, rows).allSatisfy { $0.time.timeIntervalSince1970 == Self.anchor.timeIntervalSince1970 + $1.0 && $0.value == $1.1 })
        }
    }

    /// The backfill's bins are the trace's 5-minute peaks, bin for bin.
    @Test func backfillBinsAreTheTracesFiveMinutePeaks() async throws {
        try await Self.withServer { _, client, rows in
            let now = Self.anchor.addingTimeInterval(14 * 86_400)
            let (history, report) = try await client.backfill(historyQuery: TraceBlocks.query, step: 300, history: 14 * 86_400,
                                                              retention: 14 * 86_400 + 600, now: now)
            #expect(report.filledBins == 4032 && report.missingBins == 0, "\(report.summary)")
            var expected = DemandHistory(step: 300, retention: 14 * 86_400 + 600)
            for (time, gpus) in rows { expected.record(gpus: gpus, at: Self.anchor.addingTimeInterval(time)) }
            let first = history.binIndex(of: Self.anchor)
            #expect(history.peakSeries(fromBin: first, toBin: first + 4032) == expected.peakSeries(fromBin: first, toBin: first + 4032))
        }
    }

    /// Instant queries, and errors as Prometheus words them (HTTP 400 bad_data from the real server).
    @Test func instantQueriesAndPrometheusErrors() async throws {
        try await Self.withServer { _, client, rows in
            let at = Self.anchor.addingTimeInterval(3600)
            let live = try await client.liveDemand(TraceBlocks.query, at: at)
            #expect(live == rows.first { $0.0 == 3600 }?.1)
            await #expect(throws: DemandQueryError.emptyResult) { try await client.liveDemand("sum(absent_metric)", at: at) }
            do throws(PrometheusError) {
                _ = try await client.query("sum(", at: at)
                Issue.record("a parse error was accepted")
            } catch {
                guard case .api(let type, let message, let status) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(type == "bad_data")
                #expect(status == 400)
                #expect(message.contains("parse error"), "\(message)")
            }
        }
    }

    /// Nothing listening: the transport's failure, not a crash, and quickly (one retry).
    @Test func refusedConnectionIsUnavailable() async throws {
        let port = try LoopbackPort.free()
        let client = try PrometheusClient(configuration: PrometheusConfiguration(url: "http://127.0.0.1:\(port)", timeout: 5))
        do throws(PrometheusError) {
            _ = try await client.query("up", at: Date())
            Issue.record("a refused connection answered")
        } catch {
            guard case .unavailable = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    /// Flags that cannot make a client are refused with the flag's name.
    @Test(arguments: [
        (PrometheusConfiguration(url: "prometheus:9090"), "--prometheus-url"),
        (PrometheusConfiguration(url: "http://127.0.0.1:9090", bearerTokenFile: "/etc/hostname"), "not https://"),
        (PrometheusConfiguration(url: "https://127.0.0.1:9090", certificateAuthorityFile: "/nonexistent/ca.pem"), "--prometheus-ca-file"),
        (PrometheusConfiguration(url: "http://127.0.0.1:9090", timeout: 0), "--prometheus-timeout"),
    ])
    func unusableConfigurationsNameTheFlag(_ configuration: PrometheusConfiguration, _ words: String) {
        #expect(throws: PrometheusError.self) { try configuration.clientConfiguration() }
        do throws(PrometheusError) {
            _ = try configuration.clientConfiguration()
        } catch {
            #expect(error.description.contains(words), "\(error)")
        }
    }
}
