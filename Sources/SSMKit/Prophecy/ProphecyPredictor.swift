import RealModule

/// The coefficients of one discrete step: x_k = Ā x_(k−1) + B̄ v_k and û_(k+1) = c̄·x_k + d̄·u_k, where
/// v_k = u_k (plain input) or (u_k + u_(k−1))/2 (averaged) and (c̄, d̄) fold the output rule:
/// Euler c̄ = ΔC, d̄ = 1 + ΔD; trapezoid c̄ = ΔC/(1 − ΔD/2), d̄ = (1 + ΔD/2)/(1 − ΔD/2).
struct ProphecyStep {
    var Ad: [Double]   // N×N row-major
    var Bd: [Double]
    var c: [Double]
    var d: Double
}

/// A HiPPO-Prophecy one-step predictor (MATH.md §9): a fixed-weight discrete SSM whose output at
/// sample k is the prediction û_(k+1) of the next sample. Samples u_k = u(kΔ); the state starts at
/// zero with the history before the first sample taken as zero. Multi-dimensional signals use one
/// copy of the SSM per coordinate (the same weights).
///
/// LegT and FouT are time-invariant: (Ā, B̄) = bilinear or zoh of (A, B) with step Δ. LegS is
/// time-varying: sample k (0-based) sits at t = (k+1)Δ and uses (A, B)/(k+1) with unit step
/// (bilinear), or zoh over log-time from k to k+1 (the first step, from t = 0, gives Ā = 0,
/// B̄ = −A⁻¹B); its readout is (ΔC, ΔD)/(k+1). LegS predictions are invalid for the first ~N² steps.
public struct ProphecyPredictor: Sendable {
    public let configuration: ProphecyConfiguration
    /// The continuous memory and readout.
    public let continuous: ProphecyContinuousSystem
    /// The constant step (nil for LegS, which builds one per sample).
    let fixed: ProphecyStep?

    /// Errors: those of `ProphecyConfiguration.validate()`, `.singular`/`.unstable` from the
    /// discretization.
    public init(_ configuration: ProphecyConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        continuous = try prophecyReadout(configuration)
        fixed = configuration.basis == .legs ? nil : try Self.makeStep(configuration, continuous, sample: 0)
    }

    public var N: Int { configuration.N }
    public var isTimeVarying: Bool { configuration.basis == .legs }

    /// The step used at sample k (the constant one for LegT/FouT).
    func step(at k: Int) throws -> ProphecyStep {
        if let fixed { return fixed }
        return try Self.makeStep(configuration, continuous, sample: k)
    }

    private static func makeStep(_ c: ProphecyConfiguration, _ s: ProphecyContinuousSystem, sample k: Int) throws -> ProphecyStep {
        let N = c.N
        let B = RealMatrix(rows: N, columns: 1, elements: s.B)
        var Ad: RealMatrix, Bd: RealMatrix
        var scale = c.dt   // Δ for LTI readouts; Δ/t_k·(units) = 1/(k+1) for LegS
        let method: DiscretizationMethod = c.discretization == .zoh ? .zoh : .bilinear
        let empty = RealMatrix(rows: 0, columns: N, elements: []), emptyD = RealMatrix(rows: 0, columns: 1, elements: [])
        if c.basis == .legs {
            scale = 1 / Double(k + 1)
            if c.discretization == .zoh && k == 0 {
                // From t = 0 the zoh step is infinitely long in log-time: x_0 = −A⁻¹B u_0.
                Ad = RealMatrix(rows: N, columns: N, repeating: 0)
                Bd = try solve(s.A, B)
                Bd.elements = Bd.elements.map { -$0 }
            } else {
                let h = c.discretization == .zoh ? Double.log(Double(k + 1) / Double(k)) : 1 / Double(k + 1)
                let sys = try discretize(StateSpace(A: s.A, B: B, C: empty, D: emptyD), dt: h, method: method, convention: .stateOnly)
                (Ad, Bd) = (sys.A, sys.B)
            }
        } else {
            let sys = try discretize(StateSpace(A: s.A, B: B, C: empty, D: emptyD), dt: c.dt, method: method, convention: .stateOnly)
            (Ad, Bd) = (sys.A, sys.B)
        }
        let hc = s.C.map { scale * $0 }, hd = scale * s.D
        switch c.output {
        case .euler:
            return ProphecyStep(Ad: Ad.elements, Bd: Bd.elements, c: hc, d: 1 + hd)
        case .trapezoid:
            let den = 1 - hd / 2
            guard den > 0 else { throw SSMError(.value, "the trapezoid output rule needs 1 − ΔD/2 > 0, got \(den)") }
            return ProphecyStep(Ad: Ad.elements, Bd: Bd.elements, c: hc.map { $0 / den }, d: (1 + hd / 2) / den)
        }
    }

