import ControllerRuntime
import Logging
import ServiceLifecycle

/// The GPUPool controller and the writer it hands history saves to, as the one service that runs
/// under the lease: the writer saves while the controller reconciles, and when the controller stops
/// (graceful shutdown drains its queue first; leader loss cancels it) whatever is still waiting is
/// saved before `run` returns, within `flushTimeout`, so it happens under the lease in both cases.
/// The tuning controller runs beside them under the same lease and stops with the controller.
struct GPUPoolControllerService<C: Clock<Duration>>: Service {
    let controller: Controller<GPUPoolReconciler, C>
    let history: PoolHistoryWriter
    let tuner: TuningController<C>
    let clock: C
    /// How long the final save may take; on leader loss it must stay well inside the 5 s between
    /// the renew deadline and the lease's expiry in others' eyes (client-go's defaults).
    var flushTimeout: Duration = .seconds(2)

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await history.run() }
            group.addTask { await tuner.run() }
            await controller.run()
            _ = await history.finish(within: flushTimeout, clock: clock)
            await history.close()
            group.cancelAll()
        }
    }
}
