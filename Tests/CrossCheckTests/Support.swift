// Test data and comparisons shared by the cross-check tests.
import ComplexModule
import RealModule
import SSMKit

/// SplitMix64: a tiny seeded generator so every test matrix is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let v = Double.random(in: 0..<1, using: &self)
        return (-2 * Double.log(u)).squareRoot() * Double.cos(2 * .pi * v)
    }
}

/// A rows×columns matrix of normal samples times `scale`.
func randomMatrix(_ rows: Int, _ columns: Int, scale: Double = 1, seed: UInt64) -> RealMatrix {
    var g = SplitMix64(seed: seed)
    return RealMatrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in scale * g.normal() })
}

/// ‖a − b‖_F / max(‖b‖_F, tiny): the norm-wise relative difference used by every cross-check.
func relativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "sizes differ: \(a.count) vs \(b.count)")
    var num = 0.0, den = 0.0
    for i in a.indices {
        num += (a[i] - b[i]) * (a[i] - b[i])
        den += b[i] * b[i]
    }
    return (num / max(den, Double.leastNormalMagnitude)).squareRoot()
}

extension EmbeddedPython.Input {
    static func matrix(_ m: RealMatrix) -> Self { .init(values: m.elements, shape: [m.rows, m.columns]) }
}
