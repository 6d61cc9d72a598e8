import FleetcastAPI
import Foundation
import KubeAPI
import Testing
@testable import Operator

/// Pools are decoded once per stored version: same uid and resourceVersion, same result.
@Suite struct PoolDecodingCacheTests {
    func raw(_ pool: GPUPool, resourceVersion: String?, uid: String = "uid-a100") throws -> JSONValue {
        var pool = pool
        pool.metadata.resourceVersion = resourceVersion
        pool.metadata.uid = uid
        return try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(pool))
    }

    func isValid(_ result: PoolDecoding.Result) -> Bool {
        if case .valid = result { return true }
        return false
    }

    @Test func aStoredVersionIsDecodedOnce() throws {
        let cache = PoolDecodingCache()
        let valid = makePool(min: 1), invalid = makePool(min: 5, max: 2)
        #expect(isValid(cache.decode(try raw(valid, resourceVersion: "1"))))
        // The API server never stores two contents under one resourceVersion; the cache relies on it,
        // which this (impossible) object shows: the remembered result comes back.
        #expect(isValid(cache.decode(try raw(invalid, resourceVersion: "1"))))
        #expect(!isValid(cache.decode(try raw(invalid, resourceVersion: "2"))))
        // A re-created pool (new uid) is decoded afresh even at a resourceVersion seen before.
        #expect(isValid(cache.decode(try raw(valid, resourceVersion: "2", uid: "uid-new"))))
        #expect(cache.count == 1)
        cache.forget(namespace: "gpu", name: "a100")
        #expect(cache.count == 0)
    }

    @Test func objectsWithoutAResourceVersionAreDecodedEveryTime() throws {
        let cache = PoolDecodingCache()
        #expect(isValid(cache.decode(try raw(makePool(min: 1), resourceVersion: nil))))
        #expect(!isValid(cache.decode(try raw(makePool(min: 5, max: 2), resourceVersion: nil))))
        #expect(cache.count == 0)
    }
}
