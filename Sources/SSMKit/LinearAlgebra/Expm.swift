import ComplexModule
import RealModule

// Matrix exponential by scaling and squaring with a Padé approximant of degree 3, 5, 7, 9 or 13,
// chosen as scipy.linalg.expm does (Al-Mohy & Higham 2009: the θ_m thresholds of Higham 2005 on
// the quantities d_k = ‖M^k‖₁^(1/k), plus the backward-error correction ℓ_m).
//
// On non-triangular input, a Taylor approximant (TaylorExpm.swift) replaces Padé where it needs
// fewer products and no more squarings: degree 4 or 8 (no squaring) when α = min(max(d1, d2),
// max(d2, d3)) is below θ_4 or θ_8, where Padé would spend the same products plus an LU solve; and
// degree 18 at s_T squarings instead of Padé 13 at s when s_T ≤ s (6 + s_T products against
// 6 products + LU + s; s_T < s happens when ℓ_13 adds squarings, as for dense random matrices), unless
// its rounding amplification ν exceeds `taylorMaxAmplification` (then Padé runs as scipy's).
//
// The kernel works on matrices of the form M = [[F, G], [0, 0]] (F n×n, G n×m), which is what
// zero-order-hold discretization exponentiates; a plain matrix is the case m = 0. Every power of M
// has zero bottom rows, and the Padé quotient and its squares have the form [[X, Y], [0, I]], so
// all products are n×n times n×(n+m) and only the n×n block is factored. Buffers are row-major;
// LAPACK is called column-major on the same memory (a row-major X is Xᵀ column-major), which
// avoids transposing copies: Q⁻¹P = P Q⁻¹ because P and Q are polynomials in F.

/// e^M of a real square matrix. Throws `.value` for a non-square or non-finite matrix and
/// `.unstable` when the result overflows.
public func expm(_ m: RealMatrix) throws -> RealMatrix { try expmSquare(m) }

/// e^M of a complex square matrix; errors as the real version.
public func expm(_ m: ComplexMatrix) throws -> ComplexMatrix { try expmSquare(m) }

/// e^M of the n×n row-major matrix `m`, written to `result` (n² entries each; the two may be the
/// same memory). The form of `expm(_:)` that allocates no matrices, for callers owning buffers.
public func expm(n: Int, _ m: UnsafeBufferPointer<Double>, into result: UnsafeMutableBufferPointer<Double>) throws {
    try expmSquare(n: n, m, into: result)
}

/// e^M of a complex n×n row-major matrix into `result`; as the real version.
public func expm(n: Int, _ m: UnsafeBufferPointer<Complex<Double>>,
                 into result: UnsafeMutableBufferPointer<Complex<Double>>) throws {
    try expmSquare(n: n, m, into: result)
}

private func expmSquare<S: BLASScalar>(_ m: Matrix<S>) throws -> Matrix<S> {
    try require(m.isSquare && m.rows >= 1, .value, "expm needs a non-empty square matrix, got \(m.rows)×\(m.columns)")
    var out = Matrix<S>(rows: m.rows, columns: m.rows, repeating: .zero)
    try m.elements.withUnsafeBufferPointer { input in
        try out.elements.withUnsafeMutableBufferPointer { try expmSquare(n: m.rows, input, into: $0) }
    }
    return out
}

private func expmSquare<S: BLASScalar>(n: Int, _ m: UnsafeBufferPointer<S>, into out: UnsafeMutableBufferPointer<S>) throws {
    let (count, overflow) = n.multipliedReportingOverflow(by: n)
    try require(n >= 1 && !overflow && m.count == count && out.count == count, .value,
                "expm needs a non-empty square matrix: n = \(n), \(m.count) entries in, room for \(out.count) out")
    for (k, v) in m.enumerated() where !v.isFiniteValue {
        throw SSMError(.value, "M[\(k / n), \(k % n)] = \(v) is not finite")
    }
    let input = m.baseAddress!, output = out.baseAddress!
    // A diagonal matrix (including 1×1) is exponentiated entry by entry, as scipy does.
    var diagonal = true
    for i in 0..<n where diagonal {
        for j in 0..<n where i != j && input[i * n + j] != .zero { diagonal = false; break }
    }
    if diagonal {
        let values = (0..<n).map { input[$0 * n + $0].exponential }
        output.update(repeating: .zero, count: n * n)
        for i in 0..<n { output[i * n + i] = values[i] }
        try requireNoOverflow(values)
        return
    }
    try expmTopBlock(input: input, output: output, n: n, extra: 0, exactDiagonal: true)
}

