// The precision a model computes its activations in. Parameters, optimizer state and gradients
// are float64 either way (as for the float32 kernels and scans, SequenceScalar.swift): float32
// halves the memory and traffic of the batch×channels×L arrays and runs the transforms and the
// position-wise products in float32 (what JAX and PyTorch train with by default).

/// The element type of a model's activations.
public enum Precision: Int32, Sendable {
    case float64 = 0
    case float32 = 1
}

/// x in float64 (the same array when S is Double).
@inline(__always)
func doubles<S: SequenceScalar>(_ x: [S]) -> [Double] {
    if S.self == Double.self { return unsafeBitCast(x, to: [Double].self) }
    return x.map(\.doubleValue)
}

/// x in S (the same array when S is Double), rounded to nearest.
@inline(__always)
func converted<S: SequenceScalar>(_ x: [Double]) -> [S] {
    if S.self == Double.self { return unsafeBitCast(x, to: [S].self) }
    return x.map { S($0) }
}
