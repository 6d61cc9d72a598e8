import Cron
import Foundation
import KubeAPI


extension FieldChecks {
    mutating func validateForecast(of spec: GPUPoolSpec, at path: FieldPath) {
        let step = spec.effectiveStep
        let history = spec.effectiveHistory
        within(step, GPUPoolLimits.step, path.child("step"))
        within(history, GPUPoolLimits.history, path.child("history"))
        if GPUPoolLimits.step.contains(step), GPUPoolLimits.history.contains(history), history.nanoseconds / step.nanoseconds > Int64(GPUPoolLimits.maxHistoryBins) {
            errors.append(.invalid(
                path.child("history"), .string(history.description),
                "must hold at most \(GPUPoolLimits.maxHistoryBins) bins of spec.forecast.step (\(step)); use a longer step or a shorter history"))
        }
        openUnitInterval(spec.effectiveForecastQuantile, path.child("quantile"))

        let seasonalities = spec.effectiveSeasonalities
        if seasonalities.count > GPUPoolLimits.maxSeasonalities {
            errors.append(FieldError(
                type: .tooMany, field: path.child("seasonalities"),
                detail: "\(seasonalities.count): must have at most \(GPUPoolLimits.maxSeasonalities) items"))
        }
        var seen = Set<KubeDuration>()
        for (index, period) in seasonalities.enumerated() {
            let item = path.child("seasonalities").index(index)
            let value = JSONValue.string(period.description)
            if period.nanoseconds <= 0 {
                errors.append(.invalid(item, value, "must be greater than 0"))
            } else if !seen.insert(period).inserted {
                errors.append(.duplicate(item, value))
            } else if period >= history {
                errors.append(.invalid(item, value, "must be shorter than spec.forecast.history (\(history))"))
            } else if step.nanoseconds > 0, period.nanoseconds % step.nanoseconds != 0 {
                errors.append(.invalid(item, value, "must be a whole multiple of spec.forecast.step (\(step))"))
            }
        }
    }

    mutating func validateSchedules(_ schedules: [ScheduleSpec], at path: FieldPath) {
        if schedules.count > GPUPoolLimits.maxSchedules {
            errors.append(FieldError(
                type: .tooMany, field: path,
                detail: "\(schedules.count): must have at most \(GPUPoolLimits.maxSchedules) items"))
        }
        var names = Set<String>()
        for (index, schedule) in schedules.enumerated() {
            let item = path.index(index)
            required(schedule.name, item.child("name"), pattern: NamePatterns.dnsLabel,
                     maxLength: NamePatterns.dnsLabelMaxLength, message: NamePatterns.dnsLabelMessage)
            if !schedule.name.isEmpty, !names.insert(schedule.name).inserted {
                errors.append(.duplicate(item.child("name"), .string(schedule.name)))
            }
            do {
                _ = try schedule.timing(at: item)
            } catch {
                errors += error.errors
            }
            within(schedule.duration, GPUPoolLimits.scheduleDuration, item.child("duration"))
            validateAmount(of: schedule, at: item)
        }
    }

    /// `Add` and `Floor` need `gpus` and no `nodes`; `Cap` needs `nodes` and no `gpus`.
    private mutating func validateAmount(of schedule: ScheduleSpec, at path: FieldPath) {
        let mode = schedule.effectiveMode
        switch mode {
        case .add, .floor:
            if let gpus = schedule.gpus {
                within(gpus, GPUPoolLimits.scheduleGPUs, path.child("gpus"))
            } else {
                errors.append(.required(path.child("gpus"), "required for mode \(mode.rawValue)"))
            }
            if schedule.nodes != nil { errors.append(.forbidden(path.child("nodes"), "only for mode Cap")) }
        case .cap:
            if let nodes = schedule.nodes {
                within(nodes, GPUPoolLimits.nodes, path.child("nodes"))
            } else {
                errors.append(.required(path.child("nodes"), "required for mode Cap"))
            }
            if schedule.gpus != nil { errors.append(.forbidden(path.child("gpus"), "not used by mode Cap, which limits nodes")) }
        }
    }

    mutating func validateWarmPool(of spec: GPUPoolSpec, at path: FieldPath) {
        let minIdle = spec.effectiveMinIdleNodes
        // Comparisons with nodes.max are skipped when max itself is invalid: one cause, one error.
        let maxNodes = spec.nodes.max >= 1 ? spec.nodes.max : Int.max
        atLeast(minIdle, 0, path.child("minIdleNodes"))
        if minIdle > maxNodes {
            errors.append(.invalid(
                path.child("minIdleNodes"), .int(Int64(minIdle)),
                "must be less than or equal to spec.nodes.max (\(spec.nodes.max))"))
        }
        if let percent = spec.warmPool?.minIdlePercent, percent < 0 || percent > 100 {
            errors.append(.invalid(path.child("minIdlePercent"), .int(Int64(percent)),
                                   "must be between 0 and 100"))
        }
        guard let maxIdle = spec.warmPool?.maxIdleNodes else { return }
        let maxPath = path.child("maxIdleNodes")
        if maxIdle < 0 {
            atLeast(maxIdle, 0, maxPath)
        } else if maxIdle < minIdle {
            errors.append(.invalid(maxPath, .int(Int64(maxIdle)),
                                   "must be greater than or equal to spec.warmPool.minIdleNodes (\(minIdle))"))
        } else if maxIdle > maxNodes {
            errors.append(.invalid(maxPath, .int(Int64(maxIdle)),
                                   "must be less than or equal to spec.nodes.max (\(spec.nodes.max))"))
        }
    }

    mutating func validateStartup(of spec: GPUPoolSpec, at path: FieldPath) {
        within(spec.effectiveStartupExpected, GPUPoolLimits.startupExpected, path.child("expected"))
        openUnitInterval(spec.effectiveStartupQuantile, path.child("quantile"))
    }

    mutating func validateScaleDown(of spec: GPUPoolSpec, at path: FieldPath) {
        within(spec.effectiveStabilizationWindow, GPUPoolLimits.stabilizationWindow, path.child("stabilizationWindow"))
        within(spec.effectiveMaxNodesPerStep, GPUPoolLimits.nodes.lowerBound + 1...GPUPoolLimits.nodes.upperBound,
               path.child("maxNodesPerStep"))
    }

    mutating func validateBudget(of spec: GPUPoolSpec, at path: FieldPath) {
        guard let budget = spec.budget else { return }
        let maxCost = path.child("maxHourlyCost")
        positive(budget.maxHourlyCost, maxCost)
        if budget.maxHourlyCost > GPUPoolLimits.maxBudgetPerHour {
            errors.append(.invalid(maxCost, .double(budget.maxHourlyCost),
                                   "must be less than or equal to \(GoSyntax.formatDouble(GPUPoolLimits.maxBudgetPerHour))"))
        }
        guard let hourlyCost = spec.nodes.hourlyCost else {
            errors.append(.required(FieldPath("spec").child("nodes").child("hourlyCost"),
                                    "needed to enforce spec.budget"))
            return
        }
        let minNodes = spec.effectiveMinNodes
        if budget.maxHourlyCost > 0, hourlyCost >= 0, Double(minNodes) * hourlyCost > budget.maxHourlyCost {
            errors.append(.invalid(
                maxCost, .double(budget.maxHourlyCost),
                "must cover spec.nodes.min (\(minNodes)) nodes at spec.nodes.hourlyCost (\(GoSyntax.formatDouble(hourlyCost)))"))
        }
    }
}
