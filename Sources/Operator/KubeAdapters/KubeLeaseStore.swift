import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient

/// ControllerRuntime's `LeaseStore` over a `coordination.k8s.io/v1` Lease, with client-go's mapping
/// of the record and of 404/409.
public struct KubeLeaseStore: LeaseStore {
    let client: KubeClient
    let namespace: String
    let name: String

    public init(client: KubeClient, namespace: String, name: String) {
        self.client = client
        self.namespace = namespace
        self.name = name
    }

    public func get() async throws -> LeaseRecord? {
        try await client.getIfPresent(Lease.descriptor, name: name, namespace: namespace, as: Lease.self).map(Self.record)
    }

    public func create(_ record: LeaseRecord) async throws -> LeaseRecord {
        do {
            return Self.record(try await client.create(Lease.descriptor, namespace: namespace, object: lease(record)))
        } catch {
            switch error {
            case .alreadyExists, .conflict: throw LeaseStoreError.alreadyExists
            default: throw error
            }
        }
    }

    public func update(_ record: LeaseRecord) async throws -> LeaseRecord {
        do {
            return Self.record(try await client.update(Lease.descriptor, name: name, namespace: namespace, object: lease(record)))
        } catch {
            if case .conflict = error { throw LeaseStoreError.conflict }
            throw error
        }
    }

    private func lease(_ record: LeaseRecord) -> Lease {
        var metadata = ObjectMeta(name: name, namespace: namespace)
        metadata.resourceVersion = record.resourceVersion
        return Lease(metadata: metadata, spec: LeaseSpec(
            holderIdentity: record.holderIdentity, leaseDurationSeconds: Int32(clamping: record.leaseDurationSeconds),
            acquireTime: record.acquireTime.map(KubeTime.formatMicro), renewTime: record.renewTime.map(KubeTime.formatMicro),
            leaseTransitions: Int32(clamping: record.leaseTransitions)))
    }

    static func record(_ lease: Lease) -> LeaseRecord {
        LeaseRecord(
            holderIdentity: lease.spec?.holderIdentity ?? "",
            leaseDurationSeconds: Int(lease.spec?.leaseDurationSeconds ?? 15),
            acquireTime: lease.spec?.acquireTime.flatMap(KubeTime.parse),
            renewTime: lease.spec?.renewTime.flatMap(KubeTime.parse),
            leaseTransitions: Int(lease.spec?.leaseTransitions ?? 0),
            resourceVersion: lease.metadata.resourceVersion)
    }
}
