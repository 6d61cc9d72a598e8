import ArgumentParser

/// A controller-runtime style bind address: `:8080` (all interfaces), `127.0.0.1:8080`, or `0`
/// to disable the endpoint.
struct BindAddress: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int
    var isDisabled: Bool { port == 0 }

    init?(argument: String) {
        if argument == "0" {
            host = ""
            port = 0
            return
        }
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        let host = String(argument[..<colon])
        self.host = host.isEmpty ? "0.0.0.0" : host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = port
    }

    var description: String { isDisabled ? "0" : "\(host):\(port)" }
}

import Foundation
