import Foundation

/// Runs a tuning on a thread of its own: a search takes seconds of CPU, and on Swift's cooperative
/// pool (one thread per core) it would hold a thread the reconcile workers share. Also measures the
/// thread's CPU time, the cost docs/tuning.md reports.
enum TuningThread {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> (value: T, cpuSeconds: Double) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let before = threadCPUSeconds()
                let value = work()
                continuation.resume(returning: (value, threadCPUSeconds() - before))
            }
            thread.name = "fleetcast-tuning"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// CPU time the calling thread has used.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
