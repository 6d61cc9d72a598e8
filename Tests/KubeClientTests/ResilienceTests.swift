import Foundation
import KubeAPI
import Testing
@testable import KubeClient

@Suite struct ResilienceTests {
    @Test(arguments: [
        // (attempt, random, expected delay) with 0.8 s doubling to 30 s and jitter 1.0
        (1, 0.0, 0.8), (2, 0.0, 1.6), (3, 0.5, 4.8), (6, 0.0, 25.6), (7, 0.0, 30.0), (50, 0.999, 59.97),
    ])
    func reflectorBackoff(attempt: Int, random: Double, expected: Double) {
        #expect(abs(ExponentialBackoff.reflector.delay(attempt: attempt, random: random) - expected) < 1e-9)
    }

    @Test func retryPolicyIsBoundedInAttemptsAndTime() {
        let policy = RetryPolicy(maxRetries: 3, initialDelay: 1, maxDelay: 10, multiplier: 2, jitter: 0, maxTotalDelay: 5)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, waitedSoFar: 0, random: 0.3) == 1)
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, waitedSoFar: 1, random: 0.3) == 2)
        // 1 + 2 + 4 > 5: the time budget ends it before the attempt budget.
        #expect(policy.delay(beforeRetry: 3, retryAfter: nil, waitedSoFar: 3, random: 0.3) == nil)
        #expect(policy.delay(beforeRetry: 4, retryAfter: nil, waitedSoFar: 0, random: 0) == nil)
        // Retry-After wins over the computed backoff.
        #expect(policy.delay(beforeRetry: 1, retryAfter: 3, waitedSoFar: 0, random: 0) == 3)
        #expect(RetryPolicy.never.delay(beforeRetry: 1, retryAfter: nil, waitedSoFar: 0, random: 0) == nil)
    }

    static func server(_ code: Int, retryAfter: TimeInterval? = nil) -> KubeError {
        .serverError(Status(reason: "InternalError", code: code), retryAfter: retryAfter)
    }

    @Test(arguments: [
        (KubeError.tooManyRequests(Status(code: 429), retryAfter: 2), HTTPMethod.post, RetryDecision.retry(after: 2)),
        (server(500, retryAfter: 1), .get, .retry(after: 1)),
        (server(500), .get, .giveUp),
        (server(503), .put, .retry(after: nil)),
        (server(503), .patch, .giveUp),
        (KubeError.transport(TransportFailure(code: 7, message: "refused")), .post, .retry(after: nil)),
        (KubeError.transport(TransportFailure(code: 56, message: "recv failure")), .post, .giveUp),
        (KubeError.transport(TransportFailure(code: 56, message: "recv failure")), .get, .retry(after: nil)),
        // Certificate, key and trust failures are the same on every attempt: never retried.
        (KubeError.transport(TransportFailure(code: 60, message: "SSL certificate problem: unable to get local issuer certificate", verifyResult: 20)), .get, .giveUp),
        (KubeError.transport(TransportFailure(code: 58, message: "unable to set private key file")), .get, .giveUp),
        (KubeError.transport(TransportFailure(code: 35, message: "OpenSSL/3.0.19: error:06880006:asn1 encoding routines::EVP lib")), .get, .giveUp),
        (KubeError.transport(TransportFailure(code: 35, message: "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:6443")), .get, .retry(after: nil)),
        (KubeError.conflict(Status(code: 409)), .put, .giveUp),
        (KubeError.notFound(Status(code: 404)), .get, .giveUp),
    ])
    func retryDecisions(error: KubeError, method: HTTPMethod, expected: RetryDecision) {
        #expect(RetryDecision.decide(error, method: method) == expected)
    }

    @Test func tokenBucketAllowsBurstThenPaces() {
        var bucket = TokenBucket(limit: RateLimit(requestsPerSecond: 10, burst: 3))
        let start = 1_000.0
        #expect(bucket.reserve(at: start) == 0)
        #expect(bucket.reserve(at: start) == 0)
        #expect(bucket.reserve(at: start) == 0)
        // Out of tokens: each further caller waits one more refill period.
        #expect(abs(bucket.reserve(at: start) - 0.1) < 1e-9)
        #expect(abs(bucket.reserve(at: start) - 0.2) < 1e-9)
        // After a second the debt is repaid and the bucket is full again, never fuller than burst.
        let later = start + 10
        #expect(bucket.reserve(at: later) == 0)
        #expect(abs(bucket.tokens - 2) < 1e-9)
        var unlimited = TokenBucket(limit: .unlimited)
        for _ in 0..<1000 { #expect(unlimited.reserve(at: start) == 0) }
    }
}
