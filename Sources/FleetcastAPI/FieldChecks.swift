import KubeAPI

/// Small range and syntax checks shared by the GPUPool validators; each appends at most one error so a
/// field never reports two problems at once.
struct FieldChecks {
    var errors: [FieldError] = []

    mutating func atLeast(_ value: Int, _ minimum: Int, _ path: FieldPath) {
        if value < minimum {
            errors.append(.invalid(path, .int(Int64(value)), "must be greater than or equal to \(minimum)"))
        }
    }

    mutating func atLeast(_ value: Double, _ minimum: Double, _ path: FieldPath) {
        if !(value >= minimum) {
            errors.append(.invalid(path, .double(value), "must be greater than or equal to \(GoSyntax.formatDouble(minimum))"))
        }
    }

    /// A count inside its documented range (`GPUPoolLimits`).
    mutating func within(_ value: Int, _ range: ClosedRange<Int>, _ path: FieldPath) {
        if value < range.lowerBound {
            atLeast(value, range.lowerBound, path)
        } else if value > range.upperBound {
            errors.append(.invalid(path, .int(Int64(value)), "must be less than or equal to \(range.upperBound)"))
        }
    }

    /// A finite number inside its documented range; NaN and infinities are out of every range.
    mutating func within(_ value: Double, _ range: ClosedRange<Double>, _ path: FieldPath) {
        if !value.isFinite {
            errors.append(.invalid(path, .string(String(describing: value)), "must be a finite number"))
        } else if value < range.lowerBound {
            atLeast(value, range.lowerBound, path)
        } else if value > range.upperBound {
            errors.append(.invalid(path, .double(value), "must be less than or equal to \(GoSyntax.formatDouble(range.upperBound))"))
        }
    }

    /// A duration inside its documented range, said in Go duration syntax (`must be at least 10s`).
    mutating func within(_ duration: KubeDuration, _ range: ClosedRange<KubeDuration>, _ path: FieldPath) {
        if duration < range.lowerBound {
            let message = range.lowerBound.nanoseconds == 0 ? "must be greater than or equal to 0"
                : range.lowerBound.nanoseconds == 1 ? "must be greater than 0" : "must be at least \(range.lowerBound)"
            errors.append(.invalid(path, .string(duration.description), message))
        } else if duration > range.upperBound {
            errors.append(.invalid(path, .string(duration.description), "must be at most \(range.upperBound)"))
        }
    }

    mutating func positive(_ value: Double, _ path: FieldPath) {
        if !(value > 0) || !value.isFinite {
            errors.append(.invalid(path, .double(value), "must be greater than 0"))
        }
    }

    /// Quantiles: strictly between 0 and 1.
    mutating func openUnitInterval(_ value: Double, _ path: FieldPath) {
        if !(value > 0 && value < 1) {
            errors.append(.invalid(path, .double(value), "must be greater than 0 and less than 1"))
        }
    }

    /// Durations where zero or negative is meaningless (a step, a lead time, a window length).
    mutating func positive(_ duration: KubeDuration, _ path: FieldPath) {
        if duration.nanoseconds <= 0 {
            errors.append(.invalid(path, .string(duration.description), "must be greater than 0"))
        }
    }

    mutating func nonNegative(_ duration: KubeDuration, _ path: FieldPath) {
        if duration.nanoseconds < 0 {
            errors.append(.invalid(path, .string(duration.description), "must be greater than or equal to 0"))
        }
    }

    /// A required string: `Required value` when empty, else the pattern check.
    mutating func required(_ text: String, _ path: FieldPath, pattern: String, maxLength: Int? = nil, message: String) {
        if text.isEmpty {
            errors.append(.required(path))
        } else {
            matches(text, path, pattern: pattern, maxLength: maxLength, message: message)
        }
    }

    mutating func matches(_ text: String, _ path: FieldPath, pattern: String, maxLength: Int? = nil, message: String) {
        if let maxLength, text.count > maxLength {
            errors.append(.invalid(path, .string(text), "must be no more than \(maxLength) characters"))
        } else if !NamePatterns.matches(text, pattern) {
            errors.append(.invalid(path, .string(text), message))
        }
    }

    /// `metav1.LabelSelector` rules, plus Fleetcast's own: a pool's selector must not be empty, since
    /// an empty selector matches every object of its kind.
    mutating func selector(_ selector: LabelSelector, _ path: FieldPath, selects kind: String) {
        let labels = selector.matchLabels ?? [:]
        let expressions = selector.matchExpressions ?? []
        if labels.isEmpty && expressions.isEmpty {
            errors.append(.required(path, "an empty selector would select every \(kind)"))
            return
        }
        selectorTerms(selector, path)
    }

    /// The `metav1.LabelSelector` rules alone, for selectors where empty means "all" (a namespace
    /// selector: `{}` is every namespace).
    mutating func selectorTerms(_ selector: LabelSelector, _ path: FieldPath) {
        let labels = selector.matchLabels ?? [:]
        let expressions = selector.matchExpressions ?? []
        for (index, requirement) in expressions.enumerated() {
            let requirementPath = path.child("matchExpressions").index(index)
            let values = requirement.values ?? []
            switch requirement.operator {
            case .in, .notIn:
                if values.isEmpty {
                    errors.append(.required(requirementPath.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"))
                }
            case .exists, .doesNotExist:
                if !values.isEmpty {
                    errors.append(.forbidden(requirementPath.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
                }
            }
            if requirement.key.isEmpty {
                errors.append(.required(requirementPath.child("key")))
            }
        }
        for key in labels.keys.sorted() where key.isEmpty {
            errors.append(.invalid(path.child("matchLabels"), .string(key), "label keys must not be empty"))
        }
    }
}
