import ComplexModule
import RealModule

// Input processes with a chosen autocorrelation, for the "Autocorrelation Matters" experiments
// (MATH.md §4–5: the Δ rule depends on the input autocorrelation matrix R = E[x xᵀ]). Every process is
// stationary, zero-mean, with unit variance, so its autocovariance equals its autocorrelation ρ(k)
// and ρ(0) = 1. Sequences come out as `count` rows of L (row-major), drawn from one SSMRandom(seed:)
// in the order documented per case, so the same seed gives the same numbers from Swift, C and Python.

/// A stationary Gaussian (or random-phase) input process with unit variance and autocorrelation ρ(k).
public enum InputProcess: Sendable, Equatable {
    /// Independent N(0, 1): ρ(k) = δ_k. Draws: L normals per row.
    case white
    /// AR(1) x_t = φ x_(t−1) + √(1 − φ²) ε_t with the stationary start x_0 ~ N(0, 1), |φ| < 1:
    /// ρ(k) = φ^|k|. Draws per row: x_0, then ε_1 … ε_(L−1).
    case ar1(phi: Double)
    /// Power-law long memory ρ(k) = (1 + |k|)^(−α), α > 0 (for α ≤ 1 the sum of ρ diverges: long
    /// memory). Chosen over fractional Gaussian noise because it has this exact form at every lag and
    /// every α > 0. Generated exactly by circulant embedding (Davies & Harte 1987; Dietrich & Newsam
    /// 1997): ρ is convex, decreasing and positive, so the embedding is nonnegative definite.
    /// Draws: per pair of rows, 2m normals (real, imaginary part of each frequency; m the embedding size).
    case powerLaw(alpha: Double)
    /// Fully correlated: one N(0, 1) value per row held over all steps, ρ(k) = 1. Draws: 1 normal per row.
    case constant
    /// Sum of sines with random phases, x_t = c Σ_i a_i sin(ω_i t + θ_i), θ_i ~ U[0, 2π) per row,
    /// ω_i in radians per step, c = √(2 / Σ a_i²) for unit variance: ρ(k) = Σ a_i² cos(ω_i k) / Σ a_i².
    /// Draws: one uniform per sine per row.
    case sines(omegas: [Double], amplitudes: [Double])

    /// Checks the parameters. Errors: `.value` (|φ| ≥ 1, α ≤ 0, a non-finite parameter, no sine, all
    /// amplitudes zero), `.size` (omegas and amplitudes of different lengths).
    public func validate() throws {
        switch self {
        case .white, .constant: break
        case .ar1(let phi):
            try require(phi.isFinite && abs(phi) < 1, .value, "AR(1) needs |φ| < 1 for a stationary process, got φ = \(phi)")
        case .powerLaw(let alpha):
            try require(alpha.isFinite && alpha > 0, .value, "the power-law exponent α must be finite and > 0, got \(alpha)")
        case .sines(let omegas, let amplitudes):
            try require(!omegas.isEmpty, .value, "a sum of sines needs at least one frequency")
            try require(omegas.count == amplitudes.count, .size,
                        "\(omegas.count) frequencies but \(amplitudes.count) amplitudes")
            try requireFinite(omegas, "omegas")
            try requireFinite(amplitudes, "amplitudes")
            try require(amplitudes.contains { $0 != 0 }, .value, "all sine amplitudes are zero")
        }
    }

    /// The theoretical autocorrelation ρ(k) (= autocovariance, unit variance); symmetric in k.
    public func autocorrelation(_ k: Int) -> Double {
        let k = abs(k)
        switch self {
        case .white: return k == 0 ? 1 : 0
        case .ar1(let phi): return Double.pow(phi, k)   // integer power: φ < 0 is allowed
        case .powerLaw(let alpha): return Double.pow(1 + Double(k), -alpha)
        case .constant: return 1
        case .sines(let omegas, let amplitudes):
            var num = 0.0, den = 0.0
            for (w, a) in zip(omegas, amplitudes) { num += a * a * Double.cos(w * Double(k)); den += a * a }
            return num / den
        }
    }

    /// ρ(0), ρ(1), …, ρ(L − 1): the first row of the L×L Toeplitz matrix R.
    public func autocorrelation(lags L: Int) -> [Double] { (0..<max(L, 0)).map { autocorrelation($0) } }

