import RealModule

/// The generator behind every seeded initialization: xoshiro256** (Blackman & Vigna 2018) seeded by
/// SplitMix64 from one 64-bit seed. Uniforms take the top 53 bits, U = (x >> 11)·2⁻⁵³ ∈ [0, 1);
/// standard normals are Box–Muller's cosine branch, √(−2 log(1 − U₁))·cos(2π U₂) (two uniforms per
/// normal). The same seed gives the same numbers from Swift, C and Python, on every platform.
public struct SSMRandom: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform Double in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal Double.
    public mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * Double.log(1 - u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }
}
