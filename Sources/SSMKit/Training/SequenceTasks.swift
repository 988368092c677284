import RealModule

// Synthetic sequence tasks, each producing a Dataset from a seed: linear-functional regression
// (inputs from an InputProcess, targets from a MemoryKernel), delayed recall / copying (remember a
// pattern, reproduce it after a delay), and noisy-sinusoid frequency classification. Draws come from
// one SSMRandom(seed:) in the order stated per task, so Swift, C and Python get the same data.

/// Regression y_t = Σ_(s≤t) ρ_T(t − s) x_s with x from `process` ("Autocorrelation Matters" §5).
public struct LinearFunctionalTask: Sendable, Equatable {
    public var process: InputProcess
    public var kernel: MemoryKernel
    public var L: Int
    /// Scale ρ_T to Σ_(s<L) ρ_T(s)² = 1 (Var y_(L−1) = 1 for white input); see `MemoryKernel.weights`.
    public var normalized: Bool

    public init(process: InputProcess, kernel: MemoryKernel, L: Int, normalized: Bool = true) {
        self.process = process; self.kernel = kernel; self.L = L; self.normalized = normalized
    }

    /// `count` examples: inputs count×L (one channel) = `process.generate(count:L:seed:)`, targets
    /// count×L (one per step; read column L − 1 for a final-output task). Errors: those of the process
    /// and the kernel.
    public func generate(count: Int, seed: UInt64) throws -> Dataset {
        let x = try process.generate(count: count, L: L, seed: seed)
        let y = try kernel.apply(to: x, count: count, L: L, normalized: normalized)
        return try Dataset(inputs: x, count: count, L: L, targets: y)
    }
}

/// What a delayed-recall example asks to remember.
public enum RecallItems: Sendable, Equatable {
    /// Real values N(0, 1): a regression task.
    case values
    /// Tokens 0..<K shown one-hot: the copying task, a classification per recall step.
    case tokens(Int)
}

/// Delayed recall / copying. Item i of a pattern of `length` M is shown at step i and must be
/// reproduced at step i + `delay` (d ≥ M, so recall starts after the pattern ends; d + M ≤ L).
///
/// Layout per example (count × L × channels inputs, row-major, channels fastest):
/// - values: channels = 2; channel 0 is the value at steps 0..<M (0 elsewhere), channel 1 the cue,
///   1 at the recall steps d..<d+M (0 elsewhere). Targets count×L: the value of item i at step d + i,
///   0 elsewhere.
/// - tokens(K): channels = K + 1; channels 0..<K one-hot the token at steps 0..<M, channel K the
///   cue as above. Labels count×L: the token of item i at step d + i, −1 (ignored) elsewhere.
/// The mask (count×L) is 1 at the recall steps and 0 elsewhere: only recall counts in the loss.
/// Draws per example: M normals (values) or M uniforms U, token ⌊K·U⌋ (tokens).
/// (To ask for x_(t−d) at every step of a random sequence instead, use `MemoryKernel.delay`.)
public struct DelayedRecallTask: Sendable, Equatable {
    public var L: Int
    public var items: RecallItems
    /// M: items to remember.
    public var length: Int
    /// d: steps from an item to its recall.
    public var delay: Int

    public init(L: Int, items: RecallItems = .values, length: Int = 1, delay: Int) {
        self.L = L; self.items = items; self.length = length; self.delay = delay
    }

    /// Input channels: 2 for values, K + 1 for tokens.
    public var channels: Int {
        if case .tokens(let k) = items { return k + 1 }
        return 2
    }

    /// Errors: `.value` for M < 1, d < M, K < 1; `.size` for d + M > L.
    public func validate() throws {
        try require(length >= 1, .value, "the pattern length M must be ≥ 1, got \(length)")
        try require(delay >= length, .value, "the delay d = \(delay) must be ≥ the pattern length M = \(length) (recall starts after the pattern)")
        try require(delay <= L - length, .size, "the recall window d + M = \(delay + length) does not fit in L = \(L)")
        if case .tokens(let k) = items { try require(k >= 1, .value, "the vocabulary K must be ≥ 1, got \(k)") }
    }

