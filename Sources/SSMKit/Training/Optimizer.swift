import RealModule

// First-order optimizers over one flat parameter vector (MATH.md §8): SGD with momentum (optionally
// Nesterov), Adam (L2 weight decay added to the gradient) and AdamW (decoupled decay, Loshchilov &
// Hutter 2019). Parameter groups give ranges of the vector their own learning rate and weight decay
// (s4/S5 train A, B, Δ with a smaller rate and no decay). Optional global gradient-norm clipping,
// and a schedule: linear warmup, then cosine decay to a floor.

/// The update rule.
public enum OptimizerRule: Sendable, Equatable {
    case sgd(momentum: Double = 0, nesterov: Bool = false)
    case adam(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
    case adamW(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8)
}

/// A range of the parameter vector with its own learning rate and weight decay.
public struct ParameterGroup: Sendable, Equatable {
    public var range: Range<Int>
    public var learningRate: Double
    public var weightDecay: Double
    public init(range: Range<Int>, learningRate: Double, weightDecay: Double = 0) {
        self.range = range; self.learningRate = learningRate; self.weightDecay = weightDecay
    }
}

/// Learning-rate factor per step: linear warmup from 0 over `warmup` steps, then cosine decay from
/// 1 to `floor` at step `total` (constant 1 when total = 0).
public struct LearningRateSchedule: Sendable, Equatable {
    public var warmup: Int, total: Int, floor: Double
    public init(warmup: Int = 0, total: Int = 0, floor: Double = 0) { self.warmup = warmup; self.total = total; self.floor = floor }

    /// The factor at step t (t = 0 is the first update).
    public func factor(_ t: Int) -> Double {
        if t < warmup { return Double(t + 1) / Double(warmup) }
        guard total > warmup else { return 1 }
        let progress = min(1, Double(t - warmup) / Double(total - warmup))
        return floor + (1 - floor) * 0.5 * (1 + Double.cos(Double.pi * progress))
    }
}

/// Optimizer state for one parameter vector: moments and the step count (what checkpoints save).
public struct Optimizer: Sendable {
    public let rule: OptimizerRule
    /// Groups cover disjoint ranges; entries in no group use the default group.
    public let groups: [ParameterGroup]
    public let defaultGroup: ParameterGroup
    public let clipNorm: Double?
    public let schedule: LearningRateSchedule
    public var step = 0
    /// First and second moments (SGD: the momentum buffer in `first`; `second` unused).
    public var first: [Double], second: [Double]
    /// Per entry, the index of its group in `groups` (−1: the default).
    private let groupOf: [Int]

    /// Errors: `.value` for a learning rate ≤ 0 or not finite, weight decay < 0, momentum or betas
    /// outside [0, 1), ε ≤ 0, clip norm ≤ 0; `.size` for groups outside the vector or overlapping.
    public init(count: Int, rule: OptimizerRule, learningRate: Double, weightDecay: Double = 0,
                groups: [ParameterGroup] = [], clipNorm: Double? = nil, schedule: LearningRateSchedule = .init()) throws {
        try require(count >= 0, .size, "the parameter count must be ≥ 0, got \(count)")
        func checkGroup(_ g: ParameterGroup, _ name: String) throws {
            try require(g.learningRate.isFinite && g.learningRate > 0, .value, "\(name): the learning rate must be finite and > 0, got \(g.learningRate)")
            try require(g.weightDecay.isFinite && g.weightDecay >= 0, .value, "\(name): the weight decay must be finite and ≥ 0, got \(g.weightDecay)")
        }
        let fallback = ParameterGroup(range: 0..<count, learningRate: learningRate, weightDecay: weightDecay)
        try checkGroup(fallback, "the default group")
        var owner = [Int](repeating: -1, count: count)
        for (i, g) in groups.enumerated() {
            try checkGroup(g, "group \(i)")
            try require(g.range.lowerBound >= 0 && g.range.upperBound <= count, .size,
                        "group \(i) covers \(g.range), outside the \(count) parameters")
            for k in g.range {
                try require(owner[k] < 0, .size, "groups \(owner[k]) and \(i) overlap at parameter \(k)")
                owner[k] = i
            }
        }
        switch rule {
        case .sgd(let momentum, _):
            try require(momentum >= 0 && momentum < 1, .value, "momentum must be in [0, 1), got \(momentum)")
        case .adam(let b1, let b2, let eps), .adamW(let b1, let b2, let eps):
            try require(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1, .value, "betas must be in [0, 1), got \(b1), \(b2)")
            try require(eps.isFinite && eps > 0, .value, "epsilon must be finite and > 0, got \(eps)")
        }
        if let clipNorm { try require(clipNorm.isFinite && clipNorm > 0, .value, "the clip norm must be finite and > 0, got \(clipNorm)") }
        try require(schedule.warmup >= 0 && schedule.total >= 0 && schedule.floor >= 0 && schedule.floor <= 1, .value,
                    "the schedule needs warmup, total ≥ 0 and a floor in [0, 1]")
        self.rule = rule; self.groups = groups; defaultGroup = fallback
        self.clipNorm = clipNorm; self.schedule = schedule; groupOf = owner
        first = [Double](repeating: 0, count: count); second = first
    }

