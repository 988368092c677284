import ComplexModule
import RealModule
import Testing
@testable import SSMKit
import TestSupport

/// The Taylor evaluations inside expm (TaylorExpm.swift) and when expm chooses them.
@Suite struct ExpmTaylorTests {
    /// Σ_{k ≤ m} z^k / k! by Horner (the reference for the product schemes).
    private func taylorSum<S: BLASScalar>(_ z: S, degree m: Int) -> S {
        var sum = S(real: 1)
        for k in stride(from: m, through: 1, by: -1) { sum = S(real: 1) + (z * sum).scaled(1 / Double(k)) }
        return sum
    }

    /// A workspace on 1×1 "matrices": the schemes reduce to scalar arithmetic.
    private func scalarWorkspace<S: BLASScalar>(_: S.Type) -> TaylorWorkspace<S> {
        TaylorWorkspace<S>(n: 1, w: 1, mul: { x, y, out in out[0] = x[0] * y[0] }, norm: { $0[0].modulus })
    }

    @Test func schemesReproduceTaylorPolynomials() {
        // Degrees 4, 8, 18 up to their θ_m, real and complex: the product schemes equal the Taylor
        // polynomials to a few ulps (measured ≤ 1.7 ulp in 40-digit arithmetic; 6 ulps allowed).
        let tolerance = 6 * Double.ulpOfOne / 2
        let ws = scalarWorkspace(Double.self)
        let buffers = UnsafeMutablePointer<Double>.allocate(capacity: 8)
        defer { buffers.deallocate() }
        let (a, a2, a3, a6, t1, t2, out) = (buffers, buffers + 1, buffers + 2, buffers + 3, buffers + 4, buffers + 5, buffers + 6)
        for degree in [4, 8, 18] {
            let theta = taylorTheta[degree]!
            for x in [-theta, -0.5 * theta, 1e-3 * theta, 0.3 * theta, theta] {
                a[0] = x; a2[0] = x * x; a3[0] = x * x * x; a6[0] = a3[0] * a3[0]
                switch degree {
                case 4: ws.degree4(a: a, a2: a2, tmp: t1, out: out)
                case 8: ws.degree8(a: a, a2: a2, t1: t1, t2: t2, out: out)
                default: _ = ws.degree18(scale: 1, powerProducts: 0, a: a, a2: a2, a3: a3, a6: a6, t1: t1, t2: t2, out: out)
                }
                let expected = taylorSum(x, degree: degree)
                #expect(abs(out[0] - expected) <= tolerance * abs(expected), "degree \(degree), x = \(x): \(out[0]) vs \(expected)")
            }
        }
        // Degree 18 with the scale folded into the coefficients: T18(x/8) from the powers of x.
        let x = 4.0
        a[0] = x; a2[0] = x * x; a3[0] = x * x * x; a6[0] = a3[0] * a3[0]
        _ = ws.degree18(scale: 0.125, powerProducts: 0, a: a, a2: a2, a3: a3, a6: a6, t1: t1, t2: t2, out: out)
        #expect(abs(out[0] - taylorSum(0.5, degree: 18)) <= tolerance * taylorSum(0.5, degree: 18))

        let cws = scalarWorkspace(Complex<Double>.self)
        let cb = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: 8)
        defer { cb.deallocate() }
        let z = Complex(-0.6, 0.8)   // |z| = 1 ≤ θ_18
        cb[0] = z; cb[1] = z * z; cb[2] = z * z * z; cb[3] = cb[2] * cb[2]
        _ = cws.degree18(scale: 1, powerProducts: 0, a: cb, a2: cb + 1, a3: cb + 2, a6: cb + 3, t1: cb + 4, t2: cb + 5, out: cb + 6)
        let expected = taylorSum(z, degree: 18)
        // A complex product rounds up to √5 times a real one (Brent, Percival & Zimmermann 2007).
        #expect((cb[6] - expected).length <= 5.0.squareRoot() * tolerance * expected.length)
    }

    @Test func denseRandomMatrixUsesTaylor18WithFewerSquarings() throws {
        // Gaussian/√N at N = 256 (the benchmark's matrix): Padé 13 needs s = 2 (both from ℓ_13),
        // Taylor 18 s = 1 (α_4 = max(d4, d5) ≈ 2.0). Both are backward stable here: they agree to
        // rounding level.
        let n = 256
        let m = randomMatrix(n, n, scale: 1 / Double(n).squareRoot(), seed: 2024)
        var taylor = m.elements, pade = m.elements
        let c1 = try expmTopBlock(&taylor, n: n, extra: 0)
        let c2 = try expmTopBlock(&pade, n: n, extra: 0, allowTaylor: false)
        #expect(c1 == ExpmChoice(degree: 18, squarings: 1, taylor: true))
        #expect(c2 == ExpmChoice(degree: 13, squarings: 2))
        #expect(relativeError(taylor, pade) < 1e-14)
    }

    @Test func largeRoundingAmplificationFallsBackToPade() throws {
        // A rotated non-normal matrix (Q T Qᵀ, T upper triangular with off-diagonal 300): Taylor
        // would need s_T = 5 ≤ s = 7, but its evaluation's ν is ≈ 190 > 20, so expm runs Padé
        // exactly as with Taylor disabled.
        var q = RealMatrix.identity(3)
        for (i, j, t) in [(0, 1, 0.3), (1, 2, 0.7), (0, 2, -0.4)] {
            var g = RealMatrix.identity(3)
            g[i, i] = Double.cos(t); g[j, j] = Double.cos(t); g[i, j] = -Double.sin(t); g[j, i] = Double.sin(t)
            q = matmul(q, g)
        }
        let t = RealMatrix(rows: 3, columns: 3, elements: [-1, 300, 300, 0, -2, 300, 0, 0, -0.5])
        let m = matmul(matmul(q, t), transpose(q))
        var withTaylor = m.elements, padeOnly = m.elements
        let c1 = try expmTopBlock(&withTaylor, n: 3, extra: 0)
        let c2 = try expmTopBlock(&padeOnly, n: 3, extra: 0, allowTaylor: false)
        #expect(c1 == c2 && !c1.taylor && c1.degree == 13 && c1.squarings == 7, "\(c1) vs \(c2)")
        #expect(withTaylor == padeOnly)
    }

    @Test(arguments: [(6, 1, 0.01), (40, 3, 0.01), (40, 3, 0.5), (64, 1, 3.0)])
    func zohChoiceIgnoresTheInputBlock(n: Int, m: Int, scale s: Double) throws {
        // e^[[F, γG], [0, 0]] has top [e^F, γ·φ1(F)G]: the degree and squarings depend on F only,
        // so scaling G by a power of two leaves the choice and every rounding unchanged and scales
        // the extra columns exactly.
        let f = randomMatrix(n, n, scale: s / Double(n).squareRoot(), seed: UInt64(n))
        let g = randomMatrix(n, m, scale: s, seed: UInt64(n + 1))
        for taylor in [true, false] {
            var tops: [[Double]] = []
            var choices: [ExpmChoice] = []
            for gamma in [1.0, 0x1p20] {
                var top = [Double]()
                for i in 0..<n { top += f.elements[(i * n)..<(i * n + n)] + g.elements[(i * m)..<(i * m + m)].map { $0 * gamma } }
                choices.append(try expmTopBlock(&top, n: n, extra: m, allowTaylor: taylor))
                tops.append(top)
            }
            #expect(choices[0] == choices[1], "\(choices)")
            for i in 0..<n {
                for j in 0..<(n + m) {
                    let k = i * (n + m) + j
                    #expect(tops[1][k] == (j < n ? tops[0][k] : tops[0][k] * 0x1p20))
                }
            }
        }
    }
}
