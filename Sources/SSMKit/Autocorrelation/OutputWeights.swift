import ComplexModule
import RealModule

// The output's weights on past inputs (MATH.md §5). With h_0 = 0 and inputs x_1…x_L, the final
// output is y_L = Σ_(m=0)^(L−1) ρ_m x_(L−m) with
//   ρ_m = Re Σ_j c_j B̄_j e^(Δ w_j m),
// the model's convolution kernel read out through Re(cᵀh) (no conjugate-pair factor 2).

extension DiagonalSISO {
    /// ρ_0 … ρ_(L−1) for the readout c and step Δ: the weight of the input m steps before the last.
    /// The powers e^(Δ w_j m) come from the diagonal kernel's power table (accurate to a few tens of
    /// ulps at any m, DiagonalKernel.swift). Errors: `.size` (L < 1, c of another length), `.value`
    /// (non-finite c, Δ not finite and > 0), `.unstable` (a mode with Re w > 0 overflows).
    public func outputWeights(c: [Complex<Double>], dt: Double, L: Int) throws -> [Double] {
        try requireReadout(c)
        try require(L >= 1, .size, "the window L = \(L) must be at least 1")
        let (z, bBar) = try zeroOrderHold(dt: dt)
        let weights = zip(c, bBar).map { $0 * $1 }
        try requireFiniteComplex(weights, "c·B̄")
        var rho = [Double](repeating: 0, count: L)
        try z.withUnsafeBufferPointer { zp in
            try weights.withUnsafeBufferPointer { wp in
                try rho.withUnsafeMutableBufferPointer { out in
                    try diagonalKernel(H: 1, N: modes, L: L, z: zp, w: wp, pairs: false, into: out)
                }
            }
        }
        return rho
    }
}
