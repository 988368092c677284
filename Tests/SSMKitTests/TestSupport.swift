import ComplexModule
import RealModule
@testable import SSMKit

/// Frobenius norm of a − b divided by the Frobenius norm of b (or absolute if b = 0).
func relativeError(_ a: RealMatrix, _ b: RealMatrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return relativeError(a.elements, b.elements)
}

func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var d = 0.0, s = 0.0
    for (x, y) in zip(a, b) { d += (x - y) * (x - y); s += y * y }
    return s == 0 ? d.squareRoot() : (d / s).squareRoot()
}

func relativeError(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
    relativeError(a.elements, b.elements)
}

func relativeError(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count)
    var d = 0.0, s = 0.0
    for (x, y) in zip(a, b) { d += (x - y).lengthSquared; s += y.lengthSquared }
    return s == 0 ? d.squareRoot() : (d / s).squareRoot()
}

/// A deterministic pseudo-random generator (SplitMix64), so failures reproduce.
struct SplitMix: RandomNumberGenerator {
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
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }
}

func randomMatrix(_ rows: Int, _ columns: Int, scale: Double = 1, seed: UInt64) -> RealMatrix {
    var g = SplitMix(seed: seed)
    return RealMatrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in scale * g.normal() })
}

func scaled(_ a: RealMatrix, _ s: Double) -> RealMatrix {
    RealMatrix(rows: a.rows, columns: a.columns, elements: a.elements.map { $0 * s })
}

func transposed(_ a: RealMatrix) -> RealMatrix {
    var t = RealMatrix(rows: a.columns, columns: a.rows, repeating: 0)
    for i in 0..<a.rows { for j in 0..<a.columns { t[j, i] = a[i, j] } }
    return t
}

/// The SSMError kind thrown by `body`, or nil if it did not throw.
func errorKind(_ body: () throws -> Void) -> SSMError.Kind? {
    do { try body() } catch let e as SSMError { return e.kind } catch { return .internal }
    return nil
}
