// Measures the virtual cluster over real loopback HTTP: a LIST of 10,000 pods, and 100 concurrent
// watchers each receiving 1,000 events. Run through hack/bench/virtual-cluster.sh (release build).
import Foundation
import NIOCore
import NIOPosix
import VirtualCluster

/// Resident memory of this process in MiB (Linux /proc).
func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kib / 1024
}

/// A minimal HTTP/1.1 client handler: counts body bytes and event lines of one response, and
/// completes when `target` events arrived, the Content-Length body is complete, or the peer closed.
final class LineCounter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private var header = ""
    private var headerDone = false
    private var contentLength: Int?
    private(set) var lines = 0
    private(set) var bytes = 0
    let target: Int
    let done: EventLoopPromise<Void>

    init(target: Int, done: EventLoopPromise<Void>) {
        self.target = target
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        var text = buffer.readString(length: buffer.readableBytes) ?? ""
        if !headerDone {
            header += text
            guard let range = header.range(of: "\r\n\r\n") else { return }
            headerDone = true
            let head = header[..<range.lowerBound].lowercased()
            if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
            }
            text = String(header[range.upperBound...])
        }
        bytes += text.utf8.count
        lines += text.components(separatedBy: "\n").filter { $0.contains("\"type\"") }.count
        if lines >= target || contentLength.map({ bytes >= $0 }) == true { done.succeed(()) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed(())
    }
}

func openWatch(group: any EventLoopGroup, port: Int, token: String, path: String, target: Int) async throws -> (any Channel, EventLoopFuture<Void>, LineCounter) {
    let loop = group.next()
    let done = loop.makePromise(of: Void.self)
    let counter = LineCounter(target: target, done: done)
    let channel = try await ClientBootstrap(group: loop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(counter) }
        }
        .connect(host: "127.0.0.1", port: port).get()
    let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: application/json\r\n\r\n"
    try await channel.writeAndFlush(ByteBuffer(string: request)).get()
    return (channel, done.futureResult, counter)
}

@main
struct VirtualClusterBenchmark {
    static func main() async throws {
        let podCount = Int(ProcessInfo.processInfo.environment["BENCH_PODS"] ?? "") ?? 10_000
        let watchers = Int(ProcessInfo.processInfo.environment["BENCH_WATCHERS"] ?? "") ?? 100
        let events = Int(ProcessInfo.processInfo.environment["BENCH_EVENTS"] ?? "") ?? 1_000
        if ProcessInfo.processInfo.environment["BENCH_MODE"] == "protobuf" {
            try await ProtobufCreateBurst.run(podCount: podCount)
            return
        }
        var configuration = VirtualClusterConfiguration()
        configuration.logger.logLevel = .error
        let cluster = try await VirtualCluster.start(configuration)
        let port = cluster.httpPort ?? 0
        let group = MultiThreadedEventLoopGroup.singleton
        let baseline = residentMiB()

        // Populate through the API (not timed as the headline, reported for reference).
        let createStart = ContinuousClock.now
        var manifest = ""
        for index in 0..<podCount {
            manifest += """
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pod-\(index), namespace: default, labels: {app: bench, shard: "s\(index % 10)"}}
            spec: {nodeName: node-\(index % 50), containers: [{name: c, image: busybox, resources: {limits: {nvidia.com/gpu: "1"}}}]}

            """
        }
        try await cluster.apply(manifestYAML: manifest, file: "bench-pods")
        let createSeconds = (ContinuousClock.now - createStart).seconds
        let afterPods = residentMiB()

        // LIST of every pod over HTTP, measured end to end (request to last byte), best of 5.
        var listTimes: [Double] = []
        var listBytes = 0
        for _ in 0..<5 {
            let start = ContinuousClock.now
            let (channel, done, counter) = try await openWatch(group: group, port: port, token: cluster.adminToken,
                                                              path: "/api/v1/namespaces/default/pods", target: Int.max)
            try await listUntilComplete(counter: counter, channel: channel, done: done)
            listTimes.append((ContinuousClock.now - start).seconds)
            listBytes = counter.bytes
        }

        // 100 watchers, then `events` modifications of one ConfigMap, each delivered to every watcher.
        _ = try await cluster.apply(manifestYAML: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hot, namespace: default}\ndata: {n: \"0\"}\n", file: "hot")
        var streams: [(any Channel, EventLoopFuture<Void>, LineCounter)] = []
        for _ in 0..<watchers {
            streams.append(try await openWatch(group: group, port: port, token: cluster.adminToken,
                                               path: "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=\(cluster.resourceVersion)&fieldSelector=metadata.name%3Dhot",
                                               target: events))
        }
        while cluster.openWatchCount < watchers { try await Task.sleep(for: .milliseconds(10)) }
        let watchStart = ContinuousClock.now
        for index in 1...events {
            try await cluster.apply(manifestYAML: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hot, namespace: default}\ndata: {n: \"\(index)\"}\n", file: "hot")
        }
        let commitSeconds = (ContinuousClock.now - watchStart).seconds
        for (_, done, _) in streams { try await done.get() }
        let watchSeconds = (ContinuousClock.now - watchStart).seconds
        let delivered = streams.map { $0.2.lines }.reduce(0, +)
        let peak = residentMiB()
        for (channel, _, _) in streams { try? await channel.close() }
        await cluster.shutdown()

        let bestList = listTimes.min() ?? 0
        print("| measurement | value |")
        print("|---|---|")
        print("| pods created through the manifest loader | \(podCount) in \(String(format: "%.2f", createSeconds)) s |")
        print("| LIST \(podCount) pods over HTTP (best of 5, request to last byte) | \(String(format: "%.0f", bestList * 1000)) ms, \(listBytes / 1024) KiB |")
        print("| LIST median of 5 | \(String(format: "%.0f", (listTimes.sorted()[listTimes.count / 2]) * 1000)) ms |")
        print("| \(events) writes committed while \(watchers) watchers listen | \(String(format: "%.2f", commitSeconds)) s |")
        print("| watch events delivered (\(watchers) × \(events)) | \(delivered) in \(String(format: "%.2f", watchSeconds)) s = \(String(format: "%.0f", Double(delivered) / watchSeconds)) events/s |")
        print("| resident memory: start / with \(podCount) pods / after watch run | \(String(format: "%.0f", baseline)) / \(String(format: "%.0f", afterPods)) / \(String(format: "%.0f", peak)) MiB |")
    }

    static func listUntilComplete(counter: LineCounter, channel: any Channel, done: EventLoopFuture<Void>) async throws {
        try await done.get()
        try await channel.close()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
