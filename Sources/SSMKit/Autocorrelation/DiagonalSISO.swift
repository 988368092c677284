import ComplexModule
import RealModule

// The model the autocorrelation theory speaks about (MATH.md §5, after "Autocorrelation Matters"):
// a diagonal single-input single-output SSM ḣ = W h + B x, y = Re(cᵀh), W = diag(w_j),
// w_j = a_j + i b_j, discretized by zero-order hold with step Δ:
//   Ā_j = e^(Δ w_j),  B̄_j = Δ φ1(Δ w_j) B_j,  φ1(z) = (e^z − 1)/z (Phi1.swift, never divides by w).
// The output is Re(cᵀh) with no factor 2: §5's convention, N modes of their own. A conjugate-pair
// model (MATH.md §3, N/2 modes read out as 2·Re(cᵀh)) is this model with c replaced by 2c; its
// powers are then 4 times those of c.

/// A diagonal SISO model ḣ = W h + B x (W = diag(w), the readout c comes with each question).
public struct DiagonalSISO: Sendable {
    /// The continuous-time eigenvalues w_j = a_j + i b_j.
    public let w: [Complex<Double>]
    /// The input weights B_j.
    public let B: [Complex<Double>]

    /// The model with eigenvalues `w` and input weights `B` (nil: every B_j = 1).
    /// Errors: `.size` (no mode, B of another length), `.value` (a non-finite entry).
    public init(w: [Complex<Double>], B: [Complex<Double>]? = nil) throws {
        try require(!w.isEmpty, .size, "the model needs at least one mode (w is empty)")
        try requireFiniteComplex(w, "w")
        if let B {
            try require(B.count == w.count, .size, "B has \(B.count) entries, w has \(w.count)")
            try requireFiniteComplex(B, "B")
        }
        self.w = w
        self.B = B ?? Array(repeating: .one, count: w.count)
    }

    /// The number of modes N.
    public var modes: Int { w.count }

    /// Checks that every Re w_j ≤ 0 (the stable half-plane the bound and the timescale theory
    /// need). `what` names the result in the message.
    func requireStable(for what: String) throws {
        if let j = w.firstIndex(where: { $0.real > 0 }) {
            throw SSMError(.value, "\(what) needs Re w ≤ 0 for every mode, got w[\(j)] = \(w[j])")
        }
    }

    /// The zero-order-hold exponents z_j = Δ w_j and input factors B̄_j = Δ φ1(Δ w_j) B_j.
    /// Errors: `.value` (Δ not finite and > 0), `.unstable` (Δ w_j or B̄_j overflows).
    func zeroOrderHold(dt: Double) throws -> (z: [Complex<Double>], BBar: [Complex<Double>]) {
        try requireStep(dt)
        var z = [Complex<Double>](), bBar = [Complex<Double>]()
        z.reserveCapacity(modes)
        bBar.reserveCapacity(modes)
        for j in 0..<modes {
            // Δw as two real products: a complex product with (Δ, 0) would turn inf·0 into NaN.
            let zj = Complex(dt * w[j].real, dt * w[j].imaginary)
            let bj = phi1(zj) * B[j] * Complex(dt, 0)
            try require(zj.isFinite && bj.isFinite, .unstable,
                        "Δ·w or B̄ overflows for mode \(j) (w = \(w[j]), B = \(B[j]), Δ = \(dt))")
            z.append(zj)
            bBar.append(bj)
        }
        return (z, bBar)
    }

    /// Checks a readout c against the model: one finite entry per mode.
    func requireReadout(_ c: [Complex<Double>]) throws {
        try require(c.count == modes, .size, "c has \(c.count) entries, the model has \(modes) modes")
        try requireFiniteComplex(c, "c")
    }
}

/// Throws `.value` unless Δ is finite and > 0.
func requireStep(_ dt: Double) throws {
    try require(dt.isFinite && dt > 0, .value, "the step Δ = \(dt) must be finite and > 0")
}

/// Throws `.value` naming the first complex entry with a NaN or infinite part.
func requireFiniteComplex(_ values: [Complex<Double>], _ name: String) throws {
    if let k = values.firstIndex(where: { !($0.real.isFinite && $0.imaginary.isFinite) }) {
        throw SSMError(.value, "\(name)[\(k)] = \(values[k]) is not finite")
    }
}

/// Checks an autocorrelation r(0…L−1): at least one finite lag.
func requireAutocorrelation(_ r: [Double]) throws {
    try require(!r.isEmpty, .size, "the autocorrelation r needs at least one lag (L ≥ 1)")
    try requireFinite(r, "r")
}
