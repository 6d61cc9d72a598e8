import KubeAPI

/// Which watch updates of a controller's primary resource are worth a reconcile.
///
/// A controller that writes its resource's status sees each of its own writes come back as a watch
/// update and, without a filter, reconciles the object again at once for nothing: the status is what
/// the reconcile just decided. controller-runtime users filter those with `GenerationChangedPredicate`
/// (the API server bumps `metadata.generation` on every spec change, never on a status write), usually
/// or-ed with `LabelChangedPredicate` and `AnnotationChangedPredicate`, since metadata edits do not
/// bump it. This is that combination, plus the two metadata changes a deletion makes (the deletion
/// timestamp and the finalizers). A status-only update is still applied to the informer's cache; only
/// the immediate reconcile is skipped, and the periodic requeue sees it at its next tick.
public enum UpdatePredicate {
    /// Whether an update from `old` to `new` changed more than status (and the bookkeeping every write
    /// changes: `resourceVersion`, `managedFields`). Objects without a generation (a kind whose
    /// generation the server does not keep) always pass: without one a spec change cannot be told
    /// from a status write.
    public static func changesMoreThanStatus(from old: ObjectMeta, to new: ObjectMeta) -> Bool {
        guard let oldGeneration = old.generation, let newGeneration = new.generation else { return true }
        return oldGeneration != newGeneration
            || old.labels ?? [:] != new.labels ?? [:]
            || old.annotations ?? [:] != new.annotations ?? [:]
            || old.deletionTimestamp != new.deletionTimestamp
            || old.finalizers ?? [] != new.finalizers ?? []
            || old.uid != new.uid
    }
}
