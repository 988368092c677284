import ComplexModule
import RealModule
import Testing
@testable import SSMKit

@Suite struct HiPPOTests {
    @Test func legsSmallCaseByHand() throws {
        // N = 3: r = (1, √3, √5).
        let (A, B) = try hippo(.legs, N: 3)
        let r3 = 3.0.squareRoot(), r5 = 5.0.squareRoot()
        #expect(relativeError(A.elements, [-1, 0, 0, -r3, -2, 0, -r5, -r3 * r5, -3]) < 1e-15)
        #expect(relativeError(B, [1, r3, r5]) < 1e-15)
    }

    @Test func legtLmuLagtFoutSmallCasesByHand() throws {
        let r3 = 3.0.squareRoot()
        // LegT N = 2, θ = 2: A = −(1/2)[[1, −√3],[√3, 3]], B = (1, √3)/2.
        let (At, Bt) = try hippo(.legt, N: 2, theta: 2)
        #expect(relativeError(At.elements, [-0.5, r3 / 2, -r3 / 2, -1.5]) < 1e-15)
        #expect(relativeError(Bt, [0.5, r3 / 2]) < 1e-15)
        // LMU N = 2, θ = 1: A = [[−1, −1],[3, −3]], B = (1, −3).
        let (Al, Bl) = try hippo(.lmu, N: 2)
        #expect(Al.elements == [-1, -1, 3, -3] && Bl == [1, -3])
        // LagT N = 3: ½I − tril(ones), B = 1.
        let (Ag, Bg) = try hippo(.lagt, N: 3, theta: 7)
        #expect(Ag.elements == [-0.5, 0, 0, -1, -0.5, 0, -1, -1, -0.5] && Bg == [1, 1, 1])
        // FouT N = 3, θ = 1: g = (1, √2, 0); A = Ω − 2ggᵀ with Ω[2,1] = 2π = −Ω[1,2].
        let (Af, Bf) = try hippo(.fout, N: 3)
        let s2 = 2.0.squareRoot(), tp = 2 * Double.pi
        #expect(relativeError(Af.elements, [-2, -2 * s2, 0, -2 * s2, -4, -tp, 0, tp, 0]) < 1e-15)
        #expect(relativeError(Bf, [2, 2 * s2, 0]) < 1e-15)
    }

    @Test(arguments: [1, 2, 5, 16, 33])
    func legsEigenvaluesAreMinusOneToMinusN(N: Int) throws {
        let w = try eig(try hippo(.legs, N: N).A)
        let re = w.map(\.real).sorted()
        #expect(relativeError(re, (1...N).map { -Double($0) }.reversed()) < 1e-12)
        #expect(w.allSatisfy { Swift.abs($0.imaginary) < 1e-9 })
    }

    @Test func s4ConventionHalvesLegTOnly() throws {
        let paper = try hippo(.legt, N: 9, theta: 1), s4 = try hippo(.legt, N: 9, theta: 1, convention: .s4)
        #expect(s4.A.elements == paper.A.elements.map { 0.5 * $0 })
        #expect(s4.B == paper.B.map { 0.5 * $0 })
        let wide = try hippo(.legt, N: 9, theta: 2.5)
        #expect(try hippo(.legt, N: 9, theta: 1.25, convention: .s4).A == wide.A)
        for m in [HiPPOMeasure.legs, .lmu, .lagt] {
            let a = try hippo(m, N: 6, theta: 0.7), b = try hippo(m, N: 6, theta: 0.7, convention: .s4)
            #expect(a.A == b.A && a.B == b.B)
        }
        #expect(errorKind { _ = try hippo(.fout, N: 5, convention: .s4) } == .unsupported)
    }

    /// A + Σ p_i p_iᵀ = c·I + skew for every measure with a correction.
    @Test(arguments: [HiPPOMeasure.legs, .legt, .lagt, .fout])
    func rankCorrectionMakesNormal(measure: HiPPOMeasure) throws {
        for N in [1, 3, 7, 16, 31] where measure != .fout || N % 2 == 1 {
            for theta in [0.5, 1.0, 3.0] {
                for convention in [HiPPOConvention.paper, .s4] where !(measure == .fout && convention == .s4) {
                    let A = try hippo(measure, N: N, theta: theta, convention: convention).A
                    let P = try hippoRankCorrection(measure, N: N, theta: theta, convention: convention)
                    #expect(P.rows == (try hippoRank(measure)) && P.columns == N)
                    var S = A
                    for i in 0..<P.rows { for n in 0..<N { for k in 0..<N { S[n, k] += P[i, n] * P[i, k] } } }
                    // Exact in real arithmetic; in fp64 p_n p_k = √(…)√(…) rounds, so allow 4u·max|A|.
                    let scaleA = A.elements.map { Swift.abs($0) }.max()!
                    let c = measure == .legs ? -0.5 : 0
                    for n in 0..<N {
                        #expect(Swift.abs(S[n, n] - c) <= 4 * Double.ulpOfOne * scaleA)
                        for k in 0..<n { #expect(Swift.abs(S[n, k] + S[k, n]) <= 4 * Double.ulpOfOne * scaleA) }
                    }
                }
            }
        }
    }

    @Test func errorsAndNames() {
        #expect(errorKind { _ = try hippo(.legs, N: 0) } == .size)
        #expect(errorKind { _ = try hippo(.fout, N: 4) } == .size)
        #expect(errorKind { _ = try hippo(.legt, N: 4, theta: 0) } == .value)
        #expect(errorKind { _ = try hippo(.legt, N: 4, theta: .nan) } == .value)
        #expect(errorKind { _ = try hippoRank(.lmu) } == .unsupported)
        #expect(errorKind { _ = try hippoRankCorrection(.lmu, N: 4) } == .unsupported)
        #expect(HiPPOMeasure(name: "LegS") == .legs && HiPPOMeasure(name: "fout") == .fout)
        #expect(HiPPOMeasure(name: "legendre") == nil)
        #expect(try! hippoRank(.legt) == 2 && (try! hippoRank(.legs)) == 1)
        do { _ = try hippo(.legt, N: 3, theta: -1) } catch let e as SSMError { #expect(e.message.contains("theta")) } catch {}
    }
}
