import ArgumentParser
import CMallocArena
import Dispatch
import FleetcastCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Fleetcast {
    /// Runs the command on a detached task and parks the main thread for good: the task ends the process
    /// when the command finishes (`runMappingUsageErrors`, through `ProcessExit`).
    ///
    /// Why not an async `main`: Swift hands the main thread of an async `main` to `dispatch_main`, which ends
    /// it with `pthread_exit`; on Linux that is a forced unwind of the main thread's frames, which reads the
    /// binary's `.eh_frame` (3 MB of the operator's idle RSS, docs/benchmarks.md "Lean operator binary").
    /// A parked main thread is never unwound. Nothing in this binary runs on the main actor or the main queue
    /// (neither would ever run: the main thread never drains it); the command's work runs on the global
    /// executor, as it did after `dispatch_main`.
    ///
    /// Signals: before parking, the main thread blocks the asynchronous signals as `dispatch_main` does, so
    /// that SIGTERM and SIGINT stay pending for the process, where the `DispatchSource` signal sources of
    /// swift-service-lifecycle (graceful shutdown) read them. The synchronous ones (SIGSEGV, SIGILL, ...) stay
    /// deliverable for crash reports; every thread created later inherits this mask.
    static func runOnMainThreadParked() {
        shareOneMallocArena()
        blockAsynchronousSignalsOnThisThread()
        Task.detached {
            await runMappingUsageErrors()
        }
        DispatchSemaphore(value: 0).wait()
    }

    /// The signals `dispatch_main` leaves unblocked on the thread it parks (libdispatch's `_dispatch_sigmask`, plus SIGABRT):
    /// the ones a thread raises on itself.
    private static let synchronousSignals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGBUS, SIGSEGV, SIGSYS, SIGPIPE, SIGPROF]

    /// One glibc malloc arena for all threads, as `MALLOC_ARENA_MAX=1` sets it (an explicit
    /// `MALLOC_ARENA_MAX` in the environment still wins). By default glibc gives each thread that allocates an
    /// arena of its own (up to 8 per core), each keeping its own freed memory; the operator's threads (NIO's
    /// event loops, the concurrency pool) allocate little, and sharing one arena took 0.5 MB off the idle
    /// operator and 12 MB off it at 10,000 pods, with no worse reconcile latency (docs/benchmarks.md, "Lean
    /// operator binary"). The other commands compute on one thread at a time. Set before any other thread
    /// exists: glibc fixes the limit when it creates its first arena beyond the main one.
    private static func shareOneMallocArena() {
        fleetcast_share_one_malloc_arena()
    }

    private static func blockAsynchronousSignalsOnThisThread() {
        var signals = sigset_t()
        sigfillset(&signals)
        for signal in synchronousSignals { sigdelset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}
