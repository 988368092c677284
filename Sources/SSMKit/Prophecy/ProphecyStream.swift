/// The streaming face of a predictor: one sample (d coordinates) in, the prediction of the next
/// sample out. It runs the recurrence of `ProphecyPredictor.predict`'s sample-by-sample path, so
/// feeding a trajectory reproduces LegS batch predictions bit for bit, and LegT/FouT ones (which
/// run in chunks once T spans two) up to rounding.
public struct ProphecyStream: Sendable {
    public let predictor: ProphecyPredictor
    public let d: Int
    private var states: [Double]
    private var previous: [Double]
    private var scratch: [Double]
    /// The states of the d coordinates (d×N, row-major): x_k after the last step.
    public var state: [Double] { states }
    /// Samples consumed since the last reset.
    public private(set) var count: Int = 0

    /// Errors: `.size` (d < 1).
    public init(_ predictor: ProphecyPredictor, d: Int) throws {
        try require(d >= 1, .size, "d = \(d) must be at least 1")
        self.predictor = predictor
        self.d = d
        states = [Double](repeating: 0, count: d * predictor.N)
        previous = [Double](repeating: 0, count: d)
        scratch = [Double](repeating: 0, count: predictor.N)
    }

    /// Back to the zero state with no history.
    public mutating func reset() {
        for i in states.indices { states[i] = 0 }
        for i in previous.indices { previous[i] = 0 }
        count = 0
    }

    /// Consumes u_k (d values) and returns û_(k+1) (d values). The state is unchanged on error.
    /// Errors: `.size`, `.value` (non-finite sample), `.unstable` (non-finite prediction).
    public mutating func step(_ u: [Double]) throws -> [Double] {
        try require(u.count == d, .size, "the sample must have d = \(d) values, got \(u.count)")
        if let j = u.firstIndex(where: { !$0.isFinite }) { throw SSMError(.value, "x[\(j)] = \(u[j]) is not finite") }
        let s = try predictor.step(at: count)
        let N = predictor.N
        var newStates = states, newPrevious = previous
        var out = [Double](repeating: 0, count: d)
        newStates.withUnsafeMutableBufferPointer { xs in
            scratch.withUnsafeMutableBufferPointer { sc in
                for j in 0..<d {
                    out[j] = predictor.advance(s, x: xs.baseAddress! + j * N, previous: &newPrevious[j], u: u[j],
                                               scratch: sc.baseAddress!)
                }
            }
        }
        if let j = out.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "prediction \(j) is not finite (the predictor overflowed)")
        }
        states = newStates
        previous = newPrevious
        count += 1
        return out
    }
}
