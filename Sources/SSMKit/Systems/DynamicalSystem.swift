import RealModule

/// The named systems of MATH.md §9 (the HiPPO-Prophecy test signals). Each has a parameter vector
/// with documented defaults and, except the linear ODE, a default initial state. Three kinds:
/// ODEs (integrated by `simulate`), explicit functions of time u(t) (x0 unused) and filtered noise
/// (a seeded discrete recipe). The raw values are the C enum `ssm_system_t`.
public enum DynamicalSystem: Int, CaseIterable, Sendable {
    /// The authors' 1-D "Van der Pol": ẋ = μ(1 − x²) sin t. Parameters [μ] = [7]; x0 = [0.5].
    case vanDerPol1D = 0
    /// Bernoulli y′ = −cos(5x)·y + sin(x)·√y, x the time variable. No parameters; y0 = [0.1].
    /// √y is evaluated as √max(y, 0), so the field is defined when a step overshoots below 0
    /// (y = 0 is itself a solution: once a trajectory reaches 0 it may stay there).
    case bernoulli = 1
    /// White noise through an alpha filter (see `FilteredNoise`). Parameters [τ, σ] = [0.1, 1];
    /// x0 = [0] (the starting value of both filter stages). Seeded; the method is not used.
    case filteredNoise = 2
    /// u(t) = sin³t + |sin t|³. No parameters; x0 unused.
    case sineCubed = 3
    /// u(t) = a + b·t. Parameters [a, b] = [0, 1]; x0 unused.
    case linear = 4
    /// Van der Pol oscillator ẍ = μ(1 − x²)ẋ − x as the system (x, ẋ). Parameters [μ] = [1]; x0 = [2, 0].
    case vanDerPol = 5
    /// Lorenz-63: ẋ = σ(y − x), ẏ = x(ρ − z) − y, ż = xy − βz. Parameters [σ, ρ, β] = [10, 28, 8/3];
    /// x0 = [1, 1, 1].
    case lorenz = 6
    /// Lotka–Volterra: ẋ = αx − βxy, ẏ = δxy − γy. Parameters [α, β, γ, δ] = [1.5, 1, 3, 1];
    /// x0 = [10, 5].
    case lotkaVolterra = 7
    /// Damped pendulum θ̈ = −ω²·sin θ − c·θ̇ as (θ, θ̇). Parameters [ω², c] = [1, 0.1]; x0 = [1, 0].
    case pendulum = 8
    /// Linear ODE ẋ = A x. Parameters: A, d×d row-major (d = √count); no defaults: A and x0 are required.
    case linearODE = 9
    /// u(t) = Σ_i a_i sin(ω_i t + φ_i). Parameters: triples [a_1, ω_1, φ_1, a_2, …]; default [1, 1, 0].
    case sumOfSines = 10

    /// What kind of signal a system produces.
    public enum Kind: Sendable { case ode, explicit, noise }

    public var kind: Kind {
        switch self {
        case .sineCubed, .linear, .sumOfSines: return .explicit
        case .filteredNoise: return .noise
        default: return .ode
        }
    }

    /// The snake_case name used by C (`ssm_system_from_name`) and Python.
    public var name: String {
        switch self {
        case .vanDerPol1D: return "van_der_pol_1d"
        case .bernoulli: return "bernoulli"
        case .filteredNoise: return "filtered_noise"
        case .sineCubed: return "sine_cubed"
        case .linear: return "linear"
        case .vanDerPol: return "van_der_pol"
        case .lorenz: return "lorenz"
        case .lotkaVolterra: return "lotka_volterra"
        case .pendulum: return "pendulum"
        case .linearODE: return "linear_ode"
        case .sumOfSines: return "sum_of_sines"
        }
    }

    /// The system called `name` (exact, lower case), or nil.
    public init?(name: String) {
        guard let s = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = s
    }

    /// The default parameter vector (empty for the linear ODE, which has none).
    public var defaultParameters: [Double] {
        switch self {
        case .vanDerPol1D: return [7]
        case .bernoulli, .sineCubed, .linearODE: return []
        case .filteredNoise: return [0.1, 1]
        case .linear: return [0, 1]
        case .vanDerPol: return [1]
        case .lorenz: return [10, 28, 8.0 / 3]
        case .lotkaVolterra: return [1.5, 1, 3, 1]
        case .pendulum: return [1, 0.1]
        case .sumOfSines: return [1, 1, 0]
        }
    }

