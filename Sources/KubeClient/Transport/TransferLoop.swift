import CCurl
import Foundation

/// A thread that drives libcurl transfers through one multi handle. Unary requests share one loop,
/// so its connection cache is reused across requests; every watch gets a loop of its own that exits
/// when its single transfer ends. Other threads only enqueue work and call `curl_multi_wakeup`, which
/// is what makes cancellation prompt: the loop never sleeps past a wake-up.
final class TransferLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [CurlTransfer] = []
    private var cancellations: [CurlTransfer] = []
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var stopping = false
    private var closed = false
    private let exitsWhenIdle: Bool

    /// Loops whose threads are still running; tests use it to prove nothing leaks.
    static var liveLoops: Int { LiveCounter.shared.value }

    /// - Parameter initial: a transfer to start with; a loop that exits when idle needs one, or it
    ///   could exit before anything was submitted.
    ///   - counter: also counts this loop's thread while it runs (per-client accounting).
    init(name: String, exitsWhenIdle: Bool, initial: CurlTransfer? = nil, counter: LiveCounter? = nil) {
        CurlGlobal.ensureInitialized()
        // curl_multi_init only fails on out-of-memory, which Swift cannot recover from either.
        multi = curl_multi_init()!
        self.exitsWhenIdle = exitsWhenIdle
        if let initial { pending.append(initial) }
        LiveCounter.shared.add(1)
        counter?.add(1)
        let thread = Thread { [self] in
            run()
            counter?.add(-1)
        }
        thread.name = name
        thread.start()
    }

    /// Hands a configured transfer to the loop. Its `onComplete` fires exactly once.
    func submit(_ transfer: CurlTransfer) {
        lock.lock()
        if closed {
            lock.unlock()
            transfer.complete(nil)
            return
        }
        pending.append(transfer)
        wakeLocked()
        lock.unlock()
    }

    /// Stops a transfer; its completion reports `.cancelled` unless it already finished.
    func cancel(_ transfer: CurlTransfer) {
        lock.lock()
        if !closed {
            cancellations.append(transfer)
            wakeLocked()
        }
        lock.unlock()
    }

    /// Cancels everything and lets the thread exit.
    func shutdown() {
        lock.lock()
        stopping = true
        if !closed { wakeLocked() }
        lock.unlock()
    }

    private func wakeLocked() {
        _ = curl_multi_wakeup(multi)
    }

    private func run() {
        defer { LiveCounter.shared.add(-1) }
        while true {
            lock.lock()
            let newTransfers = pending
            let cancelled = cancellations
            let stop = stopping
            pending.removeAll()
            cancellations.removeAll()
            lock.unlock()

            for transfer in newTransfers {
                if cancelled.contains(where: { $0 === transfer }) {
                    transfer.complete(nil)
                } else if curl_multi_add_handle(multi, transfer.handle) == CURLM_OK {
                    active[transfer.handle] = transfer
                } else {
                    transfer.complete(CURLE_FAILED_INIT)
                }
            }
            for transfer in cancelled {
                if active.removeValue(forKey: transfer.handle) != nil {
                    curl_multi_remove_handle(multi, transfer.handle)
                    transfer.complete(nil)
                }
            }
            if stop {
                for (handle, transfer) in active {
                    curl_multi_remove_handle(multi, handle)
                    transfer.complete(nil)
                }
                active.removeAll()
                if close() { return }
                continue
            }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let result = fleetcast_multi_message_result(message)
                curl_multi_remove_handle(multi, easy)
                active.removeValue(forKey: easy)?.complete(result)
            }
            if exitsWhenIdle, active.isEmpty {
                if close() { return }
                continue
            }
            var descriptors: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &descriptors)
        }
    }

    /// Closes the loop unless work arrived meanwhile; returns whether it closed.
    private func close() -> Bool {
        lock.lock()
        if !pending.isEmpty, !stopping {
            lock.unlock()
            return false
        }
        closed = true
        let leftovers = pending
        pending.removeAll()
        cancellations.removeAll()
        lock.unlock()
        for transfer in leftovers { transfer.complete(nil) }
        curl_multi_cleanup(multi)
        return true
    }
}

/// A thread-safe counter of live loop threads.
final class LiveCounter: @unchecked Sendable {
    static let shared = LiveCounter()

    init() {}
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func add(_ delta: Int) {
        lock.lock()
        count += delta
        lock.unlock()
    }
}
