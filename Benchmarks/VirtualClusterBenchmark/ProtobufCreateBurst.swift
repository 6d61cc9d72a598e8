import Foundation
import KubeAPI
import VirtualCluster

/// A burst of pod creations as a typed Go client sends it (protobuf) against the same burst in JSON
/// (kubectl ≤ 1.31, the Python client): the decode alone, then the whole in-process create path.
/// Run through hack/bench/virtual-cluster-protobuf.sh (release build, `BENCH_MODE=protobuf`).
enum ProtobufCreateBurst {
    static func pod(_ index: Int, namespace: String) -> JSONValue {
        let json = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"trainer-\(index)","namespace":"\(namespace)",
          "labels":{"app":"trainer","shard":"s\(index % 10)"},"annotations":{"fleetcast.dev/pool":"a100"}},
         "spec":{"containers":[{"name":"main","image":"registry.local/trainer:1.\(index % 7)","args":["--epochs","3"],
           "env":[{"name":"RANK","value":"\(index)"},{"name":"WORLD","value":"10000"}],
           "ports":[{"containerPort":8080,"name":"metrics","protocol":"TCP"}],
           "resources":{"limits":{"nvidia.com/gpu":"1","memory":"16Gi"},"requests":{"nvidia.com/gpu":"1","memory":"16Gi","cpu":"4"}}}],
          "nodeSelector":{"fleetcast.dev/pool":"a100"},"terminationGracePeriodSeconds":30,
          "tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]}}
        """
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))) ?? .null
    }

    static func run(podCount: Int) async throws {
        let objects = (0..<podCount).map { pod($0, namespace: "default") }
        let jsonBodies = objects.map { Data($0.jsonTextForBenchmark.utf8) }
        let protobufBodies = objects.compactMap(KubernetesProtobuf.encode)
        guard protobufBodies.count == podCount else { throw BenchmarkError("pods without a protobuf encoding") }

        // Decode only, best of 3: bytes → the JSONValue every route takes.
        var jsonDecode: [Double] = []
        var protobufDecode: [Double] = []
        for _ in 0..<3 {
            var start = ContinuousClock.now
            for body in jsonBodies { _ = try JSONDecoder().decode(JSONValue.self, from: body) }
            jsonDecode.append((ContinuousClock.now - start).seconds)
            start = ContinuousClock.now
            for body in protobufBodies { _ = try KubernetesProtobuf.decode(body) }
            protobufDecode.append((ContinuousClock.now - start).seconds)
        }
        guard try KubernetesProtobuf.decode(protobufBodies[0]) == objects[0] else { throw BenchmarkError("protobuf round trip differs") }

        // The whole create path in-process (routing, preparation, validation, store commit), one fresh
        // cluster per format.
        let jsonCreate = try await createBurst(jsonBodies.map { ($0, "application/json") })
        let protobufCreate = try await createBurst(protobufBodies.map { (Data($0), KubernetesProtobuf.mediaType) })

        let jsonBytes = jsonBodies.map(\.count).reduce(0, +)
        let protobufBytes = protobufBodies.map(\.count).reduce(0, +)
        func perPod(_ seconds: Double) -> String { String(format: "%.1f µs/pod", seconds / Double(podCount) * 1e6) }
        print("| measurement (\(podCount) pods) | JSON | protobuf |")
        print("|---|---|---|")
        print("| request bodies | \(jsonBytes / 1024) KiB (\(jsonBytes / podCount) B/pod) | \(protobufBytes / 1024) KiB (\(protobufBytes / podCount) B/pod) |")
        print("| decode to JSONValue (best of 3) | \(ms(jsonDecode.min() ?? 0)) ms, \(perPod(jsonDecode.min() ?? 0)) | \(ms(protobufDecode.min() ?? 0)) ms, \(perPod(protobufDecode.min() ?? 0)) |")
        print("| in-process create burst (decode + prepare + commit) | \(ms(jsonCreate)) ms, \(perPod(jsonCreate)) | \(ms(protobufCreate)) ms, \(perPod(protobufCreate)) |")
    }

    static func createBurst(_ bodies: [(Data, String)]) async throws -> Double {
        var configuration = VirtualClusterConfiguration()
        configuration.logger.logLevel = .error
        let cluster = try await VirtualCluster.start(configuration)
        let start = ContinuousClock.now
        for (body, contentType) in bodies {
            _ = try await cluster.serve(method: "POST", path: "/api/v1/namespaces/default/pods", body: body, contentType: contentType)
        }
        let seconds = (ContinuousClock.now - start).seconds
        await cluster.shutdown()
        return seconds
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.0f", seconds * 1000) }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// Compact JSON through Foundation (the benchmark sees only the module's public API).
    var jsonTextForBenchmark: String {
        (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
