import ArgumentParser
import FleetcastAPI
import FleetcastCLI
import Foundation

extension Fleetcast {
    struct CRD: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crd",
            abstract: "Print the GPUPool CustomResourceDefinition.",
            discussion: """
                Prints the apiextensions.k8s.io/v1 CRD for GPUPool (structural schema with defaults, \
                validation rules, status subresource and printer columns), generated from the same Swift \
                description `fleetcast validate` checks against. crds/fleetcast.dev_gpupools.yaml is a \
                copy of this output. Install it with:

                  fleetcast crd | kubectl apply -f -
                """
        )

        func run() throws {
            do {
                print(try GPUPoolCRD.yaml(), terminator: "")
            } catch {
                FileHandle.standardError.write(Data("fleetcast crd: cannot render the CRD: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usageOrIO)
            }
        }
    }
}