func requireNoOverflow<C: Collection>(_ values: C) throws where C.Element: BLASScalar {
    if values.contains(where: { !$0.isFiniteValue }) {
        throw SSMError(.unstable, "the matrix exponential overflows")
    }
}

/// Padé degrees, their θ_m thresholds (Al-Mohy & Higham 2009, Table 3.1, θ_13 = 4.25 as scipy),
/// and the reciprocals of the leading error-series coefficients used by ℓ_m.
private let padeDegrees = [3, 5, 7, 9, 13]
private let padeTheta: [Int: Double] = [
    3: 1.495585217958292e-2, 5: 2.539398330063230e-1, 7: 9.504178996162932e-1,
    9: 2.097847961257068e0, 13: 4.25,
]
private let padeErrorCoefficient: [Int: Double] = [
    3: 100800, 5: 10059033600, 7: 4487938430976000, 9: 5.91438478187741184e21,
    13: 1.1325077560602111e35,  // 113250775606021113483283660800000000 rounded to Double
]
/// Coefficients b_0…b_m of the [m/m] Padé approximant of e^x.
private let padeCoefficients: [Int: [Double]] = [
    3: [120, 60, 12, 1],
    5: [30240, 15120, 3360, 420, 30, 1],
    7: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1],
    9: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
    13: [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800,
         129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920, 40840800,
         960960, 16380, 182, 1],
]

/// Largest number of squarings accepted: beyond it the scaled powers would underflow.
private let maxSquarings = 160

/// The degree and number of squarings the last kernel call chose (for tests and diagnostics).
struct ExpmChoice: Equatable {
    var degree: Int
    var squarings: Int
    var taylor = false
}

/// Replaces `top` (n×(n+m), row-major: [F G]) by the first n rows of e^M, M = [[F, G], [0, 0]]:
/// [e^F, ∫₀¹ e^{Fs} ds·G]. Input must be finite. Throws `.unstable` on overflow.
///
/// When F is triangular (upper or lower; HiPPO LegS and LagT are lower), every power, Padé
/// polynomial and square has F's triangle, so the products skip the zero blocks and the Padé
/// denominator is solved by substitution instead of LU (`allowTriangular: false` forces the general
/// path, for tests). `exactDiagonal` (plain matrices only, m = 0) then recomputes the diagonal and the
/// first off-diagonal exactly after every squaring, as scipy.linalg.expm does for triangular input
/// (Al-Mohy & Higham 2009, Code Fragment 2.1): more accurate, and it keeps agreement with scipy.
@discardableResult
func expmTopBlock<S: BLASScalar>(_ top: inout [S], n: Int, extra m: Int, allowTriangular: Bool = true,
                                 exactDiagonal: Bool = false, boundedSelection: Bool = true,
                                 allowTaylor: Bool = true) throws -> ExpmChoice {
    precondition(top.count == n * (n + m) && n >= 1 && m >= 0)
    return try top.withUnsafeMutableBufferPointer { p in
        try expmTopBlock(input: p.baseAddress!, output: p.baseAddress!, n: n, extra: m, allowTriangular: allowTriangular,
                         exactDiagonal: exactDiagonal, boundedSelection: boundedSelection, allowTaylor: allowTaylor)
    }
}

/// `expmTopBlock` from `input` to `output` (n×(n+m) each; they may be the same memory: the input
/// is read in full before the output is written).
@discardableResult
func expmTopBlock<S: BLASScalar>(input: UnsafePointer<S>, output: UnsafeMutablePointer<S>, n: Int, extra m: Int,
                                 allowTriangular: Bool = true, exactDiagonal: Bool = false,
                                 boundedSelection: Bool = true, allowTaylor: Bool = true) throws -> ExpmChoice {
    let w = n + m, nw = n * w
    let norm1 = oneNorm(UnsafeBufferPointer(start: input, count: nw), n, w)
    if !norm1.isFinite { throw SSMError(.unstable, "the 1-norm of the matrix overflows") }
    if norm1 == 0 {
        output.update(repeating: .zero, count: nw)
        for i in 0..<n { output[i * w + i] = .one }
        return ExpmChoice(degree: 0, squarings: 0)
    }
    // Eight n×w buffers of S, then n×w Doubles for |T| (AbsolutePowerNorms).
    let bytes = 8 * nw * MemoryLayout<S>.stride + nw * MemoryLayout<Double>.stride
    return try withScratch(bytes: bytes) { raw in
        try padeScalingSquaring(input: input, output: output, n: n, m: m, norm1: norm1,
                                work: raw.bindMemory(to: S.self, capacity: 8 * nw),
                                absScratch: (raw + 8 * nw * MemoryLayout<S>.stride).bindMemory(to: Double.self, capacity: nw),
                                allowTriangular: allowTriangular, exactDiagonal: exactDiagonal,
                                boundedSelection: boundedSelection, allowTaylor: allowTaylor)
    }
}

