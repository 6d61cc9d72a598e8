// Benchmark driver for the Cron module, compiled together with Sources/Cron by hack/bench/cron.sh
// (one module, whole-module optimised), so it needs no extra package target.
import Foundation

let clock = ContinuousClock()
let origin = Date(timeIntervalSince1970: 1_767_571_200)   // Monday 2026-01-05 00:00 UTC

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
}

print("| expression | time zone | calls | per call | last fire time |")
print("|---|---|---|---|---|")
let cases = [("0 2 * * *", "Europe/Berlin"), ("0 2 * * *", "UTC"), ("*/5 * * * *", "Europe/Berlin"),
             ("0 9 * * mon-fri", "America/New_York"), ("30 2 * * *", "America/New_York"),
             ("0 0 29 2 *", "Europe/Berlin")]
for (text, zoneName) in cases {
    guard let zone = TimeZone(identifier: zoneName), let expression = try? CronExpression(parsing: text) else {
        print("cannot set up \(text) in \(zoneName)")
        continue
    }
    let calls = text == "0 0 29 2 *" ? 1_000 : 20_000
    var cursor = origin
    let start = clock.now
    for _ in 0..<calls {
        guard let next = expression.nextFireTime(after: cursor, in: zone) else { break }
        cursor = next
    }
    let perCall = microseconds(clock.now - start) / Double(calls)
    let year = Calendar(identifier: .gregorian).dateComponents(in: zone, from: cursor).year ?? 0
    print("| `\(text)` | \(zoneName) | \(calls) | \(String(format: "%.2f", perCall)) µs | year \(year) |")
}

// What a simulator does: ask for the current or next window once per simulated minute for 30 days.
if let zone = TimeZone(identifier: "Europe/Berlin"), let expression = try? CronExpression(parsing: "0 2 * * *") {
    let window = RecurringWindow(expression: expression, timeZone: zone, duration: 3 * 3_600)
    var instant = origin
    var open = 0
    let start = clock.now
    for _ in 0..<(30 * 1_440) {
        if let next = window.nextWindow(endingAfter: instant), next.contains(instant) { open += 1 }
        instant += 60
    }
    let total = microseconds(clock.now - start) / 1_000
    print("")
    print("nextWindow(endingAfter:) once per minute for 30 days (43200 calls, \(open) minutes inside a window): "
        + String(format: "%.1f ms", total))
}
