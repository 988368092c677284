import ComplexModule
import RealModule
import Testing
@testable import SSMKit
import TestSupport

private func scalar(_ x: Double) -> RealMatrix { RealMatrix(rows: 1, columns: 1, elements: [x]) }

@Suite struct DenseDiscretizationTests {
    /// Scalar system ẋ = a x + b u, y = c x + d u: every method has a closed form.
    @Test func scalarClosedForms() throws {
        let a = -0.7, b = 1.3, c = 0.4, d = 0.0, dt = 0.25
        let sys = StateSpace(A: scalar(a), B: scalar(b), C: scalar(c), D: scalar(d))
        let z = a * dt, ez = Double.exp(z)
        let phi1 = Double.expMinusOne(z) / z, phi2 = (Double.expMinusOne(z) - z) / (z * z)
        let zoh = try discretize(sys, dt: dt, method: .zoh)
        #expect(relativeError([zoh.A[0, 0], zoh.B[0, 0]], [ez, b * dt * phi1]) < 1e-15)
        #expect(zoh.C == sys.C && zoh.D == sys.D)
        let foh = try discretize(sys, dt: dt, method: .foh)
        let m13 = b * dt * phi2
        #expect(relativeError([foh.A[0, 0], foh.B[0, 0], foh.D[0, 0]],
                              [ez, b * dt * phi1 - m13 + ez * m13, d + c * m13]) < 1e-14)
        for alpha in [0.0, 0.3, 0.5, 1.0] {
            let g = try discretize(sys, dt: dt, method: .gbt(alpha: alpha))
            let den = 1 - alpha * dt * a
            let bd = dt * b / den
            #expect(relativeError([g.A[0, 0], g.B[0, 0], g.C[0, 0], g.D[0, 0]],
                                  [(1 + (1 - alpha) * dt * a) / den, bd, c / den, d + alpha * c * bd]) < 1e-15)
            let so = try discretize(sys, dt: dt, method: .gbt(alpha: alpha), convention: .stateOnly)
            #expect(so.A == g.A && so.B == g.B && so.C == sys.C && so.D == sys.D)
        }
        #expect(try discretize(sys, dt: dt, method: .bilinear) == (try discretize(sys, dt: dt, method: .gbt(alpha: 0.5))))
        #expect(try discretize(sys, dt: dt, method: .euler) == (try discretize(sys, dt: dt, method: .gbt(alpha: 0))))
        #expect(try discretize(sys, dt: dt, method: .backwardDiff) == (try discretize(sys, dt: dt, method: .gbt(alpha: 1))))
        let imp = try discretize(sys, dt: dt, method: .impulse)
        #expect(relativeError([imp.A[0, 0], imp.B[0, 0], imp.D[0, 0]], [ez, ez * b * dt, c * b * dt]) < 1e-15)
    }

    @Test func zohOfRotationIsClosedForm() throws {
        // A = [[0, −w],[w, 0]], B = e1: Ad rotation, Bd = ∫₀^dt e^{As} e1 ds = (sin(w dt), 1 − cos(w dt))/w.
        let w = 3.0, dt = 0.7
        let sys = StateSpace(A: RealMatrix(rows: 2, columns: 2, elements: [0, -w, w, 0]),
                             B: RealMatrix(rows: 2, columns: 1, elements: [1, 0]),
                             C: RealMatrix(rows: 0, columns: 2, elements: []), D: RealMatrix(rows: 0, columns: 1, elements: []))
        let r = try discretize(sys, dt: dt, method: .zoh)
        let c = Double.cos(w * dt), s = Double.sin(w * dt)
        #expect(relativeError(r.A.elements, [c, -s, s, c]) < 1e-15)
        #expect(relativeError(r.B.elements, [s / w, (1 - c) / w]) < 1e-15)
        #expect(r.C.rows == 0 && r.D.rows == 0)
    }

    @Test func zohMatchesDenseIdentityOnHiPPO() throws {
        // For invertible A: Bd = A⁻¹(Ad − I)B. LegS N = 24, dt = 0.05, two inputs.
        let N = 24, dt = 0.05
        let (A, b) = try hippo(.legs, N: N)
        let B = RealMatrix(rows: N, columns: 2, elements: (0..<N).flatMap { [b[$0], 1.0] })
        let sys = StateSpace(A: A, B: B, C: randomMatrix(3, N, seed: 2), D: randomMatrix(3, 2, seed: 3))
        let r = try discretize(sys, dt: dt, method: .zoh)
        #expect(relativeError(r.A, try expm(scaled(A, dt))) < 1e-13)
        var adm = r.A
        for i in 0..<N { adm[i, i] -= 1 }
        #expect(relativeError(r.B, try solve(A, matmul(adm, B))) < 1e-12)
    }

    @Test func errors() {
        let ok = StateSpace(A: scalar(-1), B: scalar(1), C: scalar(1), D: scalar(0))
        #expect(errorKind { _ = try discretize(ok, dt: 0, method: .zoh) } == .value)
        #expect(errorKind { _ = try discretize(ok, dt: .infinity, method: .zoh) } == .value)
        #expect(errorKind { _ = try discretize(ok, dt: 0.1, method: .gbt(alpha: 1.5)) } == .value)
        #expect(errorKind { _ = try discretize(ok, dt: 0.1, method: .zohAEulerB) } == .unsupported)
        #expect(errorKind { _ = try discretize(StateSpace(A: scalar(-1), B: scalar(1), C: scalar(1), D: scalar(0.5)), dt: 0.1, method: .impulse) } == .value)
        #expect(errorKind { _ = try discretize(StateSpace(A: scalar(-1), B: scalar(1), C: scalar(1), D: scalar(0.5)), dt: 0.1, method: .impulse, convention: .stateOnly) } == nil)
        #expect(errorKind { _ = try discretize(StateSpace(A: scalar(.nan), B: scalar(1), C: scalar(1), D: scalar(0)), dt: 0.1, method: .zoh) } == .value)
        #expect(errorKind { _ = try discretize(StateSpace(A: scalar(-1), B: RealMatrix(rows: 2, columns: 1, elements: [1, 1]), C: scalar(1), D: scalar(0)), dt: 0.1, method: .zoh) } == .size)
        // I − α dt A singular: a = 1/(α dt).
        #expect(errorKind { _ = try discretize(StateSpace(A: scalar(10), B: scalar(1), C: scalar(1), D: scalar(0)), dt: 0.1, method: .backwardDiff) } == .singular)
        #expect(DiscretizationMethod(name: "Tustin") == .bilinear && DiscretizationMethod(name: "forward_diff") == .euler)
        #expect(DiscretizationMethod(name: "gbt") == .gbt(alpha: 0.5) && DiscretizationMethod(name: "backward") == .backwardDiff)
        #expect(DiscretizationMethod(name: "rk4") == nil)
    }
}

