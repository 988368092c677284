/// The classical fourth-order Runge–Kutta method with a fixed step:
/// k1 = f(t, x), k2 = f(t + h/2, x + h/2·k1), k3 = f(t + h/2, x + h/2·k2), k4 = f(t + h, x + h·k3),
/// x ← x + h/6·(k1 + 2k2 + 2k3 + k4). Local error O(h⁵), global error O(h⁴).
enum RungeKutta4 {
    /// Fills `out` (steps × d) with samples at t0 + kΔ, taking `substeps` steps of h = Δ/substeps
    /// between samples; each interval starts from its exact sample time.
    static func run(_ f: VectorField, x0: [Double], t0: Double, dt: Double, steps: Int, substeps: Int, into out: inout [Double]) throws {
        let d = x0.count
        var x = x0
        var k1 = [Double](repeating: 0, count: d), k2 = k1, k3 = k1, k4 = k1, y = k1
        for i in 0..<d { out[i] = x[i] }
        for k in 1..<max(steps, 1) {
            let start = sampleTime(t0, dt, k - 1), h = dt / Double(substeps)
            for s in 0..<substeps {
                let t = start + Double(s) * h
                try evaluate(f, t, x, &k1)
                for i in 0..<d { y[i] = x[i] + 0.5 * h * k1[i] }
                try evaluate(f, t + 0.5 * h, y, &k2)
                for i in 0..<d { y[i] = x[i] + 0.5 * h * k2[i] }
                try evaluate(f, t + 0.5 * h, y, &k3)
                for i in 0..<d { y[i] = x[i] + h * k3[i] }
                try evaluate(f, t + h, y, &k4)
                for i in 0..<d { x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
            }
            try requireFiniteState(x, at: sampleTime(t0, dt, k))
            for i in 0..<d { out[k * d + i] = x[i] }
        }
    }
}
