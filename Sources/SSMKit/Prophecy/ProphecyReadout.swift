import RealModule

/// The continuous system of a predictor: the HiPPO memory ẋ = A x + B u (MATH.md §1, paper
/// convention) and the readout u̇(t) ≈ C x + D u (MATH.md §9). For LegS (time-varying) A, B, C, D are
/// the constant parts: at time t the system is ẋ = (A x + B u)/t and the readout (C x + D u)/t.
public struct ProphecyContinuousSystem: Sendable, Equatable {
    public var A: RealMatrix
    public var B: [Double]
    public var C: [Double]
    public var D: Double
}

/// The HiPPO matrices and the readout of a configuration.
///
/// - LegT(θ), e_n = r_n = √(2n+1) (û(t) = eᵀx is the reconstruction at "now", P_n(1) = 1):
///   time readout C = eᵀA, D = eᵀB = Σ(2n+1)/θ = N²/θ, so C x + D u = eᵀẋ = d/dt û(t);
///   space readout C_n = r_n·n(n+1)/θ, D = 0 (from u(t−s) ≈ Σ x_n r_n P_n(1 − 2s/θ) and
///   P_n′(1) = n(n+1)/2): the derivative at "now" of the degree-(N−1) least-squares fit.
/// - FouT(θ), state [1, cos 2π·1τ, sin 2π·1τ, …], τ = lag/θ, basis values g = (1, √2, 0, √2, 0, …):
///   u(t−s) ≈ x₀ + √2 Σ_m (x_(2m−1) cos 2πms/θ + x_(2m) sin 2πms/θ), so
///   u̇(t) = −∂/∂s at s = 0 gives C_(2m) = −2√2·π·m/θ on the sine entries, D = 0. Its endpoint
///   derivative grows linearly in N for signals not periodic over the window (documented limitation).
/// - LegS: C = eᵀA, D = eᵀB = N², applied at time t as (C x + D u)/t (so C_k = eᵀA/k, D_k = N²/k at
///   t = kΔ in units of Δ). The memory starts at t = 0 from nothing: the first ~N² steps are invalid.
///
/// The `readout` choice applies to LegT only. Call `configuration.validate()` first.
public func prophecyReadout(_ configuration: ProphecyConfiguration) throws -> ProphecyContinuousSystem {
    let N = configuration.N, theta = configuration.theta
    let r = (0..<N).map { Double(2 * $0 + 1).squareRoot() }
    switch configuration.basis {
    case .legt:
        let (A, B) = try hippo(.legt, N: N, theta: theta)
        switch configuration.readout {
        case .time:
            return ProphecyContinuousSystem(A: A, B: B, C: transposedProduct(A, r), D: Double(N * N) / theta)
        case .space:
            let C = (0..<N).map { r[$0] * Double($0 * ($0 + 1)) / theta }
            return ProphecyContinuousSystem(A: A, B: B, C: C, D: 0)
        }
    case .fout:
        let (A, B) = try hippo(.fout, N: N, theta: theta)
        var C = [Double](repeating: 0, count: N)
        for m in stride(from: 1, through: (N - 1) / 2, by: 1) {
            C[2 * m] = -2 * 2.0.squareRoot() * Double.pi * Double(m) / theta
        }
        return ProphecyContinuousSystem(A: A, B: B, C: C, D: 0)
    case .legs:
        let (A, B) = try hippo(.legs, N: N)
        return ProphecyContinuousSystem(A: A, B: B, C: transposedProduct(A, r), D: Double(N * N))
    }
}

/// eᵀA for a square A.
private func transposedProduct(_ A: RealMatrix, _ e: [Double]) -> [Double] {
    let n = A.rows
    var out = [Double](repeating: 0, count: n)
    for i in 0..<n {
        for j in 0..<n { out[j] += e[i] * A.elements[i * n + j] }
    }
    return out
}
