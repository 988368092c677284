/// How a continuous system ẋ = A x + B u is turned into a discrete one (MATH.md §6).
public enum DiscretizationMethod: Equatable, Sendable {
    /// Zero-order hold: exact for piecewise-constant input.
    case zoh
    /// First-order hold (triangle hold), scipy's formula. Dense only.
    case foh
    /// Generalized bilinear transform with parameter alpha ∈ [0, 1].
    case gbt(alpha: Double)
    /// GBT with alpha = ½ (Tustin).
    case bilinear
    /// GBT with alpha = 0 (forward Euler).
    case euler
    /// GBT with alpha = 1 (backward Euler).
    case backwardDiff
    /// Impulse invariance (scipy). Dense only.
    case impulse
    /// Mamba's rule Ā = e^{Δλ}, B̄ = Δ B. Diagonal only.
    case zohAEulerB

    /// Parses a method name as scipy and the C API spell it, case-insensitively:
    /// "zoh", "foh", "gbt" (alpha ½), "bilinear"/"tustin", "euler"/"forward_diff"/"forward",
    /// "backward_diff"/"backward", "impulse", "zoh_a_euler_b".
    public init?(name: String) {
        switch name.lowercased() {
        case "zoh": self = .zoh
        case "foh": self = .foh
        case "gbt": self = .gbt(alpha: 0.5)
        case "bilinear", "tustin": self = .bilinear
        case "euler", "forward_diff", "forward": self = .euler
        case "backward_diff", "backward": self = .backwardDiff
        case "impulse": self = .impulse
        case "zoh_a_euler_b": self = .zohAEulerB
        default: return nil
        }
    }

    /// The GBT parameter of the methods that are GBTs (nil for the others).
    var gbtAlpha: Double? {
        switch self {
        case .gbt(let alpha): return alpha
        case .bilinear: return 0.5
        case .euler: return 0
        case .backwardDiff: return 1
        default: return nil
        }
    }
}

/// What dense discretization does to the output matrices (C, D).
public enum OutputConvention: Int32, Sendable {
    /// Exactly scipy.signal.cont2discrete (GBT and FOH change C and/or D; IMPULSE sets D).
    case scipy = 0
    /// The SSM libraries' convention: only (A, B) are discretized, C and D are returned unchanged.
    case stateOnly = 1
}
