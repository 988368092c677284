// Reproducible random test data shared by the unit and cross-check test targets.
import RealModule
import SSMKit

/// SplitMix64: a tiny seeded generator so every test matrix is reproducible.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    public mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * .pi * v)
    }
}

/// A rows×columns matrix of normal samples times `scale`.
public func randomMatrix(_ rows: Int, _ columns: Int, scale: Double = 1, seed: UInt64) -> RealMatrix {
    var g = SplitMix64(seed: seed)
    return RealMatrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in scale * g.normal() })
}