    /// One sample of one coordinate: updates the state x (N values) and the previous sample, and
    /// returns û_(k+1). Shared by `predict`'s sample-by-sample path and `ProphecyStream`.
    func advance(_ s: ProphecyStep, x: UnsafeMutablePointer<Double>, previous: inout Double, u: Double,
                 scratch: UnsafeMutablePointer<Double>) -> Double {
        let N = configuration.N
        let v = configuration.stateInput == .average ? (u + previous) / 2 : u
        s.Ad.withUnsafeBufferPointer { a in
            for i in 0..<N {
                var acc = s.Bd[i] * v
                let row = a.baseAddress! + i * N
                for j in 0..<N { acc += row[j] * x[j] }
                scratch[i] = acc
            }
        }
        var y = s.d * u
        for i in 0..<N {
            x[i] = scratch[i]
            y += s.c[i] * x[i]
        }
        previous = u
        return y
    }

    /// One-step predictions over trajectories u (batch×T×d, row-major, one SSM per coordinate):
    /// pred[b, k, j] = û_(k+1) from u[b, 0…k, j] (compare pred[:, :-1] with u[:, 1:]).
    /// Time-invariant predictors run in chunks (ProphecyChunks.swift: `usesChunks`) once T spans two
    /// chunks; their numbers then differ from the sample-by-sample recurrence (`ProphecyStream`) by
    /// rounding only. Errors: `.size`, `.value` (non-finite u), `.unstable` (non-finite predictions).
    public func predict(_ u: [Double], batch: Int, T: Int, d: Int) throws -> [Double] {
        try require(batch >= 1 && T >= 1 && d >= 1, .size, "batch, T and d must be ≥ 1, got \(batch), \(T), \(d)")
        try require(u.count == batch * T * d, .size, "u must have batch×T×d = \(batch * T * d) values, got \(u.count)")
        if let k = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "u[\(k)] = \(u[k]) is not finite") }
        var out = [Double](repeating: 0, count: u.count)
        if let fixed, usesChunks(T: T, lanes: batch * d) {
            u.withUnsafeBufferPointer { uu in
                out.withUnsafeMutableBufferPointer { predictInChunks(fixed, u: uu, batch: batch, T: T, d: d, into: $0) }
            }
        } else {
            try predictStepwise(u, batch: batch, T: T, d: d, into: &out)
        }
        if let k = out.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "prediction \(k) is not finite (the predictor overflowed)")
        }
        return out
    }

    /// The recurrence, sample by sample over all lanes (LegS, and short trajectories).
    private func predictStepwise(_ u: [Double], batch: Int, T: Int, d: Int, into out: inout [Double]) throws {
        let N = configuration.N, lanes = batch * d
        var states = [Double](repeating: 0, count: lanes * N)
        var previous = [Double](repeating: 0, count: lanes)
        var scratch = [Double](repeating: 0, count: N)
        for k in 0..<T {
            let s = try step(at: k)
            states.withUnsafeMutableBufferPointer { xs in
                scratch.withUnsafeMutableBufferPointer { sc in
                    for lane in 0..<lanes {
                        let b = lane / d, j = lane % d, idx = (b * T + k) * d + j
                        out[idx] = advance(s, x: xs.baseAddress! + lane * N, previous: &previous[lane], u: u[idx],
                                           scratch: sc.baseAddress!)
                    }
                }
            }
        }
    }
}