@Suite struct DiagonalDiscretizationTests {
    /// Realification of one complex mode: ẋ = λx + b u as a 2×2 real system.
    private func realified(_ l: Complex<Double>, _ b: Complex<Double>) -> StateSpace {
        StateSpace(A: RealMatrix(rows: 2, columns: 2, elements: [l.real, -l.imaginary, l.imaginary, l.real]),
                   B: RealMatrix(rows: 2, columns: 1, elements: [b.real, b.imaginary]),
                   C: RealMatrix(rows: 0, columns: 2, elements: []), D: RealMatrix(rows: 0, columns: 1, elements: []))
    }

    @Test(arguments: [DiscretizationMethod.zoh, .bilinear, .euler, .backwardDiff, .gbt(alpha: 0.3)])
    func equalsDenseOnRealifiedModes(method: DiscretizationMethod) throws {
        let lambdas = [Complex(-0.5, 3.0), Complex(-2.0, 0.0), Complex(0.0, 7.0), Complex(-0.01, -0.2), Complex(1e-9, 1e-9)]
        let bs = [Complex(1.0, -0.5), Complex(0.3, 0.0), Complex(-1.0, 2.0), Complex(0.0, 1.0), Complex(2.0, 1.0)]
        for dt in [0.1, 0.013] {
            let (lb, bb) = try discretizeDiagonal(lambda: lambdas, B: bs, dt: [dt], channels: 1, method: method)
            for k in 0..<lambdas.count {
                let d = try discretize(realified(lambdas[k], bs[k]), dt: dt, method: method, convention: .stateOnly)
                #expect(relativeError([lb[k].real, -lb[k].imaginary, lb[k].imaginary, lb[k].real], d.A.elements) < 1e-13)
                #expect(relativeError([bb[k].real, bb[k].imaginary], d.B.elements) < 1e-13)
            }
        }
    }

