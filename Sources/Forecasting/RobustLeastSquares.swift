import Foundation

/// Weighted least squares by normal equations with a small ridge, re-weighted with Huber weights so that
/// spikes and outages in the history pull the fit far less than squared error would let them.
struct RobustLeastSquares {
    /// Number of re-weighting passes after the ordinary fit.
    var iterations = 3
    /// Huber tuning constant in units of the robust residual scale (1.345 gives 95 % Gaussian efficiency).
    var huber = 1.345

    /// Fits `y ≈ X β` where row `i` of `X` is produced by `features(i, &row)`. Rows whose `y` is `.nan`
    /// are skipped. Returns the coefficients (zeros when nothing is observed).
    func fit(rows: Int, columns: Int, y: [Double], features: (Int, inout [Double]) -> Void) -> [Double] {
        var design = [Double](repeating: 0, count: rows * columns)
        var row = [Double](repeating: 0, count: columns)
        var observed = [Int]()
        observed.reserveCapacity(rows)
        for index in 0..<rows where !y[index].isNaN {
            features(index, &row)
            let base = observed.count * columns
            for column in 0..<columns { design[base + column] = row[column] }
            observed.append(index)
        }
        guard !observed.isEmpty else { return [Double](repeating: 0, count: columns) }
        // X'X and X'y once; each re-weighting pass only corrects them for the rows whose weight fell
        // below one (a small share under Huber weights), instead of rebuilding them from every row.
        var baseNormal = [Double](repeating: 0, count: columns * columns)
        var baseRHS = [Double](repeating: 0, count: columns)
        accumulate(&baseNormal, &baseRHS, design: design, y: y, observed: observed,
                   rows: observed.indices.map { ($0, 1.0) }, columns: columns)
        var beta = Self.solve(baseNormal, baseRHS, columns: columns)
        for _ in 0..<iterations {
            let residuals = Self.residuals(design: design, y: y, observed: observed, beta: beta, columns: columns)
            let scale = 1.4826 * (Quantiles.median(residuals.map(abs)) ?? 0)
            guard scale > 1e-12 else { break }
            let threshold = huber * scale
            var corrections = [(Int, Double)]()
            for k in residuals.indices where abs(residuals[k]) > threshold {
                corrections.append((k, threshold / abs(residuals[k]) - 1))
            }
            var normal = baseNormal, rhs = baseRHS
            accumulate(&normal, &rhs, design: design, y: y, observed: observed, rows: corrections, columns: columns)
            beta = Self.solve(normal, rhs, columns: columns)
        }
        return beta
    }

    /// `y − X β` for the observed rows, four rows side by side: each row's dot product is a chain of
    /// dependent additions, so one at a time leaves the CPU waiting. Every row is summed in column
    /// order, as one at a time would.
    private static func residuals(design: [Double], y: [Double], observed: [Int], beta: [Double], columns: Int) -> [Double] {
        var residuals = [Double](repeating: 0, count: observed.count)
        design.withUnsafeBufferPointer { design in
            beta.withUnsafeBufferPointer { beta in
                var k = 0
                while k + 4 <= observed.count {
                    var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0
                    let b0 = k * columns, b1 = b0 + columns, b2 = b1 + columns, b3 = b2 + columns
                    for column in 0..<columns {
                        let coefficient = beta[column]
                        p0 += design[b0 + column] * coefficient
                        p1 += design[b1 + column] * coefficient
                        p2 += design[b2 + column] * coefficient
                        p3 += design[b3 + column] * coefficient
                    }
                    residuals[k] = y[observed[k]] - p0
                    residuals[k + 1] = y[observed[k + 1]] - p1
                    residuals[k + 2] = y[observed[k + 2]] - p2
                    residuals[k + 3] = y[observed[k + 3]] - p3
                    k += 4
                }
                while k < observed.count {
                    var prediction = 0.0
                    let base = k * columns
                    for column in 0..<columns { prediction += design[base + column] * beta[column] }
                    residuals[k] = y[observed[k]] - prediction
                    k += 1
                }
            }
        }
        return residuals
    }

