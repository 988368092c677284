import ComplexModule
import RealModule

/// Closed-form discretization of H diagonal complex systems with N modes each, mode by mode
/// (MATH.md §6 and the header doc of ssm_discretize_diag):
///   zoh Ā = e^{Δλ}, B̄ = Δ φ1(Δλ) b;  gbt(α) Ā = (1 + (1−α)Δλ)/(1 − αΔλ), B̄ = Δ b/(1 − αΔλ)
///   (bilinear α = ½, euler α = 0, backwardDiff α = 1);  zohAEulerB Ā = e^{Δλ}, B̄ = Δ b.
/// `lambda` and `B` are H×N row-major (N = lambda.count / H); `B` nil means b = 1.
/// `dt` has 1 (shared), H (per channel) or H·N (per mode) entries.
/// Errors: `.size` (counts), `.value` (non-finite input, a step not finite and > 0, alpha outside
/// [0, 1]), `.unsupported` (foh, impulse), `.singular` (1 − αΔλ = 0), `.unstable` (overflow).
public func discretizeDiagonal(lambda: [Complex<Double>], B: [Complex<Double>]?, dt: [Double],
                               channels H: Int, method: DiscretizationMethod) throws
    -> (lambdaBar: [Complex<Double>], BBar: [Complex<Double>])
{
    try require(H >= 1, .size, "H = \(H) must be at least 1")
    try require(!lambda.isEmpty && lambda.count % H == 0, .size,
                "lambda has \(lambda.count) entries, which is not H·N with H = \(H) and N ≥ 1")
    let N = lambda.count / H
    if let B { try require(B.count == H * N, .size, "B has \(B.count) entries, expected H·N = \(H * N)") }
    try require(dt.count == 1 || dt.count == H || dt.count == H * N, .size,
                "dt has \(dt.count) entries, expected 1, H = \(H) or H·N = \(H * N)")
    for (k, v) in lambda.enumerated() where !(v.real.isFinite && v.imaginary.isFinite) {
        throw SSMError(.value, "lambda[\(k)] = \(v) is not finite")
    }
    if let B {
        for (k, v) in B.enumerated() where !(v.real.isFinite && v.imaginary.isFinite) {
            throw SSMError(.value, "B[\(k)] = \(v) is not finite")
        }
    }
    for (k, d) in dt.enumerated() where !(d.isFinite && d > 0) {
        throw SSMError(.value, "dt[\(k)] = \(d) must be finite and > 0")
    }

    let rule = try DiagonalRule(method)
    var lambdaBar = [Complex<Double>](repeating: .zero, count: H * N)
    var BBar = [Complex<Double>](repeating: .zero, count: H * N)
    for h in 0..<H {
        for n in 0..<N {
            let k = h * N + n
            let step = dt.count == 1 ? dt[0] : (dt.count == H ? dt[h] : dt[k])
            (lambdaBar[k], BBar[k]) = try rule.discretize(lambda[k], B?[k] ?? .one, step: step, mode: k)
        }
    }
    return (lambdaBar, BBar)
}


/// One diagonal discretization rule, applied mode by mode (also per time step by the scan).
enum DiagonalRule: Sendable {
    case zoh, zohAEulerB, gbt(Double)

    init(_ method: DiscretizationMethod) throws {
        switch method {
        case .zoh: self = .zoh
        case .zohAEulerB: self = .zohAEulerB
        case .foh, .impulse:
            throw SSMError(.unsupported, "\(method) has no diagonal closed form: use the dense discretize")
        case .gbt, .bilinear, .euler, .backwardDiff:
            let alpha = method.gbtAlpha!
            try require(alpha.isFinite && alpha >= 0 && alpha <= 1, .value, "alpha = \(alpha) must be in [0, 1]")
            self = .gbt(alpha)
        }
    }

    /// (Ā, B̄) of mode λ with input weight b and step Δ; `mode` names it in errors.
    @inline(__always)
    func discretize(_ lambda: Complex<Double>, _ b: Complex<Double>, step: Double, mode k: Int) throws
        -> (Complex<Double>, Complex<Double>)
    {
        // Δλ as two real products (a complex product with (Δ, 0) would turn inf·0 into NaN).
        let z = Complex(lambda.real * step, lambda.imaginary * step)
        if !z.isFinite {
            throw SSMError(.unstable, "dt·lambda overflows for mode \(k) (lambda = \(lambda), dt = \(step))")
        }
        let a: Complex<Double>, bb: Complex<Double>
        switch self {
        case .zoh:
            a = Complex.exp(z); bb = phi1(z) * b * Complex(step, 0)
        case .zohAEulerB:
            a = Complex.exp(z); bb = b * Complex(step, 0)
        case .gbt(let alpha):
            let den = Complex<Double>.one - z * Complex(alpha, 0)
            if den.real == 0 && den.imaginary == 0 {
                throw SSMError(.singular, "1 − alpha·dt·lambda = 0 for lambda[\(k)] = \(lambda), dt = \(step), alpha = \(alpha)")
            }
            a = (Complex<Double>.one + z * Complex(1 - alpha, 0)) / den
            bb = b * Complex(step, 0) / den
        }
        if !(a.isFinite && bb.isFinite) {
            throw SSMError(.unstable, "the discretized mode \(k) overflows (lambda = \(lambda), dt = \(step))")
        }
        return (a, bb)
    }
}
