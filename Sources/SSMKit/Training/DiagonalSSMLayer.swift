import ComplexModule
import RealModule

// A trainable layer of H independent diagonal SSMs (S4D, MATH.md §8), M conjugate-pair modes each:
//   λ_n = ρ(a_n) + i·b_n,  Δ = σ(s),  z_n = Δλ_n,  B̄_n = Δ·φ1(z_n)·B_n (zero-order hold),
//   K_l = 2·Re Σ_n C_n B̄_n e^(l z_n),   y = K * u + D·u   (causal, per channel).
// ρ: Re λ stored directly (so exactly 0 is reachable; optionally clamped ≤ 0 after each step),
// or −exp(a), or −softplus(a). σ: exp or softplus. Forward by the kernel and FFT convolution;
// reverse by the kernel's and convolution's reverses, then the chain rule back to (a, b, B, C, D, s).

/// How the real parts of λ are stored.
public enum RealPartParameterization: Sendable, Equatable {
    /// Re λ = a (0 reachable); `clamp`: a ≤ 0 enforced after every optimizer step.
    case direct(clamp: Bool)
    /// Re λ = −exp(a) (always < 0).
    case negativeExp
    /// Re λ = −softplus(a) (always < 0).
    case negativeSoftplus
}

/// How a diagonal SSM layer runs: its kernel and an FFT convolution (S4D's way; best for long L
/// and many rows), or its recurrence (the scan; memory O(L/32) states per row for the reverse).
public enum ComputationPath: Int32, Sendable {
    case convolution = 0, scan = 1
}

/// The parameters of a diagonal SSM layer in one flat Float64 vector (what optimizers update), in
/// this order: a (Re λ parameter, H×M), b (Im λ, H×M), B (H×M complex, re/im interleaved),
/// C (H×M complex), D (H), s (Δ parameter, H).
public struct DiagonalSSMLayer: Sendable {
    public let H: Int, M: Int
    public var realPart: RealPartParameterization
    public var step: TimescaleTransform
    public var values: [Double]

    public init(H: Int, M: Int, realPart: RealPartParameterization = .direct(clamp: false),
                step: TimescaleTransform = .exp) throws {
        try require(H >= 1 && M >= 1, .size, "H and M must be ≥ 1, got \(H), \(M)")
        self.H = H; self.M = M; self.realPart = realPart; self.step = step
        values = [Double](repeating: 0, count: 6 * H * M + 2 * H)
    }

    // Offsets of the blocks in `values`.
    public var aRange: Range<Int> { 0..<(H * M) }
    public var bRange: Range<Int> { (H * M)..<(2 * H * M) }
    public var BRange: Range<Int> { (2 * H * M)..<(4 * H * M) }
    public var CRange: Range<Int> { (4 * H * M)..<(6 * H * M) }
    public var DRange: Range<Int> { (6 * H * M)..<(6 * H * M + H) }
    public var stepRange: Range<Int> { (6 * H * M + H)..<(6 * H * M + 2 * H) }

    /// Sets the parameters from continuous modes λ, B, C (H×M), D (H) and Δ (H), inverting ρ and σ.
    /// Errors: `.value` (Re λ > 0 with −exp/−softplus, Re λ = 0 with them, Δ ≤ 0, non-finite).
    public mutating func set(lambda: [Complex<Double>], B: [Complex<Double>], C: [Complex<Double>], D: [Double],
                             dt: [Double]) throws {
        let hm = H * M
        try require(lambda.count == hm && B.count == hm && C.count == hm && D.count == H && dt.count == H, .size,
                    "lambda, B, C need H×M = \(hm) entries, D and dt H = \(H)")
        for k in 0..<hm {
            let re = lambda[k].real
            try require(re.isFinite && lambda[k].imaginary.isFinite, .value, "lambda[\(k)] is not finite")
            switch realPart {
            case .direct: values[k] = re
            case .negativeExp:
                try require(re < 0, .value, "Re λ[\(k)] = \(re) must be < 0 with Re λ = −exp(a)")
                values[k] = Double.log(-re)
            case .negativeSoftplus:
                try require(re < 0, .value, "Re λ[\(k)] = \(re) must be < 0 with Re λ = −softplus(a)")
                values[k] = inverseSoftplus(-re)
            }
            values[hm + k] = lambda[k].imaginary
            values[2 * hm + 2 * k] = B[k].real; values[2 * hm + 2 * k + 1] = B[k].imaginary
            values[4 * hm + 2 * k] = C[k].real; values[4 * hm + 2 * k + 1] = C[k].imaginary
        }
        for h in 0..<H {
            try require(dt[h].isFinite && dt[h] > 0, .value, "dt[\(h)] = \(dt[h]) must be finite and > 0")
            try require(D[h].isFinite, .value, "D[\(h)] is not finite")
            values[6 * hm + h] = D[h]
            values[6 * hm + H + h] = try timescaleParameter(dt[h], step)
        }
    }

