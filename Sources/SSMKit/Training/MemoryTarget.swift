import RealModule

// Target linear functionals with a chosen memory (the regression targets of "Autocorrelation
// Matters", MATH.md §5): y_t = Σ_(s ≤ t) ρ_T(t − s) x_s, a causal convolution of the input with a
// memory kernel ρ_T. ρ_T(0) weighs the current input; the sum starts at s = 0 (no input before).

/// The memory kernel ρ_T(s), s = 0, 1, … of a target linear functional.
public enum MemoryKernel: Sendable, Equatable {
    /// ρ_T(s) = e^(−s/τ), τ > 0: memory decays on the timescale τ.
    case exponential(tau: Double)
    /// ρ_T(s) = (1 + s)^(−β), β > 0: long (polynomial) memory.
    case powerLaw(beta: Double)
    /// ρ_T(s) = δ_(s,d): y_t = x_(t−d), and 0 for t < d. d ≥ 0.
    case delay(Int)
    /// ρ_T(s) = Σ_i a_i e^(−s/τ_i) cos(ω_i s), τ_i > 0, ω_i in radians per step: the oscillating
    /// targets ρ*(t) = Σ_k α_k e^(at) cos(β_k t) of MATH.md §5.
    case dampedSines(amplitudes: [Double], taus: [Double], omegas: [Double])

    /// Checks the parameters. Errors: `.value` (τ ≤ 0, β ≤ 0, d < 0, non-finite, no term),
    /// `.size` (damped-sine parameter lists of different lengths).
    public func validate() throws {
        switch self {
        case .exponential(let tau):
            try require(tau.isFinite && tau > 0, .value, "the exponential memory needs a finite τ > 0, got \(tau)")
        case .powerLaw(let beta):
            try require(beta.isFinite && beta > 0, .value, "the power-law memory needs a finite β > 0, got \(beta)")
        case .delay(let d):
            try require(d >= 0, .value, "the delay d must be ≥ 0, got \(d)")
        case .dampedSines(let a, let taus, let omegas):
            try require(!a.isEmpty, .value, "damped sines need at least one term")
            try require(a.count == taus.count && a.count == omegas.count, .size,
                        "damped sines: \(a.count) amplitudes, \(taus.count) τ, \(omegas.count) ω must agree")
            try requireFinite(a, "amplitudes")
            try requireFinite(omegas, "omegas")
            for (i, tau) in taus.enumerated() {
                try require(tau.isFinite && tau > 0, .value, "damped sines: τ[\(i)] = \(tau) must be finite and > 0")
            }
        }
    }

    /// ρ_T(s) for s ≥ 0 (0 for s < 0: the functional is causal).
    public func weight(_ s: Int) -> Double {
        guard s >= 0 else { return 0 }
        let t = Double(s)
        switch self {
        case .exponential(let tau): return Double.exp(-t / tau)
        case .powerLaw(let beta): return Double.pow(1 + t, -beta)
        case .delay(let d): return s == d ? 1 : 0
        case .dampedSines(let a, let taus, let omegas):
            var sum = 0.0
            for i in a.indices { sum += a[i] * Double.exp(-t / taus[i]) * Double.cos(omegas[i] * t) }
            return sum
        }
    }

    /// ρ_T(0), …, ρ_T(L − 1), divided by √(Σ_(s<L) ρ_T(s)²) when `normalized`: then a white
    /// unit-variance input gives Var(y_(L−1)) = 1 exactly and Var(y_t) = Σ_(s≤t) ρ_T(s)² ≤ 1 before.
    /// Errors: those of `validate()`; `.size` for L < 1; `.value` when normalizing a kernel that is
    /// zero on 0…L−1 (e.g. a delay d ≥ L).
    public func weights(L: Int, normalized: Bool = false) throws -> [Double] {
        try validate()
        try require(L >= 1, .size, "the length L must be ≥ 1, got \(L)")
        var w = (0..<L).map { weight($0) }
        if normalized {
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            try require(norm > 0 && norm.isFinite, .value,
                        "cannot normalize \(self): its weights on lags 0…\(L - 1) are all zero")
            for s in w.indices { w[s] /= norm }
        }
        return w
    }

    /// The targets y (count×L) for inputs x (count×L, row-major): y_t = Σ_(s≤t) w(t − s) x_s with
    /// w = `weights(L:normalized:)`. A delay is an exact shift; the other kernels use the FFT causal
    /// convolution (`causalConvolution`, rounding about 1e−16·Σ|w||x|). Errors: `.size` (x not count×L),
    /// `.value` (non-finite x), and those of `weights`.
    public func apply(to x: [Double], count: Int, L: Int, normalized: Bool = false) throws -> [Double] {
        let total = try taskElementCount([count, L], "count × L")
        try require(x.count == total, .size, "x has \(x.count) entries, expected count × L = \(total)")
        try requireFinite(x, "x")
        let w = try weights(L: L, normalized: normalized)
        var y = [Double](repeating: 0, count: total)
        if case .delay(let d) = self {
            // Σ w² = 1 already, so normalizing changes nothing (and d ≥ L with normalization threw above).
            for r in 0..<count where d < L { for t in d..<L { y[r * L + t] = x[r * L + t - d] } }
            return y
        }
        try w.withUnsafeBufferPointer { kernel in
            try x.withUnsafeBufferPointer { input in
                try y.withUnsafeMutableBufferPointer { output in
                    try causalConvolution(batch: count, H: 1, L: L, K: kernel, u: input, D: nil, into: output)
                }
            }
        }
        return y
    }
}
