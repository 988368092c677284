// The butterflies of the mixed-radix Stockham FFT (FFTPlan.swift): one pass per factor r ∈ {2, 3,
// 4, 5, 7, 8} of n. A pass of sub-length len = r·m at stride s (len·s = n) reads, for p < m and
// q < s, the r points q + s(p + j·m), j < r, takes their DFT of length r, multiplies output k by the
// twiddle w_len^(p·k) and writes it to q + s(r·p + k). Natural order in and out, no bit reversal.
//
// Every pass is generic over `FFTLane` (one Double, SIMD2<Double> for two rows side by side, or
// SIMD4<Float> for four float32 rows) and over where it reads and writes (`FFTSource`, `FFTSink`):
// a lane buffer, whose element i is (re, im) at (2i, 2i + 1), or the caller's rows themselves, so
// the first pass reads the input rows and the last pass writes the output rows without a copy. `inverse` is a constant after inlining: the
// inverse conjugates the twiddles and the butterflies' roots. Twiddles come from a per-plan table,
// r − 1 complex values per p, contiguous in p, so every pass streams through its own table.

/// Where one pass reads its twiddles and how it indexes: radix r, m = len/r groups, stride s.
struct FFTPass: Sendable {
    let radix: Int
    let m: Int
    let s: Int
    /// Offset (in Doubles) of this pass's table: (r − 1) complex twiddles per p < m.
    let table: Int
}

/// cos and sin of 2πk/r for the odd radices' butterflies, exact to an ulp (`unitRoot`).
private let root5 = (c1: unitRoot(1, 5).cos, s1: unitRoot(1, 5).sin, c2: unitRoot(2, 5).cos, s2: unitRoot(2, 5).sin)
private let root7 = (c1: unitRoot(1, 7).cos, s1: unitRoot(1, 7).sin, c2: unitRoot(2, 7).cos, s2: unitRoot(2, 7).sin,
                     c3: unitRoot(3, 7).cos, s3: unitRoot(3, 7).sin)
/// √3/2 = sin(2π/3), and 1/√2 = cos(π/4), correctly rounded.
private let sqrt3Half = 0.8660254037844386
private let sqrtHalf = 0.7071067811865476

/// (re, im)·(wr, wi).
@inline(__always)
private func multiply<V: FFTLane>(_ re: V, _ im: V, _ wr: V.Twiddle, _ wi: V.Twiddle) -> (V, V) {
    (re * wr - im * wi, re * wi + im * wr)
}

/// Runs `butterfly(a, b, twiddles)` over one pass: `a` reads input j = 0 and `b` writes output
/// k = 0 of one butterfly; `twiddles` is nil for p = 0 (all ones). Index arithmetic is unchecked
/// (wrapping): every offset is below 2n, which the plan's allocation bounds.
@inline(__always)
private func forEachButterfly<In: FFTSource, Out: FFTSink>(
    _ pass: FFTPass, _ x: In, _ y: Out, _ w: UnsafePointer<In.V.Twiddle>,
    _ butterfly: (In, Out, UnsafePointer<In.V.Twiddle>?) -> Void) where In.V == Out.V {
    let (r, m, s) = (pass.radix, pass.m, pass.s)
    let table = w + pass.table, tableStep = 2 &* (r &- 1), outStep = 2 &* s &* r
    for q in 0..<s { butterfly(x.advanced(by: 2 &* q), y.advanced(by: 2 &* q), nil) }
    if m == 1 { return }
    if s == 1 {
        // The first pass: one butterfly per p, twiddles read in order.
        var a = x.advanced(by: 2), b = y.advanced(by: 2 &* r), t = table + tableStep
        for _ in 1..<m { butterfly(a, b, t); a = a.advanced(by: 2); b = b.advanced(by: outStep); t += tableStep }
    } else {
        var a = x.advanced(by: 2 &* s), b = y.advanced(by: outStep), t = table + tableStep
        for _ in 1..<m {
            for q in 0..<s { butterfly(a.advanced(by: 2 &* q), b.advanced(by: 2 &* q), t) }
            a = a.advanced(by: 2 &* s); b = b.advanced(by: outStep); t += tableStep
        }
    }
}

