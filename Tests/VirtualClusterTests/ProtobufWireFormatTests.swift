import FleetcastTesting
import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// The generic reader and writer: apimachinery's special shapes render the JSON the API server
/// stores, Go's omitempty rules for zero scalars, and write → read round trips.
@Suite("protobuf wire format")
struct ProtobufWireFormatTests {
    let schema = ProtobufSchema.builtin

    func message(_ name: String) throws -> ProtobufSchema.Message {
        try #require(schema.messages[name], "no message \(name)")
    }

    func read(_ writer: ProtobufWriter, as name: String) throws -> JSONValue {
        try ProtobufObjectReader().read(writer.bytes, as: try message(name))
    }

    static let special: [(String, String, @Sendable (inout ProtobufWriter) -> Void, JSONValue)] = [
        ("Quantity", "k8s.io.apimachinery.pkg.api.resource.Quantity", { $0.string(1, "500m") }, .string("500m")),
        ("zero Quantity", "k8s.io.apimachinery.pkg.api.resource.Quantity", { _ in }, .string("0")),
        ("Time", "k8s.io.apimachinery.pkg.apis.meta.v1.Time", { $0.varintField(1, 1_733_400_000) }, .string("2024-12-05T12:00:00Z")),
        ("Time drops nanoseconds", "k8s.io.apimachinery.pkg.apis.meta.v1.Time",
         { $0.varintField(1, 0); $0.varintField(2, 999_999_999) }, .string("1970-01-01T00:00:00Z")),
        ("zero Time is null", "k8s.io.apimachinery.pkg.apis.meta.v1.Time", { _ in }, .null),
        ("Time before 1970", "k8s.io.apimachinery.pkg.apis.meta.v1.Time", { $0.varintField(1, UInt64(bitPattern: -86_401)) },
         .string("1969-12-30T23:59:59Z")),
        ("MicroTime", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime",
         { $0.varintField(1, 1_733_400_000); $0.varintField(2, 123_456_789) }, .string("2024-12-05T12:00:00.123456Z")),
        ("Duration", "k8s.io.apimachinery.pkg.apis.meta.v1.Duration", { $0.varintField(1, 5_400_000_000_000) }, .string("1h30m0s")),
        ("sub-second Duration", "k8s.io.apimachinery.pkg.apis.meta.v1.Duration", { $0.varintField(1, 1_500_000) }, .string("1.5ms")),
        ("IntOrString int", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
         { $0.varintField(1, 0); $0.varintField(2, 8080); $0.string(3, "") }, .int(8080)),
        ("IntOrString string", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
         { $0.varintField(1, 1); $0.varintField(2, 0); $0.string(3, "25%") }, .string("25%")),
        ("negative IntOrString", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
         { $0.varintField(2, UInt64(bitPattern: -3)) }, .int(-3)),
        ("RawExtension", "k8s.io.apimachinery.pkg.runtime.RawExtension",
         { $0.lengthDelimited(1, Array(#"{"a":[1,true]}"#.utf8)) }, .object(["a": .array([.int(1), .bool(true)])])),
        ("FieldsV1", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1",
         { $0.lengthDelimited(1, Array(#"{"f:data":{}}"#.utf8)) }, .object(["f:data": .object([:])])),
        ("ExtraValue is an array", "k8s.io.api.authentication.v1.ExtraValue",
         { $0.string(1, "a"); $0.string(1, "b") }, .array([.string("a"), .string("b")])),
    ]

    @Test("special shapes render the API server's JSON", arguments: special.indices)
    func specialShapes(index: Int) throws {
        let (label, name, build, expected) = Self.special[index]
        var writer = ProtobufWriter()
        build(&writer)
        #expect(try read(writer, as: name) == expected, "\(label)")
        // Written back, the shape reads the same (the writer is the reader's inverse).
        let written = ProtobufSpecialShapes.write(try message(name).shape, expected)
        let again = try ProtobufObjectReader().read(try #require(written).bytes, as: try message(name))
        #expect(again == expected, "\(label) after a round trip")
    }

    @Test("maps: labels, Secret bytes as base64, resource lists of quantities, Times")
    func maps() throws {
        var entry = ProtobufWriter()
        entry.string(1, "token")
        entry.lengthDelimited(2, Array("s3cr3t".utf8))
        var secret = ProtobufWriter()
        secret.message(2, entry)
        var label = ProtobufWriter()
        label.string(1, "app")
        label.string(2, "web")
        var meta = ProtobufWriter()
        meta.string(1, "creds")
        meta.message(11, label)
        secret.message(1, meta)
        let decoded = try read(secret, as: "k8s.io.api.core.v1.Secret")
        #expect(decoded["data"]?["token"] == .string("czNjcjN0"))
        #expect(decoded["metadata"]?["labels"] == .object(["app": .string("web")]))

        var quantity = ProtobufWriter()
        quantity.string(1, "2Gi")
        var limit = ProtobufWriter()
        limit.string(1, "nvidia.com/gpu")
        limit.message(2, quantity)
        var requirements = ProtobufWriter()
        requirements.message(1, limit)
        #expect(try read(requirements, as: "k8s.io.api.core.v1.ResourceRequirements") == .object(["limits": .object(["nvidia.com/gpu": .string("2Gi")])]))

        // A map entry without its value holds the value type's zero (Go's behaviour).
        var bare = ProtobufWriter()
        bare.string(1, "empty")
        var configMap = ProtobufWriter()
        configMap.message(2, bare)
        #expect(try read(configMap, as: "k8s.io.api.core.v1.ConfigMap")["data"] == .object(["empty": .string("")]))
    }

    @Test("zero scalars: omitempty fields are left out, Go pointers and required fields are kept")
    func zeroScalars() throws {
        var meta = ProtobufWriter()
        meta.string(1, "web")
        meta.string(3, "")            // namespace: omitempty
        meta.varintField(7, 0)        // generation: omitempty
        var spec = ProtobufWriter()
        spec.varintField(1, 0)        // replicas: *int32, an explicit zero
        spec.varintField(5, 0)        // minReadySeconds: int32, omitempty
        spec.varintField(7, 0)        // paused: bool, omitempty
        var deployment = ProtobufWriter()
        deployment.message(1, meta)
        deployment.message(2, spec)
        let decoded = try read(deployment, as: "k8s.io.api.apps.v1.Deployment")
        #expect(decoded == .object(["metadata": .object(["name": .string("web")]), "spec": .object(["replicas": .int(0)])]))

        var priority = ProtobufWriter()
        priority.varintField(2, 0)    // PriorityClass.value has no omitempty
        priority.varintField(3, 0)    // globalDefault has
        #expect(try read(priority, as: "k8s.io.api.scheduling.v1.PriorityClass") == .object(["value": .int(0)]))

        var port = ProtobufWriter()
        port.string(1, "")            // ContainerPort.name: omitempty
        port.varintField(2, UInt64(bitPattern: -1))  // hostPort: int32 sign-extended to ten bytes
        port.varintField(3, 8080)
        #expect(try read(port, as: "k8s.io.api.core.v1.ContainerPort") == .object(["containerPort": .int(8080), "hostPort": .int(-1)]))
    }

    @Test("repeated scalars are read packed and unpacked")
    func packedRepeated() throws {
        var packed = ProtobufWriter()
        for value: UInt64 in [1000, 2000] { packed.varint(value) }
        var context = ProtobufWriter()
        context.lengthDelimited(4, packed.bytes)  // PodSecurityContext.supplementalGroups, packed
        context.varintField(4, 3000)              // and one more unpacked
        #expect(try read(context, as: "k8s.io.api.core.v1.PodSecurityContext") == .object(["supplementalGroups": .array([.int(1000), .int(2000), .int(3000)])]))
    }

    @Test("a pod written and read back is the same JSON, unknown members dropped")
    func podRoundTrip() throws {
        let json = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"trainer-0","namespace":"ml","labels":{"app":"trainer"},
         "creationTimestamp":"2025-01-02T03:04:05Z","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"trainer",
         "uid":"u-1","controller":true}],"managedFields":[{"manager":"kubectl","operation":"Update","fieldsType":"FieldsV1",
         "fieldsV1":{"f:metadata":{}},"time":"2025-01-02T03:04:05Z"}]},
         "spec":{"containers":[{"name":"main","image":"cuda:12","args":["--epochs","3"],
           "resources":{"limits":{"nvidia.com/gpu":"8","memory":"64Gi"},"requests":{"cpu":"500m"}},
           "ports":[{"containerPort":8080,"protocol":"TCP"}],
           "readinessProbe":{"httpGet":{"path":"/ready","port":"http"},"periodSeconds":5}}],
           "terminationGracePeriodSeconds":0,"nodeSelector":{"gpu":"a100"},
           "tolerations":[{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule","tolerationSeconds":30}]},
         "status":{"phase":"Running","startTime":"2025-01-02T03:05:00Z","conditions":[{"type":"Ready","status":"True",
           "lastTransitionTime":"2025-01-02T03:06:00Z"}]}}
        """
        let object = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let bytes = try #require(ProtobufEnvelope.encode(object))
        let decoded = try ProtobufEnvelope.decodeObject(bytes, expecting: "Pod")
        #expect(decoded == object)
        var extra = object
        extra.setValue(.string("dropped"), at: ["spec", "notAField"])
        #expect(try ProtobufEnvelope.decodeObject(try #require(ProtobufEnvelope.encode(extra)), expecting: "Pod") == object)
    }

    @Test("RFC 3339 times with offsets and fractions convert to the same instant")
    func timeParsing() throws {
        #expect(Timestamps.parse("2024-12-05T12:00:00Z")! == (1_733_400_000, 0))
        #expect(Timestamps.parse("2024-12-05T13:30:00.25+01:30")! == (1_733_400_000, 250_000_000))
        #expect(Timestamps.parse("2024-02-30T00:00:00Z") == nil)
        #expect(Timestamps.parse("yesterday") == nil)
    }

    @Test("the committed schema table is what hack/protobuf/generate-schema.py makes of k8s-proto")
    func schemaTableIsCurrent() throws {
        let protoDirectory = try #require(
            ["../shared/reference/k8s-proto", "../../shared/reference/k8s-proto"]
                .map { packageRoot.appendingPathComponent($0).standardized }
                .first { FileManager.default.fileExists(atPath: $0.path) },
            "shared/reference/k8s-proto not found beside the package")
        let python = try #require(ToolRun.onPath("python3"), "python3 not found")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("hack/protobuf/generate-schema.py").path,
                             "--proto-dir", protoDirectory.path, "--stdout"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let generated = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try Data(contentsOf: packageRoot.appendingPathComponent("Sources/VirtualCluster/Protobuf/ProtobufSchemaTable.swift"))
        #expect(generated == committed, "ProtobufSchemaTable.swift is stale: run `make protobuf-schema`")
    }
}