    /// λ (H×M) and Δ (H) from the parameters.
    public func modes() -> (lambda: [Complex<Double>], dt: [Double]) {
        let hm = H * M
        let lambda = (0..<hm).map { k -> Complex<Double> in
            let a = values[k]
            let re: Double
            switch realPart {
            case .direct: re = a
            case .negativeExp: re = -Double.exp(a)
            case .negativeSoftplus: re = -softplus(a)
            }
            return Complex(re, values[hm + k])
        }
        let dt = (0..<H).map { h in
            timescale(fromParameter: values[6 * hm + H + h], step)
        }
        return (lambda, dt)
    }

    /// After an optimizer step: the clamp Re λ ≤ 0 of `.direct(clamp: true)`.
    public mutating func project() {
        if case .direct(clamp: true) = realPart {
            for k in aRange where values[k] > 0 { values[k] = 0 }
        }
    }

    /// The discretized quantities of a forward pass, kept for the reverse; sequences in S.
    public struct Cache<S: SequenceScalar>: Sendable {
        public let batch: Int, L: Int
        let path: ComputationPath
        let lambda: [Complex<Double>], dt: [Double], z: [Complex<Double>], phi: [Complex<Double>]
        var u: [S]
        /// Convolution path: w = C·B̄ and the spectra of u and of the kernel (the reverse needs the
        /// kernel only through its spectrum).
        var w: [Complex<Double>] = []
        var spectra: ConvolutionSpectra?
        /// Scan path: the states at the start of every chunk (rows × chunks × M).
        var checkpoints: [Complex<Double>] = []

        /// Gives the sequence-sized arrays (u and the spectra) to the pool for the next pass
        /// (`recycle`); the cache is then unusable.
        mutating func recycle() {
            SSMKit.recycle(&u)
            if spectra != nil { SSMKit.recycle(&spectra!.double); SSMKit.recycle(&spectra!.float) }
            spectra = nil
        }
    }

