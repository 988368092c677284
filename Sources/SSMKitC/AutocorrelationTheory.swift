// Header section "Autocorrelation: theory".
import ComplexModule
import CSSMKit
import SSMKit

/// The model of a theory call: N modes w with input weights B (NULL: every B_j = 1). `extra`
/// elements of 16 bytes (the window's arrays and work) are counted against the allocation limit
/// with the model's own copies before anything is read. (N ≤ 2⁴⁸ by `size` and `extra` comes from
/// `elementCount` or a size, so 4N + extra cannot overflow.)
private func theoryModel(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                         extra: Int) throws -> DiagonalSISO {
    let n = try size(N, "N"), w = try nonNull(w, "w")
    try requireWorkspace(elements: 4 * n + extra, bytesPerElement: 16, what: "the model and its window")
    return try DiagonalSISO(w: complexes(w, n), B: B.map { complexes($0, n) })
}

@c @implementation
public func ssm_output_weights(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                               _ c: UnsafePointer<ssm_complex_t>?, _ dt: Double, _ L: Int64,
                               _ rho: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_output_weights") {
        let L = try size(L, "L"), c = try nonNull(c, "c"), rho = try nonNull(rho, "rho")
        let model = try theoryModel(N, w, B, extra: L)
        write(try model.outputWeights(c: complexes(c, model.modes), dt: dt, L: L), to: rho)
    }
}

@c @implementation
public func ssm_output_power(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                             _ c: UnsafePointer<ssm_complex_t>?, _ dt: Double, _ L: Int64, _ r: UnsafePointer<Double>?,
                             _ power: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_output_power") {
        let L = try size(L, "L"), c = try nonNull(c, "c"), r = try nonNull(r, "r"), power = try nonNull(power, "power")
        // The FFT product: padded rows and spectra of up to 4L entries each.
        let model = try theoryModel(N, w, B, extra: try elementCount(L, 16, what: "the Toeplitz product"))
        power.pointee = try model.outputPower(c: complexes(c, model.modes), dt: dt, autocorrelation: doubles(r, L))
    }
}

@c @implementation
public func ssm_expected_output_power(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                                      _ dt: Double, _ L: Int64, _ r: UnsafePointer<Double>?,
                                      _ power: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_expected_output_power") {
        let L = try size(L, "L"), r = try nonNull(r, "r"), power = try nonNull(power, "power")
        let model = try theoryModel(N, w, B, extra: L)
        power.pointee = try model.expectedOutputPower(dt: dt, autocorrelation: doubles(r, L))
    }
}

@c @implementation
public func ssm_output_power_bound(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                                   _ c: UnsafePointer<ssm_complex_t>?, _ dt: Double, _ L: Int64, _ lambda_max: Double,
                                   _ bound: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_output_power_bound") {
        let L = try size(L, "L"), c = try nonNull(c, "c"), bound = try nonNull(bound, "bound")
        let model = try theoryModel(N, w, B, extra: 0)
        bound.pointee = try model.outputPowerBound(c: complexes(c, model.modes), dt: dt, L: L, lambdaMax: lambda_max)
    }
}

@c @implementation
public func ssm_critical_timescale(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ B: UnsafePointer<ssm_complex_t>?,
                                   _ L: Int64, _ r: UnsafePointer<Double>?, _ target: Double, _ dt_min: Double,
                                   _ dt_max: Double, _ dt: UnsafeMutablePointer<Double>?,
                                   _ iterations: UnsafeMutablePointer<Int64>?,
                                   _ evaluations: UnsafeMutablePointer<Int64>?) -> Int32 {
    boundary("ssm_critical_timescale") {
        let L = try size(L, "L"), r = try nonNull(r, "r"), dt = try nonNull(dt, "dt")
        let model = try theoryModel(N, w, B, extra: L)
        let result = try model.criticalTimescale(autocorrelation: doubles(r, L), target: target, dtMin: dt_min, dtMax: dt_max)
        dt.pointee = result.dt
        iterations?.pointee = Int64(result.iterations)
        evaluations?.pointee = Int64(result.evaluations)
    }
}