/// The body of `expmTopBlock` on caller-provided scratch memory (`work`: 8·n·w scalars, written
/// before read; `absScratch`: n·w Doubles).
private func padeScalingSquaring<S: BLASScalar>(input: UnsafePointer<S>, output: UnsafeMutablePointer<S>,
                                                n: Int, m: Int, norm1: Double,
                                                work: UnsafeMutablePointer<S>, absScratch: UnsafeMutablePointer<Double>,
                                                allowTriangular: Bool, exactDiagonal: Bool,
                                                boundedSelection: Bool, allowTaylor: Bool) throws -> ExpmChoice {
    let w = n + m, nw = n * w
    let T = work, A2 = work + nw, A4 = work + 2 * nw, A6 = work + 3 * nw
    let P1 = work + 4 * nw, P2 = work + 5 * nw, P3 = work + 6 * nw, A3 = work + 7 * nw
    T.update(from: input, count: nw)

    let triangle = allowTriangular ? triangleOf(T, n: n, ld: w) : nil
    /// out = X·Y for tops X, Y (X's leading n×n block times Y).
    func mul(_ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>, _ out: UnsafeMutablePointer<S>) {
        if let triangle {
            triangularProduct(triangle, n: n, w: w, x, y, out)
        } else {
            S.gemm(n, w, n, alpha: 1, x, w, y, w, beta: 0, out, w)
        }
    }
    // The degree and squarings are chosen from the powers of F alone (the leading n×n blocks):
    // G enters e^M linearly, so the backward error h(M) = log(e^−M r(M)) has top [h(F), g(F)·G] with
    // g(x) = h(x)/x, and the θ_m bounds on α_p(F) give ‖ΔF‖ ≤ u‖F‖ and ‖ΔG‖ ≤ u‖G‖ blockwise
    // (Al-Mohy & Higham's Theorem 4.2 on the series of g, whose powers start one lower). The norms
    // of the full top would let a large G force needless degree and squarings, as in scipy's
    // cont2discrete. ℓ_m (the rounding safeguard) is blockwise too, below. The small Taylor degrees
    // use d3 from the 1-norm estimator, as scipy uses it for d8 and d10.
    func norm(_ x: UnsafeMutablePointer<S>) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { sums in
            sums.initialize(repeating: 0)
            for i in 0..<n {
                let row = x + i * w
                for j in 0..<n { sums[j] += row[j].modulus }
            }
            return sums.max() ?? 0
        }
    }
    /// Estimate of ‖F^a F^b‖₁ given the tops of M^a and M^b.
    func estimate(_ xa: UnsafeMutablePointer<S>, _ xb: UnsafeMutablePointer<S>) -> Double {
        var t1 = [S](repeating: .zero, count: n)
        return estimateOneNorm(count: n, apply: { (x: [S]) -> [S] in
            var y = [S](repeating: .zero, count: n)
            x.withUnsafeBufferPointer { S.gemv(adjoint: false, n, n, xb, w, $0.baseAddress!, &t1) }
            y.withUnsafeMutableBufferPointer { S.gemv(adjoint: false, n, n, xa, w, t1, $0.baseAddress!) }
            return y
        }, applyAdjoint: { (x: [S]) -> [S] in
            var z = [S](repeating: .zero, count: n)
            x.withUnsafeBufferPointer { S.gemv(adjoint: true, n, n, xa, w, $0.baseAddress!, &t1) }
            z.withUnsafeMutableBufferPointer { S.gemv(adjoint: true, n, n, xb, w, t1, $0.baseAddress!) }
            return z
        })
    }
    let normF = norm(T)

    var absPowers = AbsolutePowerNorms(T, n, w, scratch: absScratch)
    /// ℓ_m of Al-Mohy & Higham: extra squarings the backward-error bound asks for, at scaling 2^-s.
    var ellMemo: [Int: Int] = [:]
    func ell(_ degree: Int, _ s: Int) -> Int {
        if let known = ellMemo[degree * 1000 + s] { return known }
        let value = ellUncached(degree, s)
        ellMemo[degree * 1000 + s] = value
        return value
    }
    // ℓ_m blockwise, like the degree choice: α = max(‖|F|^p‖/‖F‖, ‖|F|^(p−1)|G|‖/‖G‖) (the row
    // vector 1ᵀ|M|^p holds the column sums of both blocks), so the scale of G changes nothing. For a
    // plain matrix (m = 0) this is scipy's α = ‖|A|^p‖/‖A‖.
    var normG = 0.0
    for j in n..<w { var c = 0.0; for i in 0..<n { c += T[i * w + j].modulus }; normG = max(normG, c) }
    let blocks: [(columns: Range<Int>, log2Norm: Double)] =
        normG > 0 ? [(0..<n, Double.log2(normF)), (n..<w, Double.log2(normG))] : [(0..<n, Double.log2(normF))]
    func ellUncached(_ degree: Int, _ s: Int) -> Int {
        let p = 2 * degree + 1
        if absPowers.power > p { absPowers.reset() }   // degrees are asked in increasing order
        let log2Coefficient = Double.log2(padeErrorCoefficient[degree]!)
        // ‖|F|^p‖ ≤ ‖F‖^p and ‖|F|^(p−1)|G|‖ ≤ ‖F‖^(p−1)‖G‖: when even that bound gives ℓ = 0 (or F = 0),
        // skip the p vector products.
        if Double(p - 1) * (Double.log2(normF) - Double(s)) - log2Coefficient + 53 <= 0 { return 0 }
        /// ℓ for log₂ of the larger block ratio of the unscaled matrix.
        func ellOf(_ log2Ratio: Double) -> Int {
            if log2Ratio == -.infinity { return 0 }
            let log2Alpha = log2Ratio - Double((p - 1) * s) - log2Coefficient
            let value = ((log2Alpha + 53) / Double(2 * degree)).rounded(.up)
            return value.isFinite ? max(Int(value), 0) : 0
        }
        func ratioBounds() -> (Double, Double)? {
            var lower = -Double.infinity, upper = -Double.infinity
            for block in blocks {
                guard let (l, u) = absPowers.log2NormBounds(power: p, columns: block.columns) else { return nil }
                lower = max(lower, l - block.log2Norm); upper = max(upper, u - block.log2Norm)
            }
            return (lower, upper)
        }
        func exactRatio() -> Double {
            blocks.map { absPowers.exactLog2Norm(power: p, columns: $0.columns) - $0.log2Norm }.max()!
        }
        // The Collatz–Wielandt bounds of the powers formed so far usually pin ℓ down long before
        // power p (the row sums of |A|^k grow at a steady rate): stop as soon as they agree.
        while true {
            if let (lower, upper) = ratioBounds() {
                if upper == -.infinity { return 0 }   // |M|^p = 0
                // Widened by a relative 1e-12 so rounding in the bounds cannot decide a tie.
                let slack = 1e-12 * max(1, abs(lower), abs(upper))
                let l0 = ellOf(lower - slack), l1 = ellOf(upper + slack)
                if l0 == l1 { return l0 }
            }
            if absPowers.advance() == nil || absPowers.power == p { return ellOf(exactRatio()) }
        }
    }

    var degree = 13, s = 0
    mul(T, T, A2)
    let normA2 = norm(A2)
    var normA4Memo: Double?
    /// ‖A⁴‖ (F block), once A⁴ is formed.
    func normA4() -> Double {
        if let known = normA4Memo { return known }
        let value = norm(A4); normA4Memo = value; return value
    }
    // Taylor 4 or 8 without squaring when α = min(max(d1, d2), max(d2, d3)) allows it.
    let taylorAllowed = allowTaylor && triangle == nil
    let taylor = TaylorWorkspace<S>(n: n, w: w, mul: mul, norm: norm)
    var d3 = Double.infinity
    if taylorAllowed {
        let d2 = normA2.squareRoot()
        d3 = Double.pow(estimate(A2, T), 1.0 / 3)
        let alpha = min(max(normF, d2), max(d2, d3))
        if alpha <= taylorTheta[4]! {
            taylor.degree4(a: T, a2: A2, tmp: P1, out: P2)
            return try squareAndStore(P2, spare: P1, squarings: 0, choice: ExpmChoice(degree: 4, squarings: 0, taylor: true))
        }
        if alpha <= taylorTheta[8]! {
            taylor.degree8(a: T, a2: A2, t1: P1, t2: P3, out: P2)
            return try squareAndStore(P2, spare: P1, squarings: 0, choice: ExpmChoice(degree: 8, squarings: 0, taylor: true))
        }
    }
    // Bounded selection: scipy forms A⁴ and A⁶ for the exact d4 = ‖A⁴‖^(1/4), d6 = ‖A⁶‖^(1/6)
    // before testing degrees 3 and 5. Submultiplicativity bounds them by powers already formed
    // (d4, d6 ≤ ‖A²‖^(1/2); d6 ≤ (‖A²‖‖A⁴‖)^(1/6)). When a bound already meets θ_3 (θ_5), the exact
    // values do too, so scipy picks the same degree (or 3 where we pick 5: a higher degree is only
    // more accurate) with s = 0 and the same ℓ test: the choice never has fewer squarings, and the
    // products skipped are A⁴ and A⁶ (degree 3) or A⁶ (degree 5).
    var chosen = false
    if boundedSelection {
        let n2 = normA2, r2 = n2.squareRoot()
        if r2 <= padeTheta[3]! && ell(3, 0) == 0 {
            degree = 3; chosen = true
        } else {
            mul(A2, A2, A4)
            let n4 = normA4()
            let d4 = Double.pow(n4, 0.25), d6Bound = min(r2, Double.pow(n2 * n4, 1.0 / 6))
            if max(d4, d6Bound) <= padeTheta[5]! && ell(5, 0) == 0 { degree = 5; chosen = true }
        }
    } else {
        mul(A2, A2, A4)
    }
    if !chosen {
        mul(A4, A2, A6)
        let d4 = Double.pow(normA4(), 0.25), d6 = Double.pow(norm(A6), 1.0 / 6)
        let eta1 = max(d4, d6)
        if eta1 <= padeTheta[3]! && ell(3, 0) == 0 {
            degree = 3
        } else if eta1 <= padeTheta[5]! && ell(5, 0) == 0 {
            degree = 5
        } else {
            let d8 = Double.pow(estimate(A4, A4), 1.0 / 8)
            let eta3 = max(d6, d8)
            if eta3 <= padeTheta[7]! && ell(7, 0) == 0 {
                degree = 7
            } else if eta3 <= padeTheta[9]! && ell(9, 0) == 0 {
                degree = 9
            } else {
                // η5 = min(η3, max(d8, d10)) can only be below η3 = max(d6, d8) when d8 < d6.
                var eta5 = eta3
                if d8 < d6 { eta5 = min(eta3, max(d8, Double.pow(estimate(A4, A6), 1.0 / 10))) }
                let sReal = eta5 == 0 ? 0 : (Double.log2(eta5 / padeTheta[13]!)).rounded(.up)
                guard sReal.isFinite && sReal <= Double(maxSquarings) else {
                    throw SSMError(.unstable, "the matrix norm is too large (‖M‖₁ = \(norm1)): its powers overflow")
                }
                s = max(Int(sReal), 0)
                s += ell(13, s)
            }
        }
    }
    if s > maxSquarings {
        throw SSMError(.unstable, "the matrix norm is too large (‖M‖₁ = \(norm1)): its exponential needs \(s) squarings")
    }
    // Taylor 18 at s_T ≤ s squarings (α over p ≤ 4, since p(p − 1) ≤ 19) instead of Padé 13 at s.
    if taylorAllowed && degree == 13 {
        let d2 = normA2.squareRoot(), d4 = Double.pow(normA4(), 0.25)
        let d5 = Double.pow(estimate(A4, T), 0.2)
        let alpha = min(max(normF, d2), max(d2, d3), max(d3, d4), max(d4, d5))
        let sT = alpha <= taylorTheta[18]! ? 0 : Int((Double.log2(alpha / taylorTheta[18]!)).rounded(.up))
        if sT <= s {
            mul(T, A2, A3)
            let f = Double(sign: .plus, exponent: -sT, significand: 1)
            // A² = A·A, A⁴ = A²·A², A⁶ = A⁴·A², A³ = A·A² (norms of the factors at the scaled A).
            let (a1, a2, a4) = (f * normF, f * f * normA2, Double.pow(f, 4) * normA4())
            let nu = taylor.degree18(scale: f, powerProducts: a1 * a1 + a2 * a2 + a4 * a2 + a1 * a2,
                                     a: T, a2: A2, a3: A3, a6: A6, t1: P1, t2: P2, out: P3)
            if nu <= taylorMaxAmplification {
                return try squareAndStore(P3, spare: P1, squarings: sT, choice: ExpmChoice(degree: 18, squarings: sT, taylor: true))
            }
        }
    }
    if s > 0 {
        let f = Double(sign: .plus, exponent: -s, significand: 1)
        scale(T, nw, f); scale(A2, nw, f * f); scale(A4, nw, Double.pow(f, 4)); scale(A6, nw, Double.pow(f, 6))
    }

    let b = padeCoefficients[degree]!
    let U: UnsafeMutablePointer<S>, V: UnsafeMutablePointer<S>, Q = P3
    if degree == 13 {
        combine(P1, nw, [(b[13], A6), (b[11], A4), (b[9], A2)])
        mul(A6, P1, P2)
        accumulate(P2, nw, [(b[7], A6), (b[5], A4), (b[3], A2)])
        mul(T, P2, P1)
        accumulate(P1, nw, [(b[1], T)])
        combine(P3, nw, [(b[12], A6), (b[10], A4), (b[8], A2)])
        mul(A6, P3, P2)
        accumulate(P2, nw, [(b[6], A6), (b[4], A4), (b[2], A2)])
        U = P1; V = P2
    } else {
        var powers: [UnsafeMutablePointer<S>] = [A2, A4, A6]
        if degree == 9 { mul(A4, A4, P3); powers.append(P3) }
        let half = degree / 2
        combine(P1, nw, (1...half).map { (b[2 * $0 + 1], powers[$0 - 1]) })
        mul(T, P1, P2)
        accumulate(P2, nw, [(b[1], T)])
        combine(P1, nw, (1...half).map { (b[2 * $0], powers[$0 - 1]) })
        U = P2; V = P1
    }
    for i in 0..<n { V[i * w + i] += S(real: b[0]) }
    // R = Q⁻¹P with Q = V − U, P = V + U; its top is [R11, R12] with R12 = Q11⁻¹ (P12 − Q12) = Q11⁻¹·2U12
    // (the bottom rows of P and Q are both [0, b0·I]). One solve with n + m right-hand sides, in V.
    for i in 0..<n {
        for j in 0..<n { let k = i * w + j, u = U[k], v = V[k]; Q[k] = v - u; V[k] = v + u }
        for j in n..<w { V[i * w + j] = U[i * w + j].scaled(2) }
    }
    if let triangle {
        for i in 0..<n where Q[i * w + i] == .zero {
            throw SSMError(.unstable, "expm: the Padé denominator is singular (zero pivot \(i + 1))")
        }
        blockedTriangularSolve(triangle, unitDiagonal: false, triangularRHS: true, n: n, cols: w, Q, w, V, w)
    } else {
        let info = luSolveInPlace(n: n, cols: w, Q, w, V, w)
        if info != 0 {
            throw SSMError(.unstable, "expm: the Padé denominator is singular (LAPACK info \(info))")
        }
    }

    return try squareAndStore(V, spare: U, squarings: s, choice: ExpmChoice(degree: degree, squarings: s))

    /// Squares the approximant R of e^(2^−s M) s times into `top` (`spare`: a free buffer).
    func squareAndStore(_ r: UnsafeMutablePointer<S>, spare: UnsafeMutablePointer<S>, squarings s: Int,
                        choice: ExpmChoice) throws -> ExpmChoice {
        // Exact diagonal and first off-diagonal of e^(2^-i F) for triangular F (scipy's Code Fragment 2.1).
        let fixDiagonal = exactDiagonal && m == 0 && s > 0 && triangle != nil && n > 1
        let diagonal = fixDiagonal ? (0..<n).map { input[$0 * w + $0] } : []
        let offset = triangle == .lower ? w : 1   // (i+1, i) below the diagonal, (i, i+1) above
        let offDiagonal = fixDiagonal ? (0..<(n - 1)).map { input[$0 * (w + 1) + offset] } : []
        func setExactDiagonal(_ r: UnsafeMutablePointer<S>, scaleExponent i: Int, offDiagonalToo: Bool) {
            let f = Double(sign: .plus, exponent: -i, significand: 1)
            let e = diagonal.map { $0.scaled(f).exponential }
            for k in 0..<n { r[k * (w + 1)] = e[k] }
            guard offDiagonalToo else { return }
            for k in 0..<(n - 1) {
                let l0 = diagonal[k].scaled(f), l1 = diagonal[k + 1].scaled(f), dl = l1 - l0
                // (e^l1 − e^l0)/(l1 − l0), or e^l0 for equal eigenvalues (Higham's (10.42), as scipy).
                let divided = dl == .zero ? e[k] : (e[k + 1] - e[k]) / dl
                r[k * (w + 1) + offset] = divided * offDiagonal[k].scaled(f)
            }
        }

        // Squaring: [[X, Y], [0, I]]² = [[X², XY + Y], [0, I]].
        var R = r, spare = spare
        if fixDiagonal { setExactDiagonal(R, scaleExponent: s, offDiagonalToo: false) }
        for step in 0..<s {
            mul(R, R, spare)
            if m > 0 { for i in 0..<n { for j in n..<w { spare[i * w + j] += R[i * w + j] } } }
            swap(&R, &spare)
            if fixDiagonal { setExactDiagonal(R, scaleExponent: s - 1 - step, offDiagonalToo: true) }
            if !(0..<nw).allSatisfy({ R[$0].isFiniteValue }) { break }
        }
        output.update(from: R, count: nw)
        try requireNoOverflow(UnsafeBufferPointer(start: output, count: nw))
        return choice
    }
}

