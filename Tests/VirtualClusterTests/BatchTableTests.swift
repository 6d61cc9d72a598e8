import Foundation
import KubeAPI
import Testing
@testable import VirtualCluster

/// `kubectl get cronjobs,jobs` prints the columns kube-apiserver's batch printers compute (issue #21:
/// the CronJobs Fleetcast discovers must look in the virtual cluster as they do in a real one).
@Suite("kubectl get cronjobs and jobs")
struct BatchTableTests {
    static let objects = """
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: nightly-retrain, namespace: default}
    spec:
      schedule: "30 2 * * *"
      timeZone: Europe/Berlin
      jobTemplate:
        spec:
          parallelism: 2
          template:
            spec:
              restartPolicy: Never
              containers:
              - {name: train, image: "trainer:1"}
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: hourly, namespace: default}
    spec:
      schedule: "@hourly"
      suspend: true
      jobTemplate:
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - {name: probe, image: "probe:2"}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: sweep, namespace: default, labels: {kueue.x-k8s.io/queue-name: team-a}}
    spec:
      suspend: true
      parallelism: 3
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: train, image: "trainer:1"}
    """

    @Test func cronJobsAndJobsHaveTheirServerSideColumns() async throws {
        try await TestCluster.with { test in
            let kubectl = try Kubectl(cluster: test.cluster)
            let applied = try await kubectl.run(["apply", "-f", try kubectl.file("batch.yaml", Self.objects)])
            #expect(applied.status == 0, "\(applied.stderr)")

            let cronJobs = try await kubectl.run(["get", "cronjobs"])
            #expect(cronJobs.status == 0, "\(cronJobs.stderr)")
            let lines = cronJobs.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST", "SCHEDULE", "AGE"])
            #expect(lines.contains { $0.prefix(7) == ["nightly-retrain", "30", "2", "*", "*", "*", "Europe/Berlin"] && $0[7] == "False" && $0[8] == "0" && $0[9] == "<none>" })
            #expect(lines.contains { $0.prefix(6) == ["hourly", "@hourly", "<none>", "True", "0", "<none>"] })

            let wide = try await kubectl.run(["get", "cronjob", "nightly-retrain", "-o", "wide"])
            #expect(wide.stdout.contains("CONTAINERS") && wide.stdout.contains("trainer:1"), "\(wide.stdout)")

            // Defaults as kube-apiserver sets them.
            let defaults = try await kubectl.run(["get", "cronjob", "nightly-retrain", "-o",
                                                  "jsonpath={.spec.suspend} {.spec.concurrencyPolicy} {.spec.successfulJobsHistoryLimit} {.spec.failedJobsHistoryLimit}"])
            #expect(defaults.stdout == "false Allow 3 1")
            let jobDefaults = try await kubectl.run(["get", "job", "sweep", "-o", "jsonpath={.spec.completions}|{.spec.parallelism} {.spec.backoffLimit} {.spec.completionMode}"])
            #expect(jobDefaults.stdout == "|3 6 NonIndexed")

            let jobs = try await kubectl.run(["get", "jobs"])
            #expect(jobs.status == 0, "\(jobs.stderr)")
            let jobLines = jobs.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(jobLines.first == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"])
            #expect(jobLines.contains { $0.prefix(5) == ["sweep", "Running", "0/1", "of", "3"] }, "\(jobs.stdout)")
        }
    }
}
