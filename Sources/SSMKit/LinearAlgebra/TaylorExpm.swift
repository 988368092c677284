// Truncated Taylor approximants of e^A evaluated with fewer matrix products than Paterson–Stockmeyer
// (Bader, Blanes & Casas, "Computing the matrix exponential with an optimized Taylor polynomial
// approximation", Mathematics 7(12):1174, 2019): degree 4 in 2 products, 8 in 3, 18 in 5, and no
// linear solve. expm uses them where they cost less than scipy's Padé choice (see Expm.swift).
//
// Every constant below was checked in 60-digit arithmetic (mpmath): the evaluation schemes
// reproduce the Taylor coefficients 1/k!, k ≤ m, to 1e-29 relative, and θ_m is the largest x with
// Σ_{k>m} |c_k| x^(k−1) ≤ 2^−53 for log(e^−x T_m(x)) = Σ c_k x^k (the backward-error bound of
// Al-Mohy & Higham 2009 applied to T_m).

/// θ_m: T_m(2^−s A) has relative backward error ≤ 2^−53 when α_p(2^−s A) ≤ θ_m for any p with
/// p(p − 1) ≤ m + 1, α_p = max(‖A^p‖^(1/p), ‖A^(p+1)‖^(1/(p+1))).
let taylorTheta: [Int: Double] = [4: 3.3971688399769619e-4, 8: 4.9912288711153227e-2, 18: 1.0908637192900362]

/// Degree 8: A4′ = A²(a1 A + a2 A²), A8′ = (x3 A² + A4′)(c0 I + c1 A + c2 A² + c4 A4′),
/// T8 = I + A + u2 A² + A8′ (closed forms with √177 from the paper).
private enum Taylor8 {
    static let r = Double(177).squareRoot(), x3 = 2.0 / 3
    static let a1 = (1 + r) * x3 / 88, a2 = (1 + r) * x3 / 352, u2 = (857 - 58 * r) / 630
    static let c0 = (-271 + 29 * r) / (315 * x3), c1 = 11 * (-1 + r) / (1260 * x3)
    static let c2 = 11 * (-9 + r) / (5040 * x3), c4 = -(-89 + r) / (5040 * x3 * x3)
}

/// Degree 18: with q31 = a11 A + a21 A² + a31 A³ and q6k = b0k I + b1k A + b2k A² + b3k A³ + b6k A⁶,
/// q91 = q31·q64 + q63 and T18 = q61 + (q62 + q91)·q91 (b01 = b04 = b14 = 0).
private enum Taylor18 {
    static let a11 = -0.10036558103014462001, a21 = -0.0080292464824115696012, a31 = -0.00089213849804572995569
    static let b11 = 0.39784974949964507615, b21 = 1.3678377846041171992, b31 = 0.49828962252538267756
    static let b61 = -0.00063789819459472330924
    static let b02 = -10.967639605296206259, b12 = 1.6801581387890619718, b22 = 0.057177984647886551270
    static let b32 = -0.0069821012248805208429, b62 = 0.000033497501708607053831
    static let b03 = -0.090431683239081056197, b13 = -0.067640451907138190756, b23 = 0.067596130177045964608
    static let b33 = 0.029555257042931552743, b63 = -0.000013918025751606070112
    static let b24 = -0.092336461936711859276, b34 = -0.016936493900208171719, b64 = -0.000014008679818203615979
}

/// Largest accepted rounding amplification of the degree-18 evaluation,
/// ν = (‖q62 + q91‖·‖q91‖ + ‖q31‖·‖q64‖ + Σ ‖X‖·‖Y‖ over the products X·Y that formed A², A³, A⁴, A⁶)/‖T18‖
/// (1-norms, at the scaled A): the size of the terms whose rounding errors the result carries,
/// relative to the result. Above it expm falls back to Padé. Calibrated on 130 rotated non-normal
/// matrices (N = 2…8, off-diagonal 10…1e6) against 60-digit references: where ν ≤ 20, Taylor's error
/// was at most 5.1x Padé's (median ≈ 1); every case that lost more than 10x had ν ≥ 86. Dense
/// Gaussian matrices give ν ≈ 6–14.
let taylorMaxAmplification = 20.0

/// The buffers and products the Taylor evaluations work with: tops (n×w, row-major) of the powers
/// of M = [[F, G], [0, 0]] and a product that forms X's leading n×n block times Y.
struct TaylorWorkspace<S: BLASScalar> {
    let n: Int, w: Int
    let mul: (UnsafeMutablePointer<S>, UnsafeMutablePointer<S>, UnsafeMutablePointer<S>) -> Void
    let norm: (UnsafeMutablePointer<S>) -> Double