    @Test func stabilityAndExactCases() throws {
        // |Ā| < 1 for Re λ < 0 (zoh, bilinear, backward), in particular λ = −0.5+3i, Δ = 0.1, bilinear.
        let l = Complex(-0.5, 3.0)
        for m in [DiscretizationMethod.zoh, .bilinear, .backwardDiff] {
            let (lb, _) = try discretizeDiagonal(lambda: [l, Complex(-1e-3, 50), Complex(-20, 0)], B: nil, dt: [0.1], channels: 1, method: m)
            #expect(lb.allSatisfy { $0.length < 1 })
        }
        let (bil, _) = try discretizeDiagonal(lambda: [l], B: nil, dt: [0.1], channels: 1, method: .bilinear)
        #expect(Swift.abs(bil[0].length - (Complex(0.975, 0.15) / Complex(1.025, -0.15)).length) < 1e-15)
        // λ = 0: Ā = 1 and B̄ = Δ·B exactly (zoh).
        let b = Complex(0.7, -1.1)
        let (z0, zb) = try discretizeDiagonal(lambda: [.zero], B: [b], dt: [0.37], channels: 1, method: .zoh)
        #expect(z0[0] == .one && zb[0] == b * Complex(0.37, 0))
        // Re λ = 0: |Ā| = 1 to 1e-15 for zoh and bilinear.
        for m in [DiscretizationMethod.zoh, .bilinear] {
            let (lb, _) = try discretizeDiagonal(lambda: [Complex(0, 3), Complex(0, 1000), Complex(0, 1e-8)], B: nil, dt: [0.1], channels: 1, method: m)
            #expect(lb.allSatisfy { Swift.abs($0.length - 1) <= 1e-15 })
        }
        // Mamba's rule: Ā from zoh, B̄ = Δ b.
        let (ma, mb) = try discretizeDiagonal(lambda: [l], B: [b], dt: [0.2], channels: 1, method: .zohAEulerB)
        #expect(ma[0] == Complex.exp(l * Complex(0.2, 0)) && mb[0] == b * Complex(0.2, 0))
    }

    @Test func phi1IsAccurateNearZeroAndAgainstExpm1() {
        // φ1(z) = 1 + z/2 + z²/6 + … ; at z = 1e-10·(1+i) the series is exact to rounding.
        let z = Complex(1e-10, 1e-10)
        #expect(relativeError([phi1(z)], [.one + z / Complex(2, 0)]) < 1e-16)
        // Cancelling case Re z = (Im z)²/2 (the expm1 formula alone loses digits): compare series vs
        // a direct sum with many terms in the same precision at |z| ≈ 0.5 (Horner of 40 terms).
        let w = Complex(0.125, 0.5)
        var ref = Complex<Double>.one
        for k in stride(from: 40, through: 1, by: -1) { ref = .one + w * ref / Complex(Double(k + 1), 0) }
        #expect(relativeError([phi1(w)], [ref]) < 2e-16)
        // Large |z|: φ1 = expm1(z)/z, and expm1 agrees with exp(z) − 1 where that does not cancel.
        let big = Complex(-3.0, 4.0)
        #expect(relativeError([complexExpMinusOne(big)], [Complex.exp(big) - .one]) < 1e-15)
        // Continuity across |z| = 1, where the two branches meet.
        let inside = phi1(Complex(0.6, 0.79999)), outside = phi1(Complex(0.6, 0.80001))
        #expect((inside - outside).length < 1e-4)
    }

    @Test func stepLayoutsAndErrors() throws {
        let lam = [Complex(-1.0, 1.0), Complex(-2.0, 0.5), Complex(-0.5, 2.0), Complex(-3.0, 0.0)]   // H = 2, N = 2
        let perChannel = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1, 0.2], channels: 2, method: .zoh)
        let perMode = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1, 0.1, 0.2, 0.2], channels: 2, method: .zoh)
        #expect(perChannel.lambdaBar == perMode.lambdaBar && perChannel.BBar == perMode.BBar)
        #expect(perChannel.lambdaBar[2] == Complex.exp(lam[2] * Complex(0.2, 0)))
        #expect(errorKind { _ = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1, 0.1, 0.1], channels: 2, method: .zoh) } == .size)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1, -1], channels: 2, method: .zoh) } == .value)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1], channels: 3, method: .zoh) } == .size)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1], channels: 2, method: .foh) } == .unsupported)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: lam, B: nil, dt: [0.1], channels: 2, method: .impulse) } == .unsupported)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: [Complex(.nan, 0)], B: nil, dt: [0.1], channels: 1, method: .zoh) } == .value)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: [Complex(10, 0)], B: nil, dt: [0.1], channels: 1, method: .backwardDiff) } == .singular)
        #expect(errorKind { _ = try discretizeDiagonal(lambda: [Complex(800, 0)], B: nil, dt: [1], channels: 1, method: .zoh) } == .unstable)
    }
}