/// ‖M‖₁ (largest column sum of moduli) of a top block n×w with zero bottom rows.
func oneNorm<C: Collection>(_ x: C, _ n: Int, _ w: Int) -> Double where C.Element: BLASScalar, C.Index == Int {
    var sums = [Double](repeating: 0, count: w)
    var k = x.startIndex
    for _ in 0..<n { for j in 0..<w { sums[j] += x[k].modulus; k += 1 } }
    return sums.max() ?? 0
}

func scale<S: BLASScalar>(_ x: UnsafeMutablePointer<S>, _ count: Int, _ f: Double) {
    let width = MemoryLayout<S>.stride / MemoryLayout<Double>.stride
    let p = UnsafeMutableRawPointer(x).assumingMemoryBound(to: Double.self)
    for k in 0..<(count * width) { p[k] *= f }
}

/// out = Σ c·X over the terms, in one pass over memory.
func combine<S: BLASScalar>(_ out: UnsafeMutablePointer<S>, _ count: Int, _ terms: [(Double, UnsafeMutablePointer<S>)]) {
    fusedSum(out, count, terms, accumulate: false)
}

/// out += Σ c·X over the terms, in one pass over memory.
func accumulate<S: BLASScalar>(_ out: UnsafeMutablePointer<S>, _ count: Int, _ terms: [(Double, UnsafeMutablePointer<S>)]) {
    fusedSum(out, count, terms, accumulate: true)
}