    /// `count` sequences of length L (count×L, row-major) from `seed`. Errors: `.size` (count or L < 1,
    /// or count×L overflows), the errors of `validate()`, and `.unsupported` if a circulant embedding
    /// is not nonnegative definite (cannot happen for the power law of this enum; kept as a guard).
    public func generate(count: Int, L: Int, seed: UInt64) throws -> [Double] {
        try validate()
        let total = try taskElementCount([count, L], "count × L")
        var rng = SSMRandom(seed: seed)
        var x = [Double](repeating: 0, count: total)
        switch self {
        case .white:
            for i in 0..<total { x[i] = rng.normal() }
        case .ar1(let phi):
            let innovation = (1 - phi * phi).squareRoot()
            for r in 0..<count {
                var prev = rng.normal()
                x[r * L] = prev
                for t in 1..<max(L, 1) { prev = phi * prev + innovation * rng.normal(); x[r * L + t] = prev }
            }
        case .constant:
            for r in 0..<count { let v = rng.normal(); for t in 0..<L { x[r * L + t] = v } }
        case .sines(let omegas, let amplitudes):
            let c = (2 / amplitudes.reduce(0) { $0 + $1 * $1 }).squareRoot()
            var phases = [Double](repeating: 0, count: omegas.count)
            for r in 0..<count {
                for i in phases.indices { phases[i] = 2 * Double.pi * rng.uniform() }
                for t in 0..<L {
                    var s = 0.0
                    for i in omegas.indices { s += amplitudes[i] * Double.sin(omegas[i] * Double(t) + phases[i]) }
                    x[r * L + t] = c * s
                }
            }
        case .powerLaw:
            try circulantEmbeddingSample(autocorrelation, count: count, L: L, rng: &rng, into: &x)
        }
        return x
    }
}

/// Eigenvalues λ_j = Σ_k c_k e^(−2πi jk/m), j = 0…m/2, of the circulant embedding of ρ:
/// c_k = ρ(min(k, m − k)), m = 2n with n the smallest power of two ≥ max(L − 1, 1), so the
/// circulant's top-left L×L block is the Toeplitz matrix R. Nonnegative λ make it a covariance.
func circulantEigenvalues(_ rho: (Int) -> Double, L: Int) throws -> [Double] {
    var n = 1
    while n < L - 1 { n <<= 1 }
    let m = 2 * n
    var c = [Double](repeating: 0, count: m)
    for k in 0..<m { c[k] = rho(min(k, m - k)) }
    return try rfft(c).map { $0.real }   // c is real and even: the spectrum is real
}

/// Davies–Harte: with Z_j = ξ_j + iη_j, ξ, η ~ N(0, 1) independent and W = FFT(√(λ/m) ∘ Z), the
/// real and imaginary parts of W are two independent N(0, C) vectors (E[W Wᴴ] = 2C, E[W Wᵀ] = 0);
/// their first L entries are two rows (even rows the real parts). Draw order per pair of rows:
/// ξ_0, η_0, ξ_1, η_1, …. Errors: `.unsupported` if an eigenvalue is below −1e−10·λ_max.
func circulantEmbeddingSample(_ rho: (Int) -> Double, count: Int, L: Int, rng: inout SSMRandom,
                              into x: inout [Double]) throws {
    let half = try circulantEigenvalues(rho, L: L)
    let m = 2 * (half.count - 1)
    let largest = half.max() ?? 0
    var scale = [Double](repeating: 0, count: m)
    for j in 0..<m {
        let lambda = half[j <= m / 2 ? j : m - j]
        // Rounding leaves eigenvalues that are zero in exact arithmetic at about −1e−16·λ_max.
        try require(lambda >= -1e-10 * largest, .unsupported,
                    "the circulant embedding (size \(m)) of ρ has eigenvalue λ_\(j) = \(lambda) < 0: not a valid covariance at L = \(L)")
        scale[j] = (max(lambda, 0) / Double(m)).squareRoot()
    }
    let pairs = (count + 1) / 2
    var w = [Complex<Double>](repeating: .zero, count: pairs * m)
    for p in 0..<pairs {
        for j in 0..<m {
            let xi = rng.normal(), eta = rng.normal()
            w[p * m + j] = Complex(scale[j] * xi, scale[j] * eta)
        }
    }
    try w.withUnsafeMutableBufferPointer { buffer in
        try fft(n: m, count: pairs, UnsafeBufferPointer(buffer), into: buffer)
    }
    for r in 0..<count {
        let base = (r / 2) * m
        for t in 0..<L { x[r * L + t] = r % 2 == 0 ? w[base + t].real : w[base + t].imaginary }
    }
}

/// The product of `dims` after checking each is ≥ 1 and the product does not overflow (`.size`).
func taskElementCount(_ dims: [Int], _ name: String) throws -> Int {
    var total = 1
    for d in dims {
        try require(d >= 1, .size, "\(name): every size must be ≥ 1, got \(dims)")
        let (p, overflow) = total.multipliedReportingOverflow(by: d)
        try require(!overflow, .size, "\(name) = \(dims) overflows")
        total = p
    }
    return total
}
