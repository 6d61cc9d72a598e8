import FleetcastAPI
import Forecasting
import Foundation
import PoolPolicy
import KubeAPI

/// Read access to a pool's persisted demand history for tools (`fleetcast status`).
public enum HistoryStorage {
    /// The ConfigMap (in the operator's namespace) that holds a pool's history.
    public static func configMapName(poolNamespace: String, pool: String) -> String {
        HistoryConfigMap.name(poolNamespace: poolNamespace, pool: pool)
    }

    /// Where earlier releases kept it: next to the pool, named after it.
    public static func legacyConfigMapName(forPool pool: String) -> String {
        HistoryConfigMap.legacyName(forPool: pool)
    }

    /// The history in a pool's ConfigMap, or nil when it is absent or unreadable.
    public static func history(in map: ConfigMap) -> DemandHistory? {
        HistoryConfigMap.decode(map).history
    }

    /// The forecast the operator would make now from this history, or the spec's problem when it
    /// does not convert (the operator reports the same as `InvalidSpec`).
    public static func forecast(pool: GPUPool, history: DemandHistory, now: Date, horizon: TimeInterval) throws(SpecErrors) -> Forecast {
        DemandForecaster(configuration: try ForecastConfiguration(spec: pool.spec)).fit(history: history, at: now)
            .forecast(at: now, horizon: horizon)
    }
}