    public func generate(count: Int, seed: UInt64) throws -> Dataset {
        try validate()
        let c = channels
        _ = try taskElementCount([count, L, c], "count × L × channels")
        var rng = SSMRandom(seed: seed)
        var inputs = [Double](repeating: 0, count: count * L * c)
        var mask = [Double](repeating: 0, count: count * L)
        for r in 0..<count { for i in 0..<length { mask[r * L + delay + i] = 1 } }
        for r in 0..<count { for i in 0..<length { inputs[(r * L + delay + i) * c + c - 1] = 1 } }   // cue
        switch items {
        case .values:
            var targets = [Double](repeating: 0, count: count * L)
            for r in 0..<count {
                for i in 0..<length {
                    let v = rng.normal()
                    inputs[(r * L + i) * c] = v
                    targets[r * L + delay + i] = v
                }
            }
            return try Dataset(inputs: inputs, count: count, L: L, channels: c, targets: targets, mask: mask)
        case .tokens(let k):
            var labels = [Int](repeating: -1, count: count * L)
            for r in 0..<count {
                for i in 0..<length {
                    let token = Swift.min(k - 1, Int(rng.uniform() * Double(k)))
                    inputs[(r * L + i) * c + token] = 1
                    labels[r * L + delay + i] = token
                }
            }
            return try Dataset(inputs: inputs, count: count, L: L, channels: c, labels: labels, classes: k, mask: mask)
        }
    }
}

/// Which of K frequencies a noisy sinusoid has: x_t = A sin(ω_k t + θ) + σ ε_t, t = 0…L−1, with the
/// class k ~ U{0…K−1}, θ ~ U[0, 2π), A ~ U[1 − j, 1 + j] (amplitude jitter j ∈ [0, 1)), ε_t ~ N(0, 1).
/// The SNR is the nominal signal power ½ (A = 1) over the noise power: σ = √(1 / (2·snr))
/// (snr = 10^(dB/10)). Draws per example: U for k = ⌊K·U⌋, U for θ, U for A, then L normals.
public struct SinusoidClassificationTask: Sendable, Equatable {
    /// ω_k in radians per step, one per class.
    public var omegas: [Double]
    public var L: Int
    public var amplitudeJitter: Double
    public var snr: Double

    public init(omegas: [Double], L: Int = 256, amplitudeJitter: Double = 0.1, snr: Double = 1) {
        self.omegas = omegas; self.L = L; self.amplitudeJitter = amplitudeJitter; self.snr = snr
    }

    /// K frequencies ω_k = 2π m_k / L on DFT bins m_k = first + k·spacing (whole periods over the
    /// window), e.g. K = 4, L = 256: 8, 16, 24, 32 periods with first = spacing = 8.
    public static func binOmegas(classes K: Int, L: Int = 256, first: Int = 8, spacing: Int = 8) -> [Double] {
        (0..<max(K, 0)).map { 2 * Double.pi * Double(first + $0 * spacing) / Double(L) }
    }

    /// Errors: `.value` for fewer than 2 classes, a non-finite or repeated ω, jitter outside [0, 1),
    /// snr ≤ 0 or not finite; `.size` for L < 1.
    public func validate() throws {
        try require(omegas.count >= 2, .value, "classification needs at least 2 frequencies, got \(omegas.count)")
        try requireFinite(omegas, "omegas")
        try require(Set(omegas).count == omegas.count, .value, "the class frequencies \(omegas) repeat")
        try require(amplitudeJitter >= 0 && amplitudeJitter < 1, .value, "the amplitude jitter must be in [0, 1), got \(amplitudeJitter)")
        try require(snr.isFinite && snr > 0, .value, "the SNR must be finite and > 0, got \(snr)")
        try require(L >= 1, .size, "the length L must be ≥ 1, got \(L)")
    }

    /// `count` examples: inputs count×L (one channel), labels count (one per sequence), K classes.
    public func generate(count: Int, seed: UInt64) throws -> Dataset {
        try validate()
        let total = try taskElementCount([count, L], "count × L")
        let k = omegas.count, sigma = (1 / (2 * snr)).squareRoot()
        var rng = SSMRandom(seed: seed)
        var x = [Double](repeating: 0, count: total), labels = [Int](repeating: 0, count: count)
        for r in 0..<count {
            let label = Swift.min(k - 1, Int(rng.uniform() * Double(k)))
            let theta = 2 * Double.pi * rng.uniform()
            let a = 1 + amplitudeJitter * (2 * rng.uniform() - 1)
            labels[r] = label
            for t in 0..<L { x[r * L + t] = a * Double.sin(omegas[label] * Double(t) + theta) + sigma * rng.normal() }
        }
        return try Dataset(inputs: x, count: count, L: L, labels: labels, classes: k)
    }
}