    /// The default initial state (empty for the linear ODE).
    public var defaultInitialState: [Double] {
        switch self {
        case .vanDerPol1D: return [0.5]
        case .bernoulli: return [0.1]
        case .filteredNoise, .sineCubed, .linear, .sumOfSines: return [0]
        case .vanDerPol: return [2, 0]
        case .lorenz: return [1, 1, 1]
        case .lotkaVolterra: return [10, 5]
        case .pendulum: return [1, 0]
        case .linearODE: return []
        }
    }

    /// The state dimension d for a parameter vector of `parameterCount` entries.
    /// Errors: `.size` (the linear ODE with a count that is not a square ≥ 1).
    public func dimension(parameterCount: Int) throws -> Int {
        switch self {
        case .vanDerPol, .lotkaVolterra, .pendulum: return 2
        case .lorenz: return 3
        case .linearODE:
            let d = Int(Double(max(parameterCount, 0)).squareRoot().rounded())
            try require(d >= 1 && d * d == parameterCount, .size,
                        "linear_ode needs A as d×d parameters (a square count ≥ 1), got \(parameterCount)")
            return d
        default: return 1
        }
    }

    /// Checks a parameter vector: its length, finiteness and ranges. Errors: `.size`, `.value`.
    public func validate(parameters p: [Double]) throws {
        try requireFinite(p, "parameters")
        let expected = defaultParameters.count
        switch self {
        case .linearODE: _ = try dimension(parameterCount: p.count)
        case .sumOfSines:
            try require(!p.isEmpty && p.count % 3 == 0, .size,
                        "sum_of_sines needs parameter triples (a, ω, φ), got \(p.count) values")
        default:
            try require(p.count == expected, .size, "\(name) takes \(expected) parameters, got \(p.count)")
        }
        if self == .filteredNoise {
            try require(p[0] > 0, .value, "filtered_noise needs τ > 0, got \(p[0])")
            try require(p[1] >= 0, .value, "filtered_noise needs σ ≥ 0, got \(p[1])")
        }
    }

    /// The right-hand side f(t, x) of an ODE system with parameters p (already validated).
    /// Precondition: `kind == .ode`.
    public func vectorField(parameters p: [Double]) -> VectorField {
        switch self {
        case .vanDerPol1D:
            let mu = p[0]
            return { t, x, dx in dx[0] = mu * (1 - x[0] * x[0]) * Double.sin(t) }
        case .bernoulli:
            return { t, x, dx in dx[0] = -Double.cos(5 * t) * x[0] + Double.sin(t) * max(x[0], 0).squareRoot() }
        case .vanDerPol:
            let mu = p[0]
            return { _, x, dx in dx[0] = x[1]; dx[1] = mu * (1 - x[0] * x[0]) * x[1] - x[0] }
        case .lorenz:
            let (sigma, rho, beta) = (p[0], p[1], p[2])
            return { _, x, dx in
                dx[0] = sigma * (x[1] - x[0]); dx[1] = x[0] * (rho - x[2]) - x[1]; dx[2] = x[0] * x[1] - beta * x[2]
            }
        case .lotkaVolterra:
            let (alpha, beta, gamma, delta) = (p[0], p[1], p[2], p[3])
            return { _, x, dx in dx[0] = alpha * x[0] - beta * x[0] * x[1]; dx[1] = delta * x[0] * x[1] - gamma * x[1] }
        case .pendulum:
            let (omega2, c) = (p[0], p[1])
            return { _, x, dx in dx[0] = x[1]; dx[1] = -omega2 * Double.sin(x[0]) - c * x[1] }
        case .linearODE:
            let d = Int(Double(p.count).squareRoot().rounded())
            return { _, x, dx in
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<d { s += p[i * d + j] * x[j] }
                    dx[i] = s
                }
            }
        case .filteredNoise, .sineCubed, .linear, .sumOfSines:
            return { _, _, dx in for i in dx.indices { dx[i] = 0 } }
        }
    }

    /// The value u(t) of an explicit system with parameters p. Precondition: `kind == .explicit`.
    public func value(at t: Double, parameters p: [Double]) -> Double {
        switch self {
        case .sineCubed:
            let s = Double.sin(t)
            return s * s * s + abs(s * s * s)
        case .linear:
            return p[0] + p[1] * t
        case .sumOfSines:
            var u = 0.0
            for i in stride(from: 0, to: p.count, by: 3) { u += p[i] * Double.sin(p[i + 1] * t + p[i + 2]) }
            return u
        default:
            return .nan
        }
    }
}