    /// One update of `parameters` from `gradient`; returns the gradient norm before clipping.
    /// Errors: `.size` (lengths), `.value` (a non-finite gradient: nothing is changed).
    @discardableResult
    public mutating func update(_ parameters: inout [Double], gradient: [Double]) throws -> Double {
        try require(parameters.count == first.count && gradient.count == first.count, .size,
                    "parameters and gradient need \(first.count) entries, got \(parameters.count) and \(gradient.count)")
        // ‖g‖ scaled by the largest entry, so a finite gradient never has an infinite norm.
        var largest = 0.0
        for g in gradient {
            try require(g.isFinite, .value, "the gradient is not finite (\(g)): the step is skipped")
            largest = max(largest, abs(g))
        }
        var sum = 0.0
        if largest > 0 { for g in gradient { let r = g / largest; sum += r * r } }
        let norm = largest * sum.squareRoot()
        try require(norm.isFinite, .value, "the gradient is not finite (norm \(norm)): the step is skipped")
        let clip = clipNorm.map { norm > $0 ? $0 / norm : 1 } ?? 1
        let factor = schedule.factor(step)
        step += 1
        // Adam's bias corrections 1 − β^t, and whether the decay is decoupled (AdamW).
        var correction1 = 1.0, correction2 = 1.0, decoupled = false
        switch rule {
        case .sgd: break
        case .adam(let b1, let b2, _), .adamW(let b1, let b2, _):
            correction1 = 1 - Double.pow(b1, Double(step)); correction2 = 1 - Double.pow(b2, Double(step))
            if case .adamW = rule { decoupled = true }
        }
        for k in parameters.indices {
            let group = groupOf[k] < 0 ? defaultGroup : groups[groupOf[k]]
            let lr = group.learningRate * factor, decay = group.weightDecay
            var g = gradient[k] * clip
            switch rule {
            case .sgd(let momentum, let nesterov):
                g += decay * parameters[k]
                if momentum > 0 {
                    first[k] = momentum * first[k] + g
                    g = nesterov ? g + momentum * first[k] : first[k]
                }
                parameters[k] -= lr * g
            case .adam(let b1, let b2, let eps), .adamW(let b1, let b2, let eps):
                if !decoupled { g += decay * parameters[k] }
                first[k] = b1 * first[k] + (1 - b1) * g
                second[k] = b2 * second[k] + (1 - b2) * g * g
                let mHat = first[k] / correction1, vHat = second[k] / correction2
                if decoupled { parameters[k] -= lr * decay * parameters[k] }
                parameters[k] -= lr * mHat / (vHat.squareRoot() + eps)
            }
        }
        return norm
    }
}
