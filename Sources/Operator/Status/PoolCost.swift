import FleetcastAPI

extension CostStatus {
    /// `status.cost` (and the `fleetcast_pool_hourly_cost` gauge): what the pool's nodes cost per hour
    /// now. Running nodes (ready and starting, standby nodes still being set up among them) are billed
    /// at `spec.nodes.hourlyCost`; suspended standby nodes at the standby price
    /// (`spec.effectiveStandbyHourlyCost`), because a stopped GPU node still costs its disk and address.
    /// Leaving them out would under-report a pool that keeps a large standby tier. Nil without
    /// `spec.nodes.hourlyCost`: a running node's price is then unknown, and so is the pool's cost.
    init?(spec: GPUPoolSpec, runningNodes: Int, suspendedNodes: Int) {
        guard let price = spec.nodes.hourlyCost else { return nil }
        let suspendedCost = suspendedNodes > 0 ? Double(suspendedNodes) * (spec.effectiveStandbyHourlyCost ?? price) : 0
        self.init(hourly: Double(max(0, runningNodes)) * price + suspendedCost)
    }
}