/// Stores output k = (re, im) at offset `i` of `y`, times twiddle k (k ≥ 1, conjugated for the
/// inverse) when there are twiddles.
@inline(__always)
private func store<Out: FFTSink>(_ y: Out, _ i: Int, _ re: Out.V, _ im: Out.V,
                                 _ t: UnsafePointer<Out.V.Twiddle>?, _ k: Int, _ inverse: Bool) {
    if let t {
        let wi = t[2 &* (k &- 1) &+ 1]
        let (a, b) = multiply(re, im, t[2 &* (k &- 1)], inverse ? Out.V.negate(wi) : wi)
        y.store(i, a, b)
    } else {
        y.store(i, re, im)
    }
}

/// The direction of a transform as a type, so that every pass is compiled once per direction
/// with `inverse` a constant (a Bool argument survives into the loops when a pass is not inlined).
protocol FFTDirection { static var inverse: Bool { get } }
enum FFTForward: FFTDirection { static var inverse: Bool { false } }
enum FFTInverse: FFTDirection { static var inverse: Bool { true } }

extension FFTPlan {
    /// One pass of `pass.radix` from x to y (different buffers).
    @inline(__always)
    func runPass<In: FFTSource, Out: FFTSink, D: FFTDirection>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                               w: UnsafePointer<In.V.Twiddle>, _: D.Type) where In.V == Out.V {
        let inverse = D.inverse
        switch pass.radix {
        case 2: radix2(pass, x, y, w: w, inverse: inverse)
        case 3: radix3(pass, x, y, w: w, inverse: inverse)
        case 4: radix4(pass, x, y, w: w, inverse: inverse)
        case 5: radix5(pass, x, y, w: w, inverse: inverse)
        case 7: radix7(pass, x, y, w: w, inverse: inverse)
        default: radix8(pass, x, y, w: w, inverse: inverse)
        }
    }

    @inline(__always)
    private func radix2<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        forEachButterfly(pass, x, y, w) { x, y, t in
            let (ar, ai) = x.load(0)
            let (br, bi) = x.load(step)
            y.store(0, ar + br, ai + bi)
            store(y, o1, ar - br, ai - bi, t, 1, inverse)
        }
    }

    /// y1,2 = a0 − (a1 + a2)/2 ∓ i·(√3/2)(a1 − a2) (forward; the inverse swaps the signs).
    @inline(__always)
    private func radix3<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        let j2 = 2 &* step
        let c = In.V.splat(In.V.Real(inverse ? -sqrt3Half : sqrt3Half)), half = In.V.splat(0.5)
        forEachButterfly(pass, x, y, w) { x, y, t in
            let (ar, ai) = x.load(0)
            let (br, bi) = x.load(step)
            let (cr, ci) = x.load(j2)
            let tr = br + cr, ti = bi + ci
            let mr = ar - tr * half, mi = ai - ti * half
            // −i·c·(b − c) = (c·(bi − ci), −c·(br − cr)).
            let dr = (bi - ci) * c, di = (cr - br) * c
            y.store(0, ar + tr, ai + ti)
            store(y, o1, mr + dr, mi + di, t, 1, inverse)
            store(y, 2 &* o1, mr - dr, mi - di, t, 2, inverse)
        }
    }

    @inline(__always)
    private func radix4<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        let (j2, j3) = (2 &* step, 3 &* step)
        forEachButterfly(pass, x, y, w) { x, y, t in
            let (ar, ai) = x.load(0)
            let (br, bi) = x.load(step)
            let (cr, ci) = x.load(j2)
            let (dr, di) = x.load(j3)
            let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
            let bpdR = br + dr, bpdI = bi + di
            // ∓i·(b − d): forward −i, inverse +i.
            let jR = inverse ? di - bi : bi - di, jI = inverse ? br - dr : dr - br
            y.store(0, apcR + bpdR, apcI + bpdI)
            store(y, o1, amcR + jR, amcI + jI, t, 1, inverse)
            store(y, 2 &* o1, apcR - bpdR, apcI - bpdI, t, 2, inverse)
            store(y, 3 &* o1, amcR - jR, amcI - jI, t, 3, inverse)
        }
    }

    /// With t_j = a_j + a_(5−j), d_j = a_j − a_(5−j): y_k, y_(5−k) = a0 + Σ cos(2πjk/5) t_j
    /// ∓ i Σ sin(2πjk/5) d_j (forward; the inverse swaps the signs).
    @inline(__always)
    private func radix5<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        let (j2, j3, j4) = (2 &* step, 3 &* step, 4 &* step)
        let sign: In.V.Real = inverse ? -1 : 1
        let (c1, c2) = (In.V.splat(In.V.Real(root5.c1)), In.V.splat(In.V.Real(root5.c2)))
        let (s1, s2) = (In.V.splat(sign * In.V.Real(root5.s1)), In.V.splat(sign * In.V.Real(root5.s2)))
        forEachButterfly(pass, x, y, w) { x, y, t in
            let (ar, ai) = x.load(0)
            let (br, bi) = x.load(step)
            let (er, ei) = x.load(j4)
            let (cr, ci) = x.load(j2)
            let (dr, di) = x.load(j3)
            let t1r = br + er, t1i = bi + ei, d1r = br - er, d1i = bi - ei
            let t2r = cr + dr, t2i = ci + di, d2r = cr - dr, d2i = ci - di
            y.store(0, ar + t1r + t2r, ai + t1i + t2i)
            let b1r = ar + t1r * c1 + t2r * c2, b1i = ai + t1i * c1 + t2i * c2
            let b2r = ar + t1r * c2 + t2r * c1, b2i = ai + t1i * c2 + t2i * c1
            // −i·e = (e_i, −e_r) with e1 = s1 d1 + s2 d2, e2 = s2 d1 − s1 d2.
            let e1r = d1r * s1 + d2r * s2, e1i = d1i * s1 + d2i * s2
            let e2r = d1r * s2 - d2r * s1, e2i = d1i * s2 - d2i * s1
            store(y, o1, b1r + e1i, b1i - e1r, t, 1, inverse)
            store(y, 4 &* o1, b1r - e1i, b1i + e1r, t, 4, inverse)
            store(y, 2 &* o1, b2r + e2i, b2i - e2r, t, 2, inverse)
            store(y, 3 &* o1, b2r - e2i, b2i + e2r, t, 3, inverse)
        }
    }

    /// As radix 5 with three pairs: y_k, y_(7−k) = a0 + Σ_j cos(2πjk/7) t_j ∓ i Σ_j sin(2πjk/7) d_j.
    @inline(__always)
    private func radix7<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        let (j2, j3, j4, j5, j6) = (2 &* step, 3 &* step, 4 &* step, 5 &* step, 6 &* step)
        let sign: In.V.Real = inverse ? -1 : 1
        let (c1, c2, c3) = (In.V.splat(In.V.Real(root7.c1)), In.V.splat(In.V.Real(root7.c2)), In.V.splat(In.V.Real(root7.c3)))
        let (s1, s2, s3) = (In.V.splat(sign * In.V.Real(root7.s1)), In.V.splat(sign * In.V.Real(root7.s2)),
                            In.V.splat(sign * In.V.Real(root7.s3)))
        forEachButterfly(pass, x, y, w) { x, y, t in
            let (ar, ai) = x.load(0)
            let (a1r, a1i) = x.load(step), (a6r, a6i) = x.load(j6)
            let (a2r, a2i) = x.load(j2), (a5r, a5i) = x.load(j5)
            let (a3r, a3i) = x.load(j3), (a4r, a4i) = x.load(j4)
            let t1r = a1r + a6r, t1i = a1i + a6i, d1r = a1r - a6r, d1i = a1i - a6i
            let t2r = a2r + a5r, t2i = a2i + a5i, d2r = a2r - a5r, d2i = a2i - a5i
            let t3r = a3r + a4r, t3i = a3i + a4i, d3r = a3r - a4r, d3i = a3i - a4i
            y.store(0, ar + t1r + t2r + t3r, ai + t1i + t2i + t3i)
            // k = 1, 2, 3: cos(2πjk/7) and sin(2πjk/7) for j = 1, 2, 3 reduce to ±c, ±s of 1, 2, 3.
            let b1r = ar + t1r * c1 + t2r * c2 + t3r * c3, b1i = ai + t1i * c1 + t2i * c2 + t3i * c3
            let b2r = ar + t1r * c2 + t2r * c3 + t3r * c1, b2i = ai + t1i * c2 + t2i * c3 + t3i * c1
            let b3r = ar + t1r * c3 + t2r * c1 + t3r * c2, b3i = ai + t1i * c3 + t2i * c1 + t3i * c2
            let e1r = d1r * s1 + d2r * s2 + d3r * s3, e1i = d1i * s1 + d2i * s2 + d3i * s3
            let e2r = d1r * s2 - d2r * s3 - d3r * s1, e2i = d1i * s2 - d2i * s3 - d3i * s1
            let e3r = d1r * s3 - d2r * s1 + d3r * s2, e3i = d1i * s3 - d2i * s1 + d3i * s2
            store(y, o1, b1r + e1i, b1i - e1r, t, 1, inverse)
            store(y, 6 &* o1, b1r - e1i, b1i + e1r, t, 6, inverse)
            store(y, 2 &* o1, b2r + e2i, b2i - e2r, t, 2, inverse)
            store(y, 5 &* o1, b2r - e2i, b2i + e2r, t, 5, inverse)
            store(y, 3 &* o1, b3r + e3i, b3i - e3r, t, 3, inverse)
            store(y, 4 &* o1, b3r - e3i, b3i + e3r, t, 4, inverse)
        }
    }

    /// Two radix-4 DFTs on the even and odd points, joined by e^(∓2πik/8), k < 4.
    @inline(__always)
    private func radix8<In: FFTSource, Out: FFTSink>(_ pass: FFTPass, _ x: In, _ y: Out,
                                                     w: UnsafePointer<In.V.Twiddle>, inverse: Bool) where In.V == Out.V {
        let step = 2 &* pass.s &* pass.m, o1 = 2 &* pass.s
        let (j2, j3, j4, j5, j6, j7) = (2 &* step, 3 &* step, 4 &* step, 5 &* step, 6 &* step, 7 &* step)
        let sqrtHalf = In.V.splat(In.V.Real(sqrtHalf))
        forEachButterfly(pass, x, y, w) { x, y, t in
            // Even points 0, 2, 4, 6.
            let (a0r, a0i) = x.load(0)
            let (a2r, a2i) = x.load(j2)
            let (a4r, a4i) = x.load(j4)
            let (a6r, a6i) = x.load(j6)
            let p04r = a0r + a4r, p04i = a0i + a4i, m04r = a0r - a4r, m04i = a0i - a4i
            let p26r = a2r + a6r, p26i = a2i + a6i
            let j26r = inverse ? a6i - a2i : a2i - a6i, j26i = inverse ? a2r - a6r : a6r - a2r   // ∓i(a2 − a6)
            let e0r = p04r + p26r, e0i = p04i + p26i, e2r = p04r - p26r, e2i = p04i - p26i
            let e1r = m04r + j26r, e1i = m04i + j26i, e3r = m04r - j26r, e3i = m04i - j26i
            // Odd points 1, 3, 5, 7.
            let (a1r, a1i) = x.load(step)
            let (a3r, a3i) = x.load(j3)
            let (a5r, a5i) = x.load(j5)
            let (a7r, a7i) = x.load(j7)
            let p15r = a1r + a5r, p15i = a1i + a5i, m15r = a1r - a5r, m15i = a1i - a5i
            let p37r = a3r + a7r, p37i = a3i + a7i
            let j37r = inverse ? a7i - a3i : a3i - a7i, j37i = inverse ? a3r - a7r : a7r - a3r
            let f0r = p15r + p37r, f0i = p15i + p37i, f2r = p15r - p37r, f2i = p15i - p37i
            let f1r = m15r + j37r, f1i = m15i + j37i, f3r = m15r - j37r, f3i = m15i - j37i
            // e^(∓2πi/8)·f1 = (f1 ∓ i f1)/√2, ∓i·f2, e^(∓6πi/8)·f3 = (−f3 ∓ i f3)/√2.
            let g1r = (inverse ? f1r - f1i : f1r + f1i) * sqrtHalf, g1i = (inverse ? f1i + f1r : f1i - f1r) * sqrtHalf
            let g2r = inverse ? -f2i : f2i, g2i = inverse ? f2r : -f2r
            let g3r = (inverse ? -f3r - f3i : f3i - f3r) * sqrtHalf, g3i = (inverse ? f3r - f3i : -f3r - f3i) * sqrtHalf
            y.store(0, e0r + f0r, e0i + f0i)
            store(y, o1, e1r + g1r, e1i + g1i, t, 1, inverse)
            store(y, 2 &* o1, e2r + g2r, e2i + g2i, t, 2, inverse)
            store(y, 3 &* o1, e3r + g3r, e3i + g3i, t, 3, inverse)
            store(y, 4 &* o1, e0r - f0r, e0i - f0i, t, 4, inverse)
            store(y, 5 &* o1, e1r - g1r, e1i - g1i, t, 5, inverse)
            store(y, 6 &* o1, e2r - g2r, e2i - g2i, t, 6, inverse)
            store(y, 7 &* o1, e3r - g3r, e3i - g3i, t, 7, inverse)
        }
    }
}