/// The elementwise sums of the Padé and Taylor polynomials, up to five terms per pass over memory.
/// Complex entries are summed as pairs of Doubles (a real scale factor acts on both parts), so both
/// scalar types run the same vectorizable loop.
private func fusedSum<S: BLASScalar>(_ out: UnsafeMutablePointer<S>, _ count: Int, _ terms: [(Double, UnsafeMutablePointer<S>)],
                                     accumulate: Bool) {
    let width = MemoryLayout<S>.stride / MemoryLayout<Double>.stride
    precondition(width * MemoryLayout<Double>.stride == MemoryLayout<S>.stride)
    let len = count * width
    let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self)
    if terms.isEmpty {
        if !accumulate { o.update(repeating: 0, count: len) }
        return
    }
    var first = !accumulate
    var rest = terms[...]
    while !rest.isEmpty {
        let chunk = rest.prefix(5)
        rest = rest.dropFirst(chunk.count)
        // Missing terms are (0, x0): the compiler keeps one loop shape; 0·x adds nothing for finite x.
        var c = [Double](repeating: 0, count: 5)
        var x = [UnsafePointer<Double>](repeating: UnsafePointer(UnsafeMutableRawPointer(chunk.first!.1).assumingMemoryBound(to: Double.self)), count: 5)
        for (k, (ck, xk)) in chunk.enumerated() {
            c[k] = ck
            x[k] = UnsafePointer(UnsafeMutableRawPointer(xk).assumingMemoryBound(to: Double.self))
        }
        let (c0, c1, c2, c3, c4) = (c[0], c[1], c[2], c[3], c[4])
        let (x0, x1, x2, x3, x4) = (x[0], x[1], x[2], x[3], x[4])
        switch (chunk.count, first) {
        case (1, true): for k in 0..<len { o[k] = c0 * x0[k] }
        case (1, false): for k in 0..<len { o[k] += c0 * x0[k] }
        case (2, true): for k in 0..<len { o[k] = c0 * x0[k] + c1 * x1[k] }
        case (2, false): for k in 0..<len { o[k] += c0 * x0[k] + c1 * x1[k] }
        case (3, true): for k in 0..<len { o[k] = c0 * x0[k] + c1 * x1[k] + c2 * x2[k] }
        case (3, false): for k in 0..<len { o[k] += c0 * x0[k] + c1 * x1[k] + c2 * x2[k] }
        case (_, true): for k in 0..<len { o[k] = c0 * x0[k] + c1 * x1[k] + c2 * x2[k] + c3 * x3[k] + c4 * x4[k] }
        case (_, false): for k in 0..<len { o[k] += c0 * x0[k] + c1 * x1[k] + c2 * x2[k] + c3 * x3[k] + c4 * x4[k] }
        }
        first = false
    }
}