    /// y (batch×H×L) from u (batch×H×L), and the cache for `backward`, by `path` (the kernel and
    /// FFT convolution, or the recurrence; same result to round-off). Sequences in float64 or
    /// float32 (S); parameters, kernel sums and states in float64 either way; float32 runs the
    /// convolution's transforms in float32 and the scan in float64 (states must stay float64).
    /// Errors: `.size`, `.value` (non-finite u or parameters), `.unstable` (overflow).
    public func forward<S: SequenceScalar>(batch: Int, L: Int, u: [S], path: ComputationPath = .convolution) throws
        -> (y: [S], cache: Cache<S>) {
        try require(batch >= 1 && L >= 1 && u.count == batch * H * L, .size,
                    "u must have batch×H×L = \(batch)×\(H)×\(L) entries, got \(u.count)")
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.value, "parameter \(k) is not finite")
        }
        try requireFinite(u, "u")
        let (lambda, dt) = modes()
        let hm = H * M
        var z = [Complex<Double>](repeating: .zero, count: hm), phi = z
        for h in 0..<H {
            for m in 0..<M {
                let k = h * M + m
                z[k] = lambda[k] * Complex(dt[h], 0)
                phi[k] = phi1(z[k])
            }
        }
        var cache = Cache(batch: batch, L: L, path: path, lambda: lambda, dt: dt, z: z, phi: phi, u: u)
        let y: [S]
        if path == .convolution {
            y = try convolutionForward(&cache)
        } else {
            let (y64, checkpoints) = try scanForward(cache, u: doubles(u))
            cache.checkpoints = checkpoints
            y = converted(y64)
        }
        if let k = y.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "the output overflows at row \(k / L), step \(k % L)")
        }
        return (y, cache)
    }

    /// B̄_k = Δ φ1(z_k) B_k and C_k of mode k = h·M + m.
    func bBar<S: SequenceScalar>(_ k: Int, _ cache: Cache<S>) -> Complex<Double> {
        let hm = H * M
        return Complex(values[2 * hm + 2 * k], values[2 * hm + 2 * k + 1]) * cache.phi[k] * Complex(cache.dt[k / M], 0)
    }
    func c(_ k: Int) -> Complex<Double> { Complex(values[4 * H * M + 2 * k], values[4 * H * M + 2 * k + 1]) }

    private func convolutionForward<S: SequenceScalar>(_ cache: inout Cache<S>) throws -> [S] {
        let batch = cache.batch, L = cache.L
        let w = (0..<(H * M)).map { c($0) * bBar($0, cache) }
        var K: [S] = unsetArray(H * L), y: [S] = unsetArray(batch * H * L)   // both written in full
        try cache.z.withUnsafeBufferPointer { zp in
            try w.withUnsafeBufferPointer { wp in
                try K.withUnsafeMutableBufferPointer { try diagonalKernel(H: H, N: M, L: L, z: zp, w: wp, pairs: true, into: $0) }
            }
        }
        let D = Array(values[DRange])
        let spectra = try K.withUnsafeBufferPointer { kp in
            try cache.u.withUnsafeBufferPointer { up in
                try D.withUnsafeBufferPointer { dp in
                    try y.withUnsafeMutableBufferPointer {
                        try trainingConvolution(batch: batch, H: H, L: L, K: kp.baseAddress!, u: up.baseAddress!,
                                                D: dp.baseAddress!, y: $0.baseAddress!)
                    }
                }
            }
        }
        recycle(&K)
        cache.w = w; cache.spectra = spectra
        return y
    }

    /// The gradient of every parameter (same layout as `values`) and, if `inputGradient`, ∂L/∂u,
    /// from gy = ∂L/∂y of the forward pass that made `cache` (by the same path).
    public func backward<S: SequenceScalar>(_ cache: Cache<S>, gy: [S], inputGradient: Bool = false) throws
        -> (parameters: [Double], u: [S]?) {
        let batch = cache.batch, L = cache.L, hm = H * M
        try require(gy.count == batch * H * L, .size, "gy must have batch×H×L = \(batch * H * L) entries, got \(gy.count)")
        try requireFinite(gy, "gy")
        // Per mode: γ of z (through λ̄ = e^z only), of B̄ and of C; and ∂D, ∂u.
        let reverse: PathGradient<S>
        if cache.path == .convolution {
            reverse = try convolutionBackward(cache, gy: gy, inputGradient: inputGradient)
        } else {
            let r = try scanBackward(cache, u: doubles(cache.u), gy: doubles(gy), inputGradient: inputGradient)
            reverse = PathGradient(z: r.z, bBar: r.bBar, c: r.c, D: r.D, u: r.u.map { converted($0) })
        }
        // Chain rule, mode by mode (γ_x = ∂L/∂Re x + i ∂L/∂Im x; holomorphic y = φ(x): γ_x = conj(φ')·γ_y).
        var g = [Double](repeating: 0, count: values.count)
        for h in 0..<H {
            let dt = cache.dt[h]
            var gDt = 0.0
            for m in 0..<M {
                let k = h * M + m
                let b = Complex(values[2 * hm + 2 * k], values[2 * hm + 2 * k + 1])
                let gBBar = reverse.bBar[k], gC = reverse.c[k]
                let gB = (cache.phi[k] * Complex(dt, 0)).conjugate * gBBar
                // B̄ = Δ φ1(z) B through z: ∂B̄/∂z = Δ (φ1 − φ2)(z) B; through Δ at fixed z: φ1(z) B.
                let dPhi = cache.phi[k] - phi2(cache.z[k])
                let gz = reverse.z[k] + (dPhi * b * Complex(dt, 0)).conjugate * gBBar
                gDt += (gBBar.conjugate * cache.phi[k] * b).real
                // z = Δλ.
                let gLambda = gz * Complex(dt, 0)
                gDt += (gz.conjugate * cache.lambda[k]).real
                let a = values[k]
                switch realPart {
                case .direct: g[k] = gLambda.real
                case .negativeExp: g[k] = -Double.exp(a) * gLambda.real
                case .negativeSoftplus: g[k] = -sigmoid(a) * gLambda.real
                }
                g[hm + k] = gLambda.imaginary
                g[2 * hm + 2 * k] = gB.real; g[2 * hm + 2 * k + 1] = gB.imaginary
                g[4 * hm + 2 * k] = gC.real; g[4 * hm + 2 * k + 1] = gC.imaginary
            }
            g[6 * hm + h] = reverse.D[h]
            let s = values[6 * hm + H + h]
            g[6 * hm + H + h] = gDt * (step == .exp ? dt : sigmoid(s))
        }
        return (g, reverse.u)
    }

    /// What each path's reverse hands to the chain rule.
    struct PathGradient<S: SequenceScalar> {
        var z: [Complex<Double>], bBar: [Complex<Double>], c: [Complex<Double>], D: [Double], u: [S]?
    }

    private func convolutionBackward<S: SequenceScalar>(_ cache: Cache<S>, gy: [S], inputGradient: Bool) throws -> PathGradient<S> {
        let batch = cache.batch, L = cache.L, hm = H * M
        var gK: [Double] = unsetArray(H * L), gD = [Double](repeating: 0, count: H)   // written in full
        defer { recycle(&gK) }
        var gu: [S]? = inputGradient ? unsetArray(batch * H * L) : nil   // written in full
        let D = Array(values[DRange])
        guard let spectra = cache.spectra else { throw SSMError(.value, "the cache holds no convolution spectra") }
        try cache.u.withUnsafeBufferPointer { up in
            try gy.withUnsafeBufferPointer { gp in
                try D.withUnsafeBufferPointer { dp in
                    try gK.withUnsafeMutableBufferPointer { gkp in
                        try gD.withUnsafeMutableBufferPointer { gdp in
                            func run(_ gu: UnsafeMutablePointer<S>?) throws {
                                try trainingConvolutionGradient(spectra, batch: batch, H: H, L: L, u: up.baseAddress!,
                                                                gy: gp.baseAddress!, D: dp.baseAddress!, gK: gkp.baseAddress!,
                                                                gD: gdp.baseAddress!, gu: gu)
                            }
                            if gu != nil { try gu!.withUnsafeMutableBufferPointer { try run($0.baseAddress!) } } else { try run(nil) }
                        }
                    }
                }
            }
        }
        var gz = [Complex<Double>](repeating: .zero, count: hm), gw = gz
        try cache.z.withUnsafeBufferPointer { zp in
            try cache.w.withUnsafeBufferPointer { wp in
                try gK.withUnsafeBufferPointer { gkp in
                    try gz.withUnsafeMutableBufferPointer { gzp in
                        try gw.withUnsafeMutableBufferPointer {
                            try diagonalKernelGradient(H: H, N: M, L: L, z: zp, w: wp, pairs: true, gK: gkp, gz: gzp, gw: $0)
                        }
                    }
                }
            }
        }
        // w = C·B̄.
        let gBBar = (0..<hm).map { c($0).conjugate * gw[$0] }
        let gC = (0..<hm).map { bBar($0, cache).conjugate * gw[$0] }
        return PathGradient(z: gz, bBar: gBBar, c: gC, D: gD, u: gu)
    }
}
