// Test data and comparisons shared by the cross-check tests.
import SSMKit

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