    /// Adds `factor · x xᵀ` and `factor · x y` for each listed row to the upper triangle and right side.
    /// The inner loop runs four columns at a time in SIMD lanes (the compiler leaves it scalar) over
    /// four rows at a time, each element getting the same multiplies and adds in the same order as one
    /// row and one column at a time, so the sums are unchanged to the bit.
    private func accumulate(_ normal: inout [Double], _ rhs: inout [Double], design: [Double], y: [Double],
                            observed: [Int], rows: [(Int, Double)], columns: Int) {
        normal.withUnsafeMutableBufferPointer { normal in
            rhs.withUnsafeMutableBufferPointer { rhs in
                design.withUnsafeBufferPointer { design in
                    guard let normalStart = normal.baseAddress, let designStart = design.baseAddress else { return }
                    // Four rows at a time: each element of X'X is loaded and stored once per four rows and
                    // gets their four products added in row order, as one row at a time would.
                    var block = 0
                    while block + 4 <= rows.count {
                        let (k0, f0) = rows[block], (k1, f1) = rows[block + 1], (k2, f2) = rows[block + 2], (k3, f3) = rows[block + 3]
                        let b0 = k0 * columns, b1 = k1 * columns, b2 = k2 * columns, b3 = k3 * columns
                        let t0 = y[observed[k0]], t1 = y[observed[k1]], t2 = y[observed[k2]], t3 = y[observed[k3]]
                        for i in 0..<columns {
                            let x0 = design[b0 + i] * f0, x1 = design[b1 + i] * f1
                            let x2 = design[b2 + i] * f2, x3 = design[b3 + i] * f3
                            rhs[i] += x0 * t0
                            rhs[i] += x1 * t1
                            rhs[i] += x2 * t2
                            rhs[i] += x3 * t3
                            let rowBase = i * columns
                            let l0 = SIMD4(repeating: x0), l1 = SIMD4(repeating: x1), l2 = SIMD4(repeating: x2), l3 = SIMD4(repeating: x3)
                            var j = i
                            while j + 4 <= columns {
                                let into = UnsafeMutableRawPointer(normalStart + rowBase + j)
                                var sum = into.loadUnaligned(as: SIMD4<Double>.self)
                                sum += l0 * UnsafeRawPointer(designStart + b0 + j).loadUnaligned(as: SIMD4<Double>.self)
                                sum += l1 * UnsafeRawPointer(designStart + b1 + j).loadUnaligned(as: SIMD4<Double>.self)
                                sum += l2 * UnsafeRawPointer(designStart + b2 + j).loadUnaligned(as: SIMD4<Double>.self)
                                sum += l3 * UnsafeRawPointer(designStart + b3 + j).loadUnaligned(as: SIMD4<Double>.self)
                                into.storeBytes(of: sum, as: SIMD4<Double>.self)
                                j += 4
                            }
                            while j < columns {
                                var sum = normal[rowBase + j]
                                sum += x0 * design[b0 + j]
                                sum += x1 * design[b1 + j]
                                sum += x2 * design[b2 + j]
                                sum += x3 * design[b3 + j]
                                normal[rowBase + j] = sum
                                j += 1
                            }
                        }
                        block += 4
                    }
                    for (k, factor) in rows[block...] {
                        let base = k * columns
                        let target = y[observed[k]]
                        for i in 0..<columns {
                            let xi = design[base + i] * factor
                            rhs[i] += xi * target
                            let rowBase = i * columns
                            let lanes = SIMD4(repeating: xi)
                            var j = i
                            while j + 4 <= columns {
                                let into = UnsafeMutableRawPointer(normalStart + rowBase + j)
                                let from = UnsafeRawPointer(designStart + base + j)
                                let sum = into.loadUnaligned(as: SIMD4<Double>.self) + lanes * from.loadUnaligned(as: SIMD4<Double>.self)
                                into.storeBytes(of: sum, as: SIMD4<Double>.self)
                                j += 4
                            }
                            while j < columns {
                                normal[rowBase + j] += xi * design[base + j]
                                j += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Mirrors the upper triangle, adds a small ridge for conditioning, and solves.
    private static func solve(_ upper: [Double], _ rhs: [Double], columns: Int) -> [Double] {
        var normal = upper
        var trace = 0.0
        for i in 0..<columns {
            trace += normal[i * columns + i]
            for j in 0..<i { normal[i * columns + j] = normal[j * columns + i] }
        }
        let ridge = max(trace / Double(columns), 1) * 1e-8
        for i in 0..<columns { normal[i * columns + i] += ridge }
        return choleskySolve(normal, rhs, size: columns)
    }

    /// Solves the symmetric positive-definite system `A x = b` (A row-major, `size`×`size`).
    static func choleskySolve(_ a: [Double], _ b: [Double], size: Int) -> [Double] {
        var lower = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = a[i * size + j]
                for k in 0..<j { sum -= lower[i * size + k] * lower[j * size + k] }
                if i == j {
                    lower[i * size + i] = sum > 1e-300 ? sum.squareRoot() : 1e-150
                } else {
                    lower[i * size + j] = sum / lower[j * size + j]
                }
            }
        }
        var z = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = b[i]
            for k in 0..<i { sum -= lower[i * size + k] * z[k] }
            z[i] = sum / lower[i * size + i]
        }
        var x = [Double](repeating: 0, count: size)
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = z[i]
            for k in (i + 1)..<size { sum -= lower[k * size + i] * x[k] }
            x[i] = sum / lower[i * size + i]
        }
        return x
    }
}