@c @implementation
public func ssm_timescale_rule(_ L: Int64, _ lambda_max: Double, _ kappa: Double, _ dt: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_timescale_rule") {
        let L = try size(L, "L"), dt = try nonNull(dt, "dt")
        dt.pointee = try timescaleRule(L: L, lambdaMax: lambda_max, kappa: kappa)
    }
}

@c @implementation
public func ssm_memory_weight(_ N: Int64, _ a: UnsafePointer<Double>?, _ dt: Double, _ L: Int64,
                              _ weight: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_memory_weight") {
        let n = try size(N, "N"), L = try size(L, "L")
        let a = try nonNull(a, "a"), weight = try nonNull(weight, "weight")
        try requireWorkspace(elements: n, bytesPerElement: 16, what: "the weights")
        write(try firstTokenWeight(realParts: doubles(a, n), dt: dt, L: L), to: weight)
    }
}

/// Copies an N×N matrix into caller memory.
private func write(_ G: RealMatrix, to pointer: UnsafeMutablePointer<Double>) {
    pointer.update(from: G.elements, count: G.elements.count)
}

@c @implementation
public func ssm_gram_continuous(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ G: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_gram_continuous") {
        let n = try size(N, "N"), w = try nonNull(w, "w"), G = try nonNull(G, "G")
        try requireWorkspace(elements: try elementCount(n, n, what: "G"), bytesPerElement: 8, what: "the Gram matrix")
        write(try continuousGram(complexes(w, n)), to: G)
    }
}

@c @implementation
public func ssm_gram_discrete(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ dt: Double, _ L: Int64,
                              _ G: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_gram_discrete") {
        let n = try size(N, "N"), L = try size(L, "L"), w = try nonNull(w, "w"), G = try nonNull(G, "G")
        // The sampled features N×L and G N×N.
        try requireWorkspace(elements: try elementCount(n, L + n, what: "the features"), bytesPerElement: 8,
                             what: "the features and the Gram matrix")
        write(try discreteGram(complexes(w, n), dt: dt, L: L), to: G)
    }
}

@c @implementation
public func ssm_condition_number(_ n: Int64, _ G: UnsafePointer<Double>?, _ kappa: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_condition_number") {
        let n = try size(n, "n"), G = try nonNull(G, "G"), kappa = try nonNull(kappa, "kappa")
        let count = try elementCount(n, n, what: "G")
        // The copy, the eigensolver's copy and its work space (about 2n² + 6n).
        try requireWorkspace(elements: count, bytesPerElement: 40, what: "the eigenvalues of G")
        kappa.pointee = try conditionNumber(RealMatrix(rows: n, columns: n, elements: doubles(G, count)))
    }
}

@c @implementation
public func ssm_approximation_error(_ N: Int64, _ w: UnsafePointer<ssm_complex_t>?, _ dt: Double, _ L: Int64,
                                    _ target: UnsafePointer<Double>?, _ rcond: Double,
                                    _ error: UnsafeMutablePointer<Double>?) -> Int32 {
    boundary("ssm_approximation_error") {
        let n = try size(N, "N"), L = try size(L, "L"), w = try nonNull(w, "w")
        let target = try nonNull(target, "target"), error = try nonNull(error, "error")
        // Φ, Φᵀ and U (N×L each), VT and the SVD's work space (about 4N² + 7N + L per column).
        try requireWorkspace(elements: try elementCount(n, L + 4 * n + 8, what: "the features"), bytesPerElement: 40,
                             what: "the least-squares problem")
        guard rcond.isFinite else { throw SSMError(.value, "rcond = \(rcond) is not finite") }
        error.pointee = try approximationError(complexes(w, n), dt: dt, target: doubles(target, L),
                                               rcond: rcond < 0 ? nil : rcond)
    }
}
