import FleetcastAPI
import Foundation
import FuzzSupport

/// The GPUPool YAML loader behind `fleetcast validate`, the simulator and `fleetcast forecast`: YAML
/// parsing, the schema check, strict decoding and validation. Input: a YAML stream.
///
/// Invariants: loading never traps; a syntax error and every problem of an invalid document name a line;
/// a pool that loads validates, encodes to JSON (so the operator can write its status) and decodes back
/// to itself, and its defaulted spec validates too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGPUPoolManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let text = input.remainingText()
    let documents: [LoadedDocument]
    do {
        documents = try loadGPUPools(fromYAML: text, file: "fuzz.yaml")
    } catch {
        invariant(error.line != nil, "a YAML syntax error without a line: \(error)")
        return 0
    }
    for document in documents {
        switch document.outcome {
        case .pool(let pool):
            invariant(pool.validate().isEmpty, "a loaded pool does not validate: \(pool.validate())")
            var defaulted = pool
            defaulted.spec = pool.spec.withDefaults()
            invariant(defaulted.validate().isEmpty, "the defaulted spec does not validate: \(defaulted.validate())")
            let json: Data
            do {
                json = try JSONEncoder().encode(pool)
            } catch {
                invariant(false, "a valid pool cannot be encoded: \(error)")
                return 0
            }
            let decoded = try? JSONDecoder().decode(GPUPool.self, from: json)
            invariant(decoded == pool, "a valid pool does not survive a JSON round trip: \(String(decoding: json, as: UTF8.self))")
        case .invalid(let problems):
            invariant(!problems.isEmpty, "an invalid document without a problem")
            for problem in problems {
                invariant(problem.line != nil, "a problem without a line: \(problem)")
            }
        case .skipped:
            break
        }
    }
    return 0
}
