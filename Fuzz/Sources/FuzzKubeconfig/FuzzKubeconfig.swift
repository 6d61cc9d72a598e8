import Foundation
import FuzzSupport
@testable import KubeClient

/// The kubeconfig loader: YAML decoding of one file, the merge, and resolving the current context into a
/// client configuration (inline certificate data decoded from base64, server URL parsed). Input: the file.
///
/// Invariants: nothing traps; failures are `ConfigurationError`s that name the file; a configuration that
/// resolves has an http:// or https:// server.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKubeconfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let text = input.remainingText()
    let file = "/fuzz/kubeconfig"
    let document: KubeconfigDocument
    do {
        document = try KubeconfigLoader.parse(text: text, file: file)
    } catch {
        invariant(error.description.contains(file), "kubeconfig error that does not name the file: \(error)")
        return 0
    }
    var merged = MergedKubeconfig(files: [file])
    merged.absorb(document, from: file)
    let contexts = [nil] + (document.contexts ?? []).prefix(3).map { Optional($0.name) }
    for context in contexts {
        do {
            let configuration = try merged.configuration(context: context)
            invariant(configuration.server.hasPrefix("https://") || configuration.server.hasPrefix("http://"),
                      "resolved server that is not an http(s) URL: \(configuration.server)")
        } catch {
            _ = error.description
        }
    }
    return 0
}
