import KubeAPI

extension FieldChecks {
    /// `spec.warmPool.standby`: counts within `nodes.max`, a price, a resume prior and a target of its own.
    mutating func validateStandby(of spec: GPUPoolSpec, at path: FieldPath) {
        guard let standby = spec.warmPool?.standby else { return }
        let minNodes = standby.effectiveMinNodes
        within(minNodes, GPUPoolLimits.nodes, path.child("minNodes"))
        let maxPath = path.child("maxNodes")
        if standby.maxNodes < 0 {
            atLeast(standby.maxNodes, 0, maxPath)
        } else if standby.maxNodes < minNodes {
            errors.append(.invalid(maxPath, .int(Int64(standby.maxNodes)),
                                   "must be greater than or equal to spec.warmPool.standby.minNodes (\(minNodes))"))
        } else if spec.nodes.max >= 1, standby.maxNodes > spec.nodes.max {
            errors.append(.invalid(maxPath, .int(Int64(standby.maxNodes)),
                                   "must be less than or equal to spec.nodes.max (\(spec.nodes.max))"))
        }
        if let percent = standby.percent, percent < 0 || percent > 100 {
            errors.append(.invalid(path.child("percent"), .int(Int64(percent)), "must be between 0 and 100"))
        }
        if let cost = standby.hourlyCost {
            within(cost, 0...GPUPoolLimits.maxNodeHourlyCost, path.child("hourlyCost"))
        }
        within(standby.effectiveResumeExpected, GPUPoolLimits.resumeExpected, path.child("resume").child("expected"))
        openUnitInterval(standby.effectiveResumeQuantile, path.child("resume").child("quantile"))

        let targetPath = path.child("target")
        validateTarget(standby.target, at: targetPath)
        if standby.target.isSameObject(as: spec.target) {
            errors.append(.invalid(targetPath.child("name"), .string(standby.target.name),
                                   "must not name spec.target: standby nodes are held by an object of their own"))
        }
        validateStandbyBudget(of: spec, minNodes: minNodes)
    }

    /// The budget pays for `nodes.min` running nodes and `standby.minNodes` standby nodes at their own
    /// price. Checked only when `nodes.min` alone fits (otherwise `validateBudget` has said so).
    private mutating func validateStandbyBudget(of spec: GPUPoolSpec, minNodes: Int) {
        guard let budget = spec.budget, minNodes > 0, let hourlyCost = spec.nodes.hourlyCost,
              let standbyCost = spec.effectiveStandbyHourlyCost, hourlyCost >= 0, standbyCost >= 0 else { return }
        let running = Double(spec.effectiveMinNodes) * hourlyCost
        guard running <= budget.maxHourlyCost, running + Double(minNodes) * standbyCost > budget.maxHourlyCost else { return }
        errors.append(.invalid(
            FieldPath("spec").child("budget").child("maxHourlyCost"), .double(budget.maxHourlyCost),
            "must cover spec.nodes.min (\(spec.effectiveMinNodes)) nodes and spec.warmPool.standby.minNodes (\(minNodes)) standby nodes at \(GoSyntax.formatDouble(standbyCost))"))
    }

    /// `spec.warmPool.prePull.images`: a short list of unique, well-formed image references.
    mutating func validatePrePull(_ prePull: PrePullSpec?, at path: FieldPath) {
        guard let images = prePull?.images else { return }
        let listPath = path.child("images")
        if images.count > GPUPoolLimits.maxPrePullImages {
            errors.append(FieldError(type: .tooMany, field: listPath,
                                     detail: "\(images.count): must have at most \(GPUPoolLimits.maxPrePullImages) items"))
        }
        var seen = Set<String>()
        for (index, image) in images.enumerated() {
            let item = listPath.index(index)
            required(image, item, pattern: NamePatterns.imageReference, maxLength: GPUPoolLimits.maxImageReferenceLength,
                     message: "must be an image reference such as nvcr.io/nvidia/tritonserver:24.08-py3")
            if !image.isEmpty, !seen.insert(image).inserted {
                errors.append(.duplicate(item, .string(image)))
            }
        }
    }
}
