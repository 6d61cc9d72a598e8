import Synchronization

/// The moment a streaming request is answered: accepted (2xx headers complete) or refused (an error
/// status, a transport failure, cancellation) — whichever the transfer reports first, once.
///
/// Why a stream waits for it: like client-go's `Watch`, which returns only after the response status,
/// the caller then knows the server took the watch (an informer counts itself back in sync at that
/// moment, even on a resource where nothing happens for minutes), and a refusal is thrown by the call
/// itself instead of arriving later inside the stream.
final class StreamAcceptance: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Void, any Error>?)
        case decided(Result<Void, KubeError>)
    }

    private let state = Mutex(State.waiting(nil))

    /// Records the answer; later answers are ignored. Returns whether this one decided.
    @discardableResult
    func decide(_ answer: Result<Void, KubeError>) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>?? in
            guard case .waiting(let waiter) = state else { return .none }
            state = .decided(answer)
            return .some(waiter)
        }
        guard case .some(let continuation) = waiter else { return false }
        continuation?.resume(with: answer.mapError { $0 })
        return true
    }

    /// Suspends until the answer; `onCancel` runs if the waiting task is cancelled first (it should
    /// cancel the transfer, whose completion then decides `.cancelled`).
    func wait(onCancel: @escaping @Sendable () -> Void) async throws(KubeError) {
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let decided = state.withLock { state -> Result<Void, KubeError>? in
                        switch state {
                        case .decided(let answer): return answer
                        case .waiting: state = .waiting(continuation); return nil
                        }
                    }
                    if let decided { continuation.resume(with: decided.mapError { $0 }) }
                }
            } onCancel: {
                onCancel()
            }
        } catch let error as KubeError {
            throw error
        } catch {
            throw .cancelled
        }
    }
}
