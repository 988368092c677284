/// The choices of a HiPPO-Prophecy predictor (MATH.md §9). Raw values are the C enums.

/// The HiPPO memory whose state the predictor reads: LegT and FouT with a window θ (MATH.md §1),
/// or the time-varying LegS (memory of the whole past, no window).
public enum ProphecyBasis: Int32, CaseIterable, Sendable {
    case legt = 0
    case fout = 1
    case legs = 2

    /// Parses "legt", "fout", "legs", case-insensitively.
    public init?(name: String) {
        switch name.lowercased() {
        case "legt": self = .legt
        case "fout": self = .fout
        case "legs": self = .legs
        default: return nil
        }
    }
}

/// How LegT's state is turned into the derivative estimate u̇(t) ≈ C x + D u (LegT only; FouT and
/// LegS each have one readout, see `prophecyReadout`).
public enum ProphecyReadout: Int32, CaseIterable, Sendable {
    /// The authors' construction: y = eᵀẋ = eᵀ(A x + B u), so C = eᵀA, D = eᵀB = N²/θ (e_n = r_n).
    case time = 0
    /// Derivative of the reconstruction at "now": C_n = r_n·n(n+1)/θ, D = 0.
    case space = 1
}

/// What drives the discrete state at sample k.
public enum ProphecyStateInput: Int32, CaseIterable, Sendable {
    /// x_k = Ā x_(k−1) + B̄ (u_k + u_(k−1))/2 (u_(−1) = 0): the state sits at t_k.
    case average = 0
    /// x_k = Ā x_(k−1) + B̄ u_k: the state sits half a step ahead (relative derivative error
    /// ≈ N²Δ/(2θ) with the time readout).
    case plain = 1
}

/// How the next value is formed from the derivative estimate y_k = C x_k + D u_k.
public enum ProphecyOutputRule: Int32, CaseIterable, Sendable {
    /// û_(k+1) = u_k + Δ(C x_k + D u_k).
    case euler = 0
    /// The authors' rule û_(k+1) = [(1 + ΔD/2) u_k + Δ C x_k]/(1 − ΔD/2), valid while 1 − ΔD/2 > 0.
    case trapezoid = 1
}

/// How (A, B) is discretized with step Δ (state-only: C, D are folded by the output rule instead).
public enum ProphecyDiscretization: Int32, CaseIterable, Sendable {
    case bilinear = 0
    case zoh = 1
}

/// Everything that defines a predictor. θ is the window in time units (LegT, FouT; W = θ/Δ
/// samples); it is unused by LegS.
public struct ProphecyConfiguration: Sendable, Equatable {
    public var N: Int
    public var theta: Double
    public var dt: Double
    public var basis: ProphecyBasis
    public var readout: ProphecyReadout
    public var stateInput: ProphecyStateInput
    public var output: ProphecyOutputRule
    public var discretization: ProphecyDiscretization

    public init(N: Int, theta: Double, dt: Double, basis: ProphecyBasis = .legt, readout: ProphecyReadout = .time,
                stateInput: ProphecyStateInput = .average, output: ProphecyOutputRule = .euler,
                discretization: ProphecyDiscretization = .bilinear) {
        self.N = N
        self.theta = theta
        self.dt = dt
        self.basis = basis
        self.readout = readout
        self.stateInput = stateInput
        self.output = output
        self.discretization = discretization
    }

    /// The window given in samples: θ = W·Δ.
    public init(N: Int, samples W: Int, dt: Double, basis: ProphecyBasis = .legt, readout: ProphecyReadout = .time,
                stateInput: ProphecyStateInput = .average, output: ProphecyOutputRule = .euler,
                discretization: ProphecyDiscretization = .bilinear) {
        self.init(N: N, theta: Double(W) * dt, dt: dt, basis: basis, readout: readout, stateInput: stateInput,
                  output: output, discretization: discretization)
    }

    /// The authors' exact configuration (HiPPO-Prophecy code): LegT with θ = the whole context T·Δ,
    /// time readout, trapezoid output, plain state input, bilinear. Check it with `validate()`:
    /// it violates the trapezoid guard whenever N² ≥ 2T (e.g. their N = 128, T = 1000).
    public static func authors(N: Int, T: Int, dt: Double) -> ProphecyConfiguration {
        ProphecyConfiguration(N: N, theta: Double(T) * dt, dt: dt, basis: .legt, readout: .time,
                              stateInput: .plain, output: .trapezoid, discretization: .bilinear)
    }

    /// The window in samples, W = θ/Δ.
    public var windowSamples: Double { theta / dt }

    /// Checks sizes, finiteness, the FouT parity and the trapezoid guard (`prophecyTrapezoidGuard`).
    /// Errors: `.size` (N < 1, even N for FouT), `.value` (Δ or θ not finite and > 0, the guard),
    /// `.unsupported` (trapezoid with LegS).
    public func validate() throws {
        try require(N >= 1, .size, "N = \(N) must be at least 1")
        try require(N <= 4096, .size, "N = \(N) is too large (at most 4096)")
        try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
        if basis != .legs {
            try require(theta.isFinite && theta > 0, .value, "theta = \(theta) (the window) must be finite and > 0")
        }
        if basis == .fout {
            try require(N % 2 == 1, .size, "N = \(N) must be odd for FouT: the state is the constant term plus (cos, sin) pairs")
        }
        if output == .trapezoid {
            try require(basis != .legs, .unsupported,
                        "the trapezoid output rule is not available for LegS: its D_k = N²/k breaks 1 − ΔD/2 > 0 for the first N²/2 steps; use output euler")
            try prophecyTrapezoidGuard(self)
        }
    }
}
