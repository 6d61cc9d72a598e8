import ControllerRuntime
import Testing

@Suite struct RateLimiterTests {
    @Test(arguments: [
        // (failures before, expected delay): 5 ms doubling per failure
        (0, Duration.milliseconds(5)),
        (1, .milliseconds(10)),
        (10, .milliseconds(5120)),
        // 5 ms * 2^17 = 655.36 s, 2^18 would be 1310.72 s: capped at 1000 s
        (17, .milliseconds(655_360)),
        (18, .seconds(1000)),
        // far beyond: still capped, no overflow
        (5000, .seconds(1000)),
    ])
    func exponentialBackoffDoublesAndCaps(failuresBefore: Int, expected: Duration) {
        var limiter = ItemExponentialFailureRateLimiter<String>()
        for _ in 0..<failuresBefore { _ = limiter.delay(for: "a", now: .zero) }
        #expect(limiter.delay(for: "a", now: .zero) == expected)
    }

    @Test func backoffIsPerItemAndForgetResetsIt() {
        var limiter = ItemExponentialFailureRateLimiter<String>()
        _ = limiter.delay(for: "a", now: .zero)
        _ = limiter.delay(for: "a", now: .zero)
        #expect(limiter.delay(for: "b", now: .zero) == .milliseconds(5))
        #expect(limiter.failures(of: "a") == 2)
        limiter.forget("a")
        #expect(limiter.failures(of: "a") == 0)
        #expect(limiter.delay(for: "a", now: .zero) == .milliseconds(5))
    }

    @Test func tokenBucketAllowsTheBurstThenSpacesAtTheRate() {
        var bucket = TokenBucketRateLimiter<Int>(rate: 10, burst: 100)
        for item in 0..<100 {
            #expect(bucket.delay(for: item, now: .zero) == .zero)
        }
        #expect(bucket.delay(for: 100, now: .zero) == .milliseconds(100))
        #expect(bucket.delay(for: 101, now: .zero) == .milliseconds(200))
        // One second later ten tokens have accrued; two were already borrowed.
        #expect(bucket.delay(for: 102, now: .seconds(1)) == .zero)
        for item in 103..<110 { _ = bucket.delay(for: item, now: .seconds(1)) }
        #expect(bucket.delay(for: 110, now: .seconds(1)) == .milliseconds(100))
    }

    @Test func tokenBucketRefillsNoFurtherThanTheBurst() {
        var bucket = TokenBucketRateLimiter<Int>(rate: 10, burst: 5)
        for item in 0..<5 { _ = bucket.delay(for: item, now: .zero) }
        // An hour idle refills only five tokens.
        for item in 0..<5 { #expect(bucket.delay(for: item, now: .seconds(3600)) == .zero) }
        #expect(bucket.delay(for: 9, now: .seconds(3600)) == .milliseconds(100))
    }

    @Test func controllerDefaultTakesTheLongerOfBackoffAndBucket() {
        var limiter = MaxOfRateLimiter<Int>.controllerDefault()
        // The bucket's burst is spent by 100 different items; each of them has failed once.
        for item in 0..<100 { #expect(limiter.delay(for: item, now: .zero) == .milliseconds(5)) }
        // Item 0's second failure: backoff says 10 ms, the empty bucket says 100 ms.
        #expect(limiter.delay(for: 0, now: .zero) == .milliseconds(100))
        #expect(limiter.failures(of: 0) == 2)
        limiter.forget(0)
        #expect(limiter.failures(of: 0) == 0)
    }
}