    var nw: Int { n * w }

    /// out = X·Y for polynomials X, Y in M where Y has constant term `c` (Y = c I + …): the top of
    /// the product is X₁₁·[Y₁₁ Y₁₂] plus c·X₁₂ in the extra columns.
    func product(_ x: UnsafeMutablePointer<S>, _ y: UnsafeMutablePointer<S>, constantOfY c: Double,
                 _ out: UnsafeMutablePointer<S>) {
        mul(x, y, out)
        if c != 0 && w > n {
            for i in 0..<n { for j in n..<w { out[i * w + j] += x[i * w + j].scaled(c) } }
        }
    }

    /// Adds c·I to the top of a polynomial (its leading n×n diagonal).
    func addIdentity(_ x: UnsafeMutablePointer<S>, _ c: Double) {
        for i in 0..<n { x[i * w + i] += S(real: c) }
    }

    /// T4(A) = I + A + A²(I/2 + A/6 + A²/24) into `out`, using `tmp`.
    func degree4(a: UnsafeMutablePointer<S>, a2: UnsafeMutablePointer<S>,
                 tmp: UnsafeMutablePointer<S>, out: UnsafeMutablePointer<S>) {
        combine(tmp, nw, [(1.0 / 6, a), (1.0 / 24, a2)])
        addIdentity(tmp, 0.5)
        product(a2, tmp, constantOfY: 0.5, out)
        accumulate(out, nw, [(1, a)])
        addIdentity(out, 1)
    }

    /// T8(A) into `out`, using `t1`, `t2`.
    func degree8(a: UnsafeMutablePointer<S>, a2: UnsafeMutablePointer<S>,
                 t1: UnsafeMutablePointer<S>, t2: UnsafeMutablePointer<S>, out: UnsafeMutablePointer<S>) {
        typealias K = Taylor8
        combine(t1, nw, [(K.a1, a), (K.a2, a2)])
        mul(a2, t1, t2)                                            // A4′
        combine(t1, nw, [(K.x3, a2), (1, t2)])                     // x3 A² + A4′
        combine(out, nw, [(K.c1, a), (K.c2, a2), (K.c4, t2)])
        addIdentity(out, K.c0)
        product(t1, out, constantOfY: K.c0, t2)                    // A8′
        combine(out, nw, [(1, t2), (1, a), (K.u2, a2)])
        addIdentity(out, 1)
    }

    /// T18(f·A) into `out` given the tops of A, A², A³, A⁶ (unscaled: f^k folds into the
    /// coefficients), using `t1`, `t2`. Returns the rounding amplification ν; `powerProducts` is
    /// the Σ ‖X‖·‖Y‖ term of ν for the products that formed the powers (at the scaled A).
    func degree18(scale f: Double, powerProducts: Double, a: UnsafeMutablePointer<S>, a2: UnsafeMutablePointer<S>,
                  a3: UnsafeMutablePointer<S>, a6: UnsafeMutablePointer<S>,
                  t1: UnsafeMutablePointer<S>, t2: UnsafeMutablePointer<S>, out: UnsafeMutablePointer<S>) -> Double {
        typealias K = Taylor18
        let f2 = f * f, f3 = f2 * f, f6 = f3 * f3
        combine(t1, nw, [(f * K.a11, a), (f2 * K.a21, a2), (f3 * K.a31, a3)])       // q31
        combine(t2, nw, [(f2 * K.b24, a2), (f3 * K.b34, a3), (f6 * K.b64, a6)])     // q64
        let n31 = norm(t1), n64 = norm(t2)
        product(t1, t2, constantOfY: 0, out)                                          // q31·q64
        accumulate(out, nw, [(f * K.b13, a), (f2 * K.b23, a2), (f3 * K.b33, a3), (f6 * K.b63, a6)])
        addIdentity(out, K.b03)                                                       // q91
        combine(t1, nw, [(1, out), (f * K.b12, a), (f2 * K.b22, a2), (f3 * K.b32, a3), (f6 * K.b62, a6)])
        addIdentity(t1, K.b02)                                                        // q62 + q91
        let n62 = norm(t1), n91 = norm(out)
        product(t1, out, constantOfY: K.b03, t2)                                      // (q62 + q91)·q91
        combine(out, nw, [(1, t2), (f * K.b11, a), (f2 * K.b21, a2), (f3 * K.b31, a3), (f6 * K.b61, a6)])   // + q61
        let result = norm(out)
        return result > 0 ? (n62 * n91 + n31 * n64 + powerProducts) / result : .infinity
    }
}