/// log₂‖|M|^p‖₁ for increasing p, by row-vector products 1ᵀ|M|^p (exact, since |M| ≥ 0),
/// rescaled at every step so huge norms do not overflow.
struct AbsolutePowerNorms {
    let n: Int, w: Int
    let absTop: UnsafeMutablePointer<Double>
    var v: [Double]
    var log2Scale = 0.0
    var power = 0

    /// `scratch` (n·w Doubles) receives |top| and must outlive the value.
    init<S: BLASScalar>(_ top: UnsafeMutablePointer<S>, _ n: Int, _ w: Int, scratch: UnsafeMutablePointer<Double>) {
        self.n = n; self.w = w
        absTop = scratch
        for k in 0..<(n * w) { scratch[k] = top[k].modulus }
        v = [Double](repeating: 1, count: w)
    }

    /// Elementwise min and max of v_k / v_(k−1) at the last step (v_k = 1ᵀ|M|^k, rescaled):
    /// since |M| ≥ 0, r^j v_k ≤ v_(k+j) ≤ R^j v_k.
    var ratioMin = 0.0, ratioMax = Double.infinity

    mutating func reset() {
        v = [Double](repeating: 1, count: w)
        log2Scale = 0; power = 0; zero = false; ratioMin = 0; ratioMax = .infinity
    }

