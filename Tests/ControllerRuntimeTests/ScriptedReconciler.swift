@testable import ControllerRuntime
import FleetcastTesting

struct ScriptedFailure: Error, Equatable {
    var message: String
}

/// A reconciler that returns scripted outcomes per key, logs every call, reports starts on a
/// stream and can hold a key's first reconcile until the test releases it.
final class ScriptedReconciler: Reconciler {
    enum Outcome: Sendable {
        case result(ReconcileResult)
        case fail(String)
        case failTerminally(String)
    }

    private struct State {
        var script: [ObjectKey: [Outcome]] = [:]
        var calls: [ObjectKey] = []
        var inFlight: [ObjectKey: Int] = [:]
        var maxInFlightPerKey = 0
        var held: Set<ObjectKey> = []
    }

    private let state = LockedValue(State())
    let started: AsyncStream<ObjectKey>
    private let startedContinuation: AsyncStream<ObjectKey>.Continuation
    private let gate: AsyncStream<Void>
    private let gateContinuation: AsyncStream<Void>.Continuation

    init(script: [ObjectKey: [Outcome]] = [:], hold: Set<ObjectKey> = []) {
        (started, startedContinuation) = AsyncStream.makeStream()
        (gate, gateContinuation) = AsyncStream.makeStream()
        state.withLock { state in
            state.script = script
            state.held = hold
        }
    }

    var calls: [ObjectKey] { state.value.calls }
    var maxInFlightPerKey: Int { state.value.maxInFlightPerKey }

    /// Lets one held reconcile finish.
    func release() {
        gateContinuation.yield()
    }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let (outcome, hold) = state.withLock { state -> (Outcome, Bool) in
            state.calls.append(key)
            state.inFlight[key, default: 0] += 1
            state.maxInFlightPerKey = max(state.maxInFlightPerKey, state.inFlight[key, default: 0])
            let hold = state.held.remove(key) != nil
            guard var outcomes = state.script[key], !outcomes.isEmpty else { return (.result(.done), hold) }
            let next = outcomes.removeFirst()
            state.script[key] = outcomes
            return (next, hold)
        }
        startedContinuation.yield(key)
        if hold {
            for await _ in gate { break }
        }
        state.withLock { $0.inFlight[key, default: 1] -= 1 }
        switch outcome {
        case .result(let result): return result
        case .fail(let message): throw ScriptedFailure(message: message)
        case .failTerminally(let message): throw TerminalReconcileError(ScriptedFailure(message: message))
        }
    }
}
