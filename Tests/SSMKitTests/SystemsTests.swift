import RealModule
import Testing
@testable import SSMKit

/// Integrators and named systems (Systems/): RK4's order, Dormand–Prince against exact solutions,
/// Lorenz against a fine RK4, the explicit systems and filtered noise, bad arguments.
@Suite struct SystemsTests {
    let decay: VectorField = { _, x, dx in dx[0] = -x[0] }
    let oscillator: VectorField = { _, x, dx in dx[0] = x[1]; dx[1] = -x[0] }

    @Test func rk4IsFourthOrder() throws {
        // ẋ = −x, x(0) = 1 up to t = 1 with h = 0.05 and h = 0.025: the global error shrinks by 2⁴
        // (plus O(h) from the next error term; errors ~1e−9, far above rounding).
        func error(_ substeps: Int) throws -> Double {
            let x = try integrate(decay, x0: [1], t0: 0, dt: 1, steps: 2, method: .rk4(substeps: substeps))
            return abs(x[1] - Double.exp(-1))
        }
        let ratio = try error(20) / error(40)
        #expect(abs(ratio - 16) < 0.5, "error ratio \(ratio)")
    }

    @Test func dopriMatchesExponential() throws {
        let x = try integrate(decay, x0: [2], t0: 0.5, dt: 0.25, steps: 41, method: .dormandPrince(DormandPrince()))
        for k in 0..<41 {
            let exact = 2 * Double.exp(-0.25 * Double(k))
            // rtol 1e−10 with atol 1e−12: absolute errors stay near 1e−13 as x decays.
            #expect(abs(x[k] - exact) <= 1e-10, "k = \(k): \(x[k]) vs \(exact)")
        }
    }

    @Test func dopriMatchesHarmonicOscillator() throws {
        let x = try integrate(oscillator, x0: [1, 0], t0: 0, dt: 0.1, steps: 201, method: .dormandPrince(DormandPrince()))
        for k in 0..<201 {
            let t = 0.1 * Double(k)
            #expect(abs(x[2 * k] - Double.cos(t)) <= 1e-9 && abs(x[2 * k + 1] + Double.sin(t)) <= 1e-9, "t = \(t)")
        }
    }

    @Test func dopriReusesTheLastStage() throws {
        // FSAL: one evaluation at t0, one for the starting-step heuristic, then 6 per step attempt.
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        let counted: VectorField = { _, x, dx in counter.calls += 1; dx[0] = -x[0] }
        _ = try integrate(counted, x0: [1], t0: 0, dt: 0.5, steps: 21, method: .dormandPrince(DormandPrince()))
        #expect(counter.calls > 2 && (counter.calls - 2) % 6 == 0, "\(counter.calls) evaluations")
    }

    @Test func lorenzDopriAgreesWithFineRK4() throws {
        let dopri = try simulate(.lorenz, dt: 0.01, steps: 101)
        let rk4 = try simulate(.lorenz, dt: 0.01, steps: 101, method: .rk4(substeps: 40))
        // Up to t = 1 (before chaos amplifies errors much): RK4 at h = 2.5e−4 has error ~1e−10·|x|.
        for i in dopri.indices { #expect(abs(dopri[i] - rk4[i]) <= 1e-7 * max(1, abs(rk4[i])), "index \(i)") }
        #expect(Array(dopri[0..<3]) == [1, 1, 1])
    }

    @Test func explicitSystemsFollowTheirFormulas() throws {
        let u = try simulate(.sineCubed, t0: 0.3, dt: 0.7, steps: 20)
        let lin = try simulate(.linear, parameters: [2, -0.5], dt: 0.1, steps: 5)
        let sines = try simulate(.sumOfSines, parameters: [1, 2, 0.1, 0.5, 3, 0], dt: 0.2, steps: 10)
        for k in 0..<20 {
            let s = Double.sin(0.3 + 0.7 * Double(k))
            #expect(abs(u[k] - (s * s * s + abs(s * s * s))) <= 1e-15)
        }
        for k in 0..<5 { #expect(abs(lin[k] - (2 - 0.05 * Double(k))) <= 1e-15) }
        for k in 0..<10 {
            let t = 0.2 * Double(k)
            #expect(abs(sines[k] - (Double.sin(2 * t + 0.1) + 0.5 * Double.sin(3 * t))) <= 1e-15)
        }
    }

    @Test func filteredNoiseIsSeededAndFollowsTheRecipe() throws {
        let a = try simulate(.filteredNoise, dt: 1e-3, steps: 500, seed: 7)
        let b = try simulate(.filteredNoise, dt: 1e-3, steps: 500, seed: 7)
        let c = try simulate(.filteredNoise, dt: 1e-3, steps: 500, seed: 8)
        #expect(a == b && a != c)
        var rng = SSMRandom(seed: 7)
        let g = Double.exp(-1e-3 / 0.1)
        var s1 = 0.0, s2 = 0.0
        for k in 1..<500 {
            s1 = g * s1 + (1 - g) * rng.normal(); s2 = g * s2 + (1 - g) * s1
            #expect(a[k] == s2)
        }
    }

    @Test func linearODEMatchesRotation() throws {
        let x = try simulate(.linearODE, parameters: [0, 1, -1, 0], x0: [0, 1], dt: 0.5, steps: 9)
        for k in 0..<9 {
            let t = 0.5 * Double(k)
            #expect(abs(x[2 * k] - Double.sin(t)) <= 1e-9 && abs(x[2 * k + 1] - Double.cos(t)) <= 1e-9)
        }
    }

    @Test func badArgumentsAreErrors() throws {
        func kind(_ body: () throws -> Any) -> SSMError.Kind? {
            do { _ = try body(); return nil } catch let e as SSMError { return e.kind } catch { return nil }
        }
        #expect(kind { try integrate(decay, x0: [.nan], t0: 0, dt: 0.1, steps: 3, method: .rk4(substeps: 1)) } == .value)
        #expect(kind { try integrate(decay, x0: [1], t0: 0, dt: 0, steps: 3, method: .rk4(substeps: 1)) } == .value)
        #expect(kind { try integrate(decay, x0: [1], t0: 0, dt: 0.1, steps: 0, method: .rk4(substeps: 1)) } == .size)
        #expect(kind { try integrate(decay, x0: [1], t0: 0, dt: 0.1, steps: 3, method: .dormandPrince(DormandPrince(rtol: 0))) } == .value)
        #expect(kind { try simulate(.lorenz, parameters: [1, 2], dt: 0.1, steps: 3) } == .size)
        #expect(kind { try simulate(.linearODE, parameters: [1, 0, 0, 1], dt: 0.1, steps: 3) } == .value)
        #expect(kind { try simulate(.filteredNoise, parameters: [0, 1], dt: 0.1, steps: 3) } == .value)
        // ẋ = x² from 1 blows up at t = 1: Dormand–Prince reports step size underflow just before it.
        let blowUp: VectorField = { _, x, dx in dx[0] = x[0] * x[0] }
        let k = kind { try integrate(blowUp, x0: [1], t0: 0, dt: 1, steps: 3, method: .dormandPrince(DormandPrince())) }
        #expect(k == .notConverged)
        let rk = kind { try integrate(blowUp, x0: [1], t0: 0, dt: 2, steps: 6, method: .rk4(substeps: 1)) }
        #expect(rk == .unstable)
    }
}
