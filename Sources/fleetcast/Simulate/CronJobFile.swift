import Foundation
import KubeAPI
import Yams

/// The CronJobs of a YAML file (`kubectl get cronjobs -o yaml` writes a `List`; several documents or
/// single CronJobs work too), for `fleetcast simulate --cronjobs`. Other kinds are skipped; a file
/// without any CronJob is an error (a wrong file, most likely).
enum CronJobFile {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func load(_ path: String) throws(Problem) -> [CronJob] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Problem(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        var cronJobs: [CronJob] = []
        do {
            for document in try Yams.compose_all(yaml: text) {
                let objects = document["kind"]?.string == "List" ? Array(document["items"]?.sequence ?? []) : [document]
                for object in objects where object["kind"]?.string == CronJob.kind {
                    do {
                        cronJobs.append(try YAMLDecoder().decode(CronJob.self, from: object))
                    } catch {
                        let line = (object.mark?.line).map { ":\($0)" } ?? ""
                        throw Problem(description: "\(path)\(line): not a batch/v1 CronJob: \(error)")
                    }
                }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "\(path): not YAML: \(error)")
        }
        guard !cronJobs.isEmpty else { throw Problem(description: "\(path): no batch/v1 CronJob in the file") }
        return cronJobs
    }
}
