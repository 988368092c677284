import CLAPACK
import ComplexModule
import RealModule

// Gram matrices of the fixed features φ_j(t) = e^(a_j t) cos(b_j t), w_j = a_j + i b_j (MATH.md §5,
// Section 4.3 direction): with trained real c, the output Σ_j c_j φ_j has the least-squares Hessian
// ∝ G, so κ(G) (ConditionNumber.swift) governs how hard the readout is to train.
//
// Continuous, infinite horizon: G_jk = ∫_0^∞ φ_j φ_k dt = ½[s/(s² + (b_j − b_k)²) + s/(s² + (b_j + b_k)²)],
// s = −(a_j + a_k) > 0 (from cos·cos = ½[cos((b_j − b_k)t) + cos((b_j + b_k)t)]).
// Discrete, finite window: samples t_m = mΔ, m = 0…L−1, Φ_jm = φ_j(t_m), G = Δ·ΦΦᵀ. The factor Δ
// makes G the left Riemann sum of the integral over [0, LΔ], so it tends to the continuous G when
// Δ → 0 and LΔ → ∞ (Euler–Maclaurin: G_disc − G_cont ≈ Δ/2 − (Δ²/12)·s + O(e^(−sLΔ))). It
// shows aliasing the continuous G does not: when Δ b_j ≡ ±Δ b_k (mod 2π) and a_j = a_k, the sampled
// features j and k are equal and G is singular.

/// The continuous Gram matrix (N×N, symmetric) of the features of eigenvalues w.
/// Errors: `.size` (no mode), `.value` (non-finite w, or some Re w ≥ 0: then s = −(a_j + a_k) ≤ 0
/// and the integral diverges).
public func continuousGram(_ w: [Complex<Double>]) throws -> RealMatrix {
    try require(!w.isEmpty, .size, "at least one mode is needed (w is empty)")
    try requireFiniteComplex(w, "w")
    if let j = w.firstIndex(where: { $0.real >= 0 }) {
        throw SSMError(.value, "the continuous Gram matrix needs s = −(a_j + a_k) > 0, i.e. every Re w < 0; got w[\(j)] = \(w[j])")
    }
    let n = w.count
    var G = RealMatrix(rows: n, columns: n, repeating: 0)
    for j in 0..<n {
        for k in 0...j {
            let s = -(w[j].real + w[k].real)
            let minus = w[j].imaginary - w[k].imaginary, plus = w[j].imaginary + w[k].imaginary
            // s/(s² + d²) = 1/(s + d·(d/s)): no overflow of s² or d² for large or tiny values.
            let value = 0.5 * (1 / (s + minus * (minus / s)) + 1 / (s + plus * (plus / s)))
            G[j, k] = value
            G[k, j] = value
        }
    }
    try requireFiniteEntries(G, "G")
    return G
}

/// The sampled features Φ (N×L, row-major): Φ_jm = e^(a_j mΔ) cos(b_j mΔ).
/// Errors: `.size` (no mode, L < 1), `.value` (non-finite w, Δ), `.unstable` (a feature overflows).
func dampedCosineFeatures(_ w: [Complex<Double>], dt: Double, L: Int) throws -> RealMatrix {
    try require(!w.isEmpty, .size, "at least one mode is needed (w is empty)")
    try requireFiniteComplex(w, "w")
    try requireStep(dt)
    try require(L >= 1, .size, "the window L = \(L) must be at least 1")
    var phi = RealMatrix(rows: w.count, columns: L, repeating: 0)
    for j in w.indices {
        for m in 0..<L {
            let t = Double(m) * dt
            phi[j, m] = Double.exp(w[j].real * t) * Double.cos(w[j].imaginary * t)
        }
    }
    if let k = phi.elements.firstIndex(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the feature of mode \(k / L) overflows at m = \(k % L) (w = \(w[k / L]), Δ = \(dt))")
    }
    return phi
}

/// The discrete finite-window Gram matrix Δ·ΦΦᵀ (N×N, symmetric) of the features of eigenvalues w
/// sampled at t_m = mΔ, m < L. Any Re w is accepted (the window is finite). Computed by one
/// symmetric rank-L update (dsyrk) and mirrored, so G is exactly symmetric.
/// Errors: those of the features; `.size` (N or L above 2³¹ − 1, LAPACK's index range).
public func discreteGram(_ w: [Complex<Double>], dt: Double, L: Int) throws -> RealMatrix {
    try require(w.count <= Int(Int32.max) && L <= Int(Int32.max), .size,
                "N = \(w.count) and L = \(L) must be below 2³¹ for BLAS")
    let phi = try dampedCosineFeatures(w, dt: dt, L: L)
    let n = w.count
    var G = RealMatrix(rows: n, columns: n, repeating: 0)
    prepareBLAS()
    phi.elements.withUnsafeBufferPointer { p in
        G.elements.withUnsafeMutableBufferPointer { g in
            cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, Int32(n), Int32(L), dt,
                        p.baseAddress!, Int32(L), 0, g.baseAddress!, Int32(n))
        }
    }
    for j in 0..<n { for k in 0..<j { G[k, j] = G[j, k] } }
    if G.elements.contains(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the discrete Gram matrix overflows (Δ = \(dt), L = \(L))")
    }
    return G
}
