import ControllerRuntime
import Logging
import ServiceLifecycle

/// The GPUPool controller and the writers it hands history saves and status writes to, as the one
/// service that runs under the lease: the writers write while the controller reconciles, and when the
/// controller stops (graceful shutdown drains its queue first; leader loss cancels it) whatever is
/// still waiting is written before `run` returns, within `flushTimeout`, so it happens under the lease
/// in both cases. The tuning controller runs beside them under the same lease and stops with the controller.
struct GPUPoolControllerService<C: Clock<Duration>>: Service {
    let controller: Controller<GPUPoolReconciler, C>
    let history: PoolHistoryWriter
    let statuses: PoolStatusWriter
    let tuner: TuningController<C>
    let clock: C
    /// How long the final writes may take (history and status at once); on leader loss it must stay
    /// well inside the 5 s between the renew deadline and the lease's expiry in others' eyes
    /// (client-go's defaults).
    var flushTimeout: Duration = .seconds(2)

    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await history.run() }
            group.addTask { await statuses.run() }
            group.addTask { await tuner.run() }
            await controller.run()
            async let historySaved = history.finish(within: flushTimeout, clock: clock)
            async let statusWritten = statuses.finish(within: flushTimeout, clock: clock)
            _ = await (historySaved, statusWritten)
            await history.close()
            await statuses.close()
            group.cancelAll()
        }
    }
}
