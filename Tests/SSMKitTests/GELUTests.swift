import RealModule
import Testing
@testable import SSMKit

/// The float32 GELU in SIMD lanes (GELU.swift) against the float64 one (libm erfc and exp).
@Suite struct GELUTests {
    @Test func float32MatchesFloat64() {
        var x = stride(from: -14.0, through: 14.0, by: 0.001).map { Float($0) }
        x += [0, -0, 1e-30, -1e-30, Float.leastNormalMagnitude, 20, -20, -40]
        var a = [Float](repeating: .nan, count: x.count), g = a
        geluAndSlope(x, count: x.count, activation: &a, slope: &g)
        var worst = (0.0, 0.0, 0.0)
        for i in x.indices {
            let (a64, g64) = geluAndSlope(Double(x[i]))
            // Absolute, on the scale of the input (a float32 rounding of x·Φ(x) is ~6e-8·|x|) ...
            let scale = max(1, abs(Double(x[i])))
            let errors = (abs(Double(a[i]) - a64) / scale, abs(Double(g[i]) - g64) / scale,
                          // ... and relative in the left tail, where x·Φ(x) is tiny (Φ(−8) = 6e-16).
                          x[i] < -0.5 && x[i] > -8 ? abs(Double(a[i]) - a64) / abs(a64) : 0)
            worst = (max(worst.0, errors.0), max(worst.1, errors.1), max(worst.2, errors.2))
        }
        // Measured: 9.5e-8, 1.7e-7, and 6.3e-6 in the tail: the exponent −x²/2 rounded in float32
        // (relative error ~x²·6e-8 of e^(−x²/2); at x = −8 that is 6e-6 of a value of 5e-15).
        #expect(worst.0 <= 3e-7 && worst.1 <= 3e-7 && worst.2 <= 1e-5, "worst errors \(worst)")
        #expect(a.allSatisfy(\.isFinite) && g.allSatisfy(\.isFinite))
    }

    @Test func exp8MatchesDouble() {
        var worst = 0.0
        for v in stride(from: -87.0, through: 88.0, by: 0.0137) {
            let x = Float(v)
            let e = Double(exp8(SIMD8(repeating: x))[0]), reference = Double.exp(Double(x))
            worst = max(worst, abs(e - reference) / reference)
        }
        #expect(worst <= 3e-7, "worst relative error \(worst)")
    }
}
