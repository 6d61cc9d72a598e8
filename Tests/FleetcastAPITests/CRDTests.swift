import FleetcastAPI
import Foundation
import KubeAPI
import Testing
import Yams

@Suite("GPUPool CRD")
struct CRDTests {
    static let committed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("crds/fleetcast.dev_gpupools.yaml")

    @Test func committedFileMatchesGenerator() throws {
        let generated = try GPUPoolCRD.yaml()
        let onDisk = try String(contentsOf: Self.committed, encoding: .utf8)
        #expect(onDisk == generated, "crds/fleetcast.dev_gpupools.yaml is stale: run `make crd`")
    }

    /// A YAML 1.1 reader (the API server's, kubectl's, Yams') must read every enum value back as a
    /// string: an unquoted `True` would arrive as a boolean and reject every condition the operator writes.
    @Test func enumValuesReadBackAsStrings() throws {
        var offenders: [String] = []
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                if let values = object["enum"] as? [Any] {
                    offenders += values.filter { !($0 is String) }.map { "\(path).enum: \($0)" }
                }
                for (key, member) in object { walk(member, "\(path).\(key)") }
            } else if let items = value as? [Any] {
                for (index, item) in items.enumerated() { walk(item, "\(path)[\(index)]") }
            }
        }
        walk(try #require(try Yams.load(yaml: try GPUPoolCRD.yaml())), "crd")
        #expect(offenders.isEmpty, "enum values that YAML reads as non-strings: \(offenders)")
    }

    @Test func publishesNamesSubresourceAndColumns() throws {
        let crd = try #require(try Yams.load(yaml: try GPUPoolCRD.yaml()) as? [String: Any])
        let spec = try #require(crd["spec"] as? [String: Any])
        #expect(spec["scope"] as? String == "Namespaced")
        let names = try #require(spec["names"] as? [String: Any])
        #expect(names["shortNames"] as? [String] == ["gp"])
        #expect(names["categories"] as? [String] == ["fleetcast"])
        let version = try #require((spec["versions"] as? [[String: Any]])?.first)
        #expect((version["subresources"] as? [String: Any])?["status"] != nil)
        let columns = (version["additionalPrinterColumns"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(Array(columns.prefix(7)) == ["Mode", "Ready", "Desired", "Idle", "Demand", "Forecast Peak", "Age"])
    }

    /// Applies the CRD's `default:` values the way the API server does (top-down, recursing into
    /// defaulted objects) and checks the result equals `withDefaults()`: the two sources of defaults agree.
    @Test func schemaDefaultsEqualSwiftDefaults() throws {
        let minimal = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(Fixtures.minimalSpec))
        let defaulted = applyDefaults(minimal, try #require(GPUPoolSchema.root.property("spec")))
        let spec = try JSONDecoder().decode(GPUPoolSpec.self, from: JSONEncoder().encode(defaulted))
        #expect(spec == Fixtures.minimalSpec.withDefaults())
    }

    @Test func schemaDefaultsFillSchedulesTimeZone() throws {
        var spec = Fixtures.minimalSpec
        spec.schedules = [ScheduleSpec(name: "n", cron: "@daily", duration: .hours(1), gpus: 1)]
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(spec))
        let defaulted = applyDefaults(json, try #require(GPUPoolSchema.root.property("spec")))
        #expect(try JSONDecoder().decode(GPUPoolSpec.self, from: JSONEncoder().encode(defaulted)) == spec.withDefaults())
    }

    /// The standby tier's defaults (minNodes, resume, its target's replicasPath and semantics) agree too;
    /// `hourlyCost` stays absent in both, since its default reads `nodes.hourlyCost`.
    @Test func schemaDefaultsFillTheStandbyTier() throws {
        var spec = Fixtures.minimalSpec
        spec.warmPool = WarmPoolSpec(standby: StandbySpec(
            maxNodes: 3, target: ScaleTargetSpec(apiVersion: "autoscaling.x-k8s.io/v1alpha1", kind: "CapacityBuffer", name: "standby")))
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(spec))
        let defaulted = applyDefaults(json, try #require(GPUPoolSchema.root.property("spec")))
        let decoded = try JSONDecoder().decode(GPUPoolSpec.self, from: JSONEncoder().encode(defaulted))
        #expect(decoded == spec.withDefaults())
        #expect(decoded.warmPool?.standby?.resume == StartupSpec(expected: .minutes(1), quantile: 0.9))
        #expect(decoded.warmPool?.standby?.hourlyCost == nil)
    }

    @Test func everyObjectInTheSchemaIsTyped() {
        func walk(_ schema: Schema, _ path: String) -> [String] {
            var untyped: [String] = []
            if schema.description.isEmpty { untyped.append(path) }
            for (name, child) in schema.properties { untyped += walk(child, path + "." + name) }
            if let items = schema.items { untyped += walk(items, path + "[]") }
            return untyped
        }
        #expect(walk(GPUPoolSchema.root, "") == [])
    }

    /// Every `self.a.b` a CEL rule reads, and every `fieldPath`, must name a field declared at that
    /// point of the schema: the API server rejects a CRD whose rules do not compile against it.
    @Test func celRulesReferenceDeclaredFields() throws {
        let reference = try Regex(#"self((?:\.[A-Za-z_][A-Za-z0-9_]*)+)"#)
        var unresolved: [String] = []
        var rules = 0
        func resolve(_ dotted: Substring, from schema: Schema) -> Bool {
            var node = schema
            for name in dotted.split(separator: ".") {
                guard let child = node.property(String(name)) else { return false }
                node = child
            }
            return true
        }
        func walk(_ schema: Schema, _ path: String) {
            for rule in schema.rules {
                rules += 1
                let expressions = [rule.rule] + (rule.messageExpression.map { [$0] } ?? [])
                for expression in expressions {
                    for match in expression.matches(of: reference) {
                        let dotted = expression[match.range].dropFirst("self".count)
                        // all(), getMilliseconds() and startsWith() are calls, not fields.
                        let fields = dotted.split(separator: ".").prefix { !["all", "getMilliseconds", "startsWith"].contains($0) }
                        if !resolve(fields.joined(separator: ".")[...], from: schema) { unresolved.append("\(path): \(expression)") }
                    }
                }
                if let fieldPath = rule.fieldPath, !resolve(fieldPath[...], from: schema) {
                    unresolved.append("\(path): fieldPath \(fieldPath)")
                }
            }
            for (name, child) in schema.properties { walk(child, path + "." + name) }
            if let items = schema.items { walk(items, path + "[]") }
        }
        walk(GPUPoolSchema.root, "")
        #expect(rules >= 10)
        #expect(unresolved == [])
    }

    private func applyDefaults(_ value: JSONValue, _ schema: Schema) -> JSONValue {
        switch value {
        case .object(var members):
            for (name, child) in schema.properties {
                if members[name] == nil, let fallback = child.defaultValue { members[name] = fallback }
                if let present = members[name] { members[name] = applyDefaults(present, child) }
            }
            return .object(members)
        case .array(let items):
            guard let itemSchema = schema.items else { return value }
            return .array(items.map { applyDefaults($0, itemSchema) })
        default:
            return value
        }
    }
}
