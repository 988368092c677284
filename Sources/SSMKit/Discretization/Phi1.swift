import ComplexModule
import RealModule

/// e^z − 1 for complex z without cancellation in the imaginary part and in the expm1(x) term:
/// Re = expm1(x)·cos y − 2 sin²(y/2), Im = e^x sin y.
func complexExpMinusOne(_ z: Complex<Double>) -> Complex<Double> {
    let x = z.real, y = z.imaginary
    let h = Double.sin(y / 2)
    return Complex(Double.expMinusOne(x) * Double.cos(y) - 2 * h * h, Double.exp(x) * Double.sin(y))
}

/// φ1(z) = (e^z − 1)/z with φ1(0) = 1 exactly: the zero-order-hold input factor, B̄ = Δ φ1(Δλ) B.
/// For |z| < 1 the Taylor series Σ z^k/(k+1)! is used (the expm1 formula cancels near
/// Re z ≈ (Im z)²/2 there); elsewhere expm1(z)/z. It never divides by λ itself.
func phi1(_ z: Complex<Double>) -> Complex<Double> {
    if z.real == 0 && z.imaginary == 0 { return .one }
    if z.length < 1 {
        // Horner form of 1 + z/2! + z²/3! + … + z^k/(k+1)!; 20 terms reach 1/21! < 2e-20.
        var acc = Complex<Double>.one
        var k = 20
        while k >= 1 {
            acc = .one + z * acc / Complex(Double(k + 1), 0)
            k -= 1
        }
        return acc
    }
    return complexExpMinusOne(z) / z
}

/// φ2(z) = (e^z − 1 − z)/z² with φ2(0) = 1/2: the derivative φ1'(z) = φ1(z) − φ2(z) (gradients of
/// the zero-order-hold input factor). Series Σ z^k/(k+2)! for |z| < 1, else (φ1(z) − 1)/z.
func phi2(_ z: Complex<Double>) -> Complex<Double> {
    if z.length < 1 {
        // Horner form of (1/2)(1 + z/3 (1 + z/4 (1 + …))); terms to z^20/22! < 1e-21.
        var acc = Complex<Double>.one
        var k = 22
        while k >= 3 {
            acc = .one + z * acc / Complex(Double(k), 0)
            k -= 1
        }
        return acc / Complex(2, 0)
    }
    return (phi1(z) - .one) / z
}