    /// Forms the next power's row vector; nil when it is zero (then every later power is zero).
    mutating func advance() -> Bool? {
        var next = [Double](repeating: 0, count: w)
        v.withUnsafeBufferPointer { x in
            // next = |T|ᵀ v_top (only the first n entries of v meet non-zero rows).
            Double.gemv(adjoint: true, n, w, absTop, w, x.baseAddress!, &next)
        }
        let mx = next.max() ?? 0
        if mx == 0 { zero = true; return nil }
        var rMin = Double.infinity, rMax = 0.0
        for j in 0..<w {
            let y = next[j] / mx
            if v[j] > 0 {
                let r = y / v[j]; rMin = min(rMin, r); rMax = max(rMax, r)
            } else if y > 0 {
                rMax = .infinity
            }
            v[j] = y
        }
        // Ratios of the unscaled vectors: the rescaling divided v_k by mx.
        ratioMin = rMin * mx; ratioMax = rMax * mx
        log2Scale += Double.log2(mx)
        power += 1
        return true
    }
    var zero = false

    /// log₂ of the largest of the given columns' sums of |M|^power (the current power).
    private func log2Max(_ columns: Range<Int>) -> Double {
        let largest = v[columns].max() ?? 0
        return largest > 0 ? log2Scale + Double.log2(largest) : -.infinity
    }

    /// Lower and upper bounds of log₂ of the largest column sum of |M|^p over `columns` (default:
    /// all, i.e. log₂‖|M|^p‖₁) from the powers formed so far (nil before the first).
    func log2NormBounds(power p: Int, columns: Range<Int>? = nil) -> (Double, Double)? {
        if zero { return (-.infinity, -.infinity) }
        guard power >= 1 && power <= p else { return nil }
        let current = log2Max(columns ?? 0..<w)
        if power == p { return (current, current) }
        guard ratioMin > 0 && ratioMax.isFinite else { return nil }
        let j = Double(p - power)
        return (current + j * Double.log2(ratioMin), current + j * Double.log2(ratioMax))
    }

    /// log₂ of the largest column sum of |M|^p over `columns` (default: log₂‖|M|^p‖₁), forming the
    /// powers up to p.
    mutating func exactLog2Norm(power p: Int, columns: Range<Int>? = nil) -> Double {
        while power < p && !zero { _ = advance() }
        return zero ? -.infinity : log2Max(columns ?? 0..<w)
    }
}
