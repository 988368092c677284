import RealModule
import Synchronization

// Plans for the complex FFT of any length: n = 2^a 3^b 5^c 7^d by a mixed-radix Stockham autosort
// (radices 8, 4, 2, 3, 5, 7; FFTRadix.swift), other lengths by Bluestein's chirp-z through such a
// length.
// Plans are immutable once built and cached per length, so concurrent callers share them.

/// e^(2πi·a/b) computed with exact integer argument reduction to the first octant, so every root
/// of unity is correct to about one ulp whatever the length (no cos(2πk/n) of a large argument).
func unitRoot(_ a: Int, _ b: Int) -> (cos: Double, sin: Double) {
    precondition(b > 0 && b <= 1 << 58)
    var a = a % b
    if a < 0 { a += b }
    // Reflect to [0, 1/2]: e^(2πi(b−a)/b) is the conjugate.
    let conjugate = 2 * a > b
    if conjugate { a = b - a }
    // Fraction a/b ∈ [0, 1/2]: past a quarter, rotate by π/2.
    var (num, den) = (a, b)
    var quarter = false
    if 4 * num > den { (num, den) = (4 * num - den, 4 * den); quarter = true }
    // Now num/den ∈ [0, 1/4]: past an eighth, use the complementary angle.
    var swap = false
    if 8 * num > den { (num, den) = (den - 4 * num, 4 * den); swap = true }
    let angle = 2 * Double.pi * (Double(num) / Double(den))
    var (c, s) = (Double.cos(angle), Double.sin(angle))
    if swap { (c, s) = (s, c) }
    if quarter { (c, s) = (-s, c) }
    return (c, conjugate ? -s : s)
}

/// A complex FFT of one length n ≥ 1 (forward e^(−2πi jk/n), or inverse e^(+2πi jk/n), unscaled).
final class FFTPlan: Sendable {
    let n: Int
    /// Lengths 2^a 3^b 5^c 7^d: the Stockham passes (FFTRadix.swift), first to last, radix 8 at
    /// most (fewer passes over memory, best one row at a time) or radix 4 at most (best for SIMD2
    /// lanes: a radix-8 butterfly of SIMD2 values needs more than the 16 SSE registers). One plan
    /// serves every row of a batch, lanes or not, so a row's result never depends on its position.
    let passes: [FFTPass]
    /// The largest power-of-two radix, 4 or 8.
    let largest: Int
    /// The passes' twiddle tables, one after another: w_len^(p·k) = e^(−2πi pk/len), interleaved.
    let twiddles: TwiddleTables
    /// Other lengths: Bluestein's chirp c_j = e^(−πi j²/n) (interleaved), the direct plan of a
    /// length m ≥ 2n − 1 with factors 2, 3, 5 and 7 only, and the forward FFT of the conjugate
    /// chirp filter, divided by m.
    let chirp: [Double]
    let inner: FFTPlan?
    let filterSpectrum: [Double]

    init(n: Int, largest: Int = 8) {
        precondition(n >= 1 && (largest == 4 || largest == 8))
        self.n = n
        self.largest = largest
        if let radices = FFTPlan.radices(n, largest: largest) {
            var w: [Double] = []
            passes = FFTPlan.passes(n, radices, table: &w)
            twiddles = TwiddleTables(w); chirp = []; inner = nil; filterSpectrum = []
            return
        }
        let m = FFTPlan.fastLength(atLeast: 2 * n - 1)
        let plan = FFTPlan.shared(m)
        // j² mod 2n, kept exact by the recurrence (j+1)² = j² + 2j + 1.
        var c = [Double](repeating: 0, count: 2 * n)
        var square = 0
        for j in 0..<n {
            let (cs, sn) = unitRoot(-square, 2 * n)
            c[2 * j] = cs; c[2 * j + 1] = sn
            square = (square + 2 * j + 1) % (2 * n)
        }
        // Filter b_j = conj(c_j) for |j| < n, wrapped around m.
        var b = [Double](repeating: 0, count: 2 * m)
        for j in 0..<n {
            b[2 * j] = c[2 * j]; b[2 * j + 1] = -c[2 * j + 1]
            if j > 0 { b[2 * (m - j)] = c[2 * j]; b[2 * (m - j) + 1] = -c[2 * j + 1] }
        }
        var spectrum = [Double](repeating: 0, count: 2 * m)
        b.withUnsafeBufferPointer { input in
            spectrum.withUnsafeMutableBufferPointer { output in
                plan.transform(input.baseAddress!, output.baseAddress!, inverse: false)
            }
        }
        let scale = 1 / Double(m)
        for k in 0..<(2 * m) { spectrum[k] *= scale }
        passes = []; twiddles = TwiddleTables([]); chirp = c; inner = plan; filterSpectrum = spectrum
    }

    /// The radices of a direct plan for n = 2^a 3^b 5^c 7^d (nil for other n; [] for n = 1): for
    /// 2^a eights (if `largest` is 8) then fours, and one two when needed; then 3s, 5s and 7s.
    static func radices(_ n: Int, largest: Int = 8) -> [Int]? {
        var rest = n, twos = 0
        var odd: [Int] = []
        while rest % 2 == 0 { rest /= 2; twos += 1 }
        for r in [3, 5, 7] { while rest % r == 0 { rest /= r; odd.append(r) } }
        if rest != 1 { return nil }
        var radices: [Int] = []
        if largest == 8 {
            radices = [Int](repeating: 8, count: twos / 3)
            switch twos % 3 {
            case 1 where twos >= 4: radices.removeLast(); radices += [4, 4]   // 8·2 as 4·4
            case 1: radices.append(2)
            case 2: radices.append(4)
            default: break
            }
        } else {
            radices = [Int](repeating: 4, count: twos / 2)
            if twos % 2 == 1 { radices.append(2) }
        }
        return radices + odd
    }

    /// The passes for `radices` (product n), their twiddle tables appended to `table`:
    /// w_len^(p·k) = e^(−2πi pk/len) for p < m, 1 ≤ k < r (the last pass, m = 1, needs none).
    private static func passes(_ n: Int, _ radices: [Int], table w: inout [Double]) -> [FFTPass] {
        var passes: [FFTPass] = []
        var len = n, s = 1
        for r in radices {
            let m = len / r
            passes.append(FFTPass(radix: r, m: m, s: s, table: w.count))
            if m > 1 {
                for p in 0..<m {
                    for k in 1..<r { let (c, sn) = unitRoot(-p * k, len); w.append(c); w.append(sn) }
                }
            }
            len = m; s *= r
        }
        return passes
    }

    /// The smallest length ≥ n with no prime factor above 7 (a direct plan).
    static func fastLength(atLeast n: Int) -> Int {
        var m = max(n, 1)
        while radices(m) == nil { m += 1 }
        return m
    }

    /// Scratch (in Doubles) that `transform` needs.
    var scratchCount: Int { inner.map { 2 * 2 * $0.n + $0.scratchCount } ?? 2 * n }

    /// Transforms n interleaved complex values from `x` into `y` (they may be the same memory).
    func transform(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(scratchCount, 1)) { scratch in
            transform(x, y, inverse: inverse, scratch: scratch.baseAddress!)
        }
    }

    /// `transform` with caller scratch of `scratchCount` Doubles.
    func transform(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool,
                   scratch: UnsafeMutablePointer<Double>) {
        if n == 1 { y[0] = x[0]; y[1] = x[1]; return }
        if let inner { bluestein(x, y, inverse: inverse, inner: inner, scratch: scratch); return }
        stockham(x, y, inverse: inverse, scratch: scratch)
    }

    /// The passes of a direct plan (inner == nil, n > 1) from `x` to `y` through the lane buffers
    /// `a` and `b` (2n values each; `b` unused with two passes or fewer): the first pass reads `x`,
    /// the last writes `y`, so `x` and `y` can be the caller's rows (`RowPair`).
    @inline(__always)
    func transform<In: FFTSource, Out: FFTSink>(_ x: In, _ y: Out, inverse: Bool,
                                                a: UnsafeMutablePointer<In.V>, b: UnsafeMutablePointer<In.V>)
    where In.V == Out.V {
        twiddles.with(In.V.self) { w in
            if inverse {
                runPasses(x, y, w: w, FFTInverse.self, a: a, b: b)
            } else {
                runPasses(x, y, w: w, FFTForward.self, a: a, b: b)
            }
        }
    }

    @inline(__always)
    private func runPasses<In: FFTSource, Out: FFTSink, D: FFTDirection>(
        _ x: In, _ y: Out, w: UnsafePointer<In.V.Twiddle>, _ direction: D.Type,
        a: UnsafeMutablePointer<In.V>, b: UnsafeMutablePointer<In.V>) where In.V == Out.V {
        let count = passes.count
        runPass(passes[0], x, LaneBuffer(a), w: w, direction)
        if count == 1 {
            // Through `a`, so that x and y may be the same rows.
            for i in stride(from: 0, to: 2 * n, by: 2) { y.store(i, a[i], a[i + 1]) }
            return
        }
        var (src, dst) = (a, b)
        for i in 1..<(count - 1) {
            runPass(passes[i], LaneBuffer(src), LaneBuffer(dst), w: w, direction)
            swap(&src, &dst)
        }
        runPass(passes[count - 1], LaneBuffer(src), y, w: w, direction)
    }

    /// Of the lane buffers `a` and `b` given to `transform`, one that can be its sink too: the last
    /// pass does not read it.
    func freeBuffer<V>(_ a: UnsafeMutablePointer<V>, _ b: UnsafeMutablePointer<V>) -> UnsafeMutablePointer<V> {
        passes.count % 2 == 1 && passes.count >= 3 ? a : b
    }

    /// The mixed-radix Stockham passes over lane buffers, natural order in and out. Each pass reads
    /// one buffer and writes the other. `V` is one value per lane (element k of a lane buffer: real
    /// parts at 2k, imaginary parts at 2k + 1). Scratch: 2n values of V.
    func stockham<V: FFTLane>(_ x: UnsafePointer<V>, _ y: UnsafeMutablePointer<V>, inverse: Bool,
                              scratch: UnsafeMutablePointer<V>) {
        let count = passes.count
        // Ping-pong so that the last pass writes y. In place with an odd number of passes, the first
        // pass would overwrite its own input: start from a copy in the scratch buffer instead.
        var src = UnsafeMutablePointer(mutating: x)
        var dst = count % 2 == 1 ? y : scratch
        var other = count % 2 == 1 ? scratch : y
        if count % 2 == 1 && UnsafeRawPointer(x) == UnsafeRawPointer(y) {
            scratch.update(from: x, count: 2 * n)
            src = scratch; other = scratch
        }
        twiddles.with(V.self) { w in
            for pass in passes {
                if inverse {
                    runPass(pass, LaneBuffer(src), LaneBuffer(dst), w: w, FFTInverse.self)
                } else {
                    runPass(pass, LaneBuffer(src), LaneBuffer(dst), w: w, FFTForward.self)
                }
                src = dst
                swap(&dst, &other)
            }
        }
    }

    /// X_k = c_k · Σ_j (x_j c_j)·conj(c_(k−j)): a circular convolution of length m by FFT.
    /// The inverse transform is the conjugate of the forward one of the conjugate input.
    private func bluestein(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, inverse: Bool,
                           inner: FFTPlan, scratch: UnsafeMutablePointer<Double>) {
        let m = inner.n
        let a = scratch, spectrum = scratch + 2 * m, innerScratch = scratch + 4 * m
        let s: Double = inverse ? -1 : 1
        chirp.withUnsafeBufferPointer { c in
            for j in 0..<n {
                let xr = x[2 * j], xi = s * x[2 * j + 1], cr = c[2 * j], ci = c[2 * j + 1]
                a[2 * j] = xr * cr - xi * ci; a[2 * j + 1] = xr * ci + xi * cr
            }
            (a + 2 * n).update(repeating: 0, count: 2 * (m - n))
            inner.transform(a, spectrum, inverse: false, scratch: innerScratch)
            filterSpectrum.withUnsafeBufferPointer { f in
                for k in 0..<m {
                    let ur = spectrum[2 * k], ui = spectrum[2 * k + 1], vr = f[2 * k], vi = f[2 * k + 1]
                    spectrum[2 * k] = ur * vr - ui * vi; spectrum[2 * k + 1] = ur * vi + ui * vr
                }
            }
            inner.transform(spectrum, a, inverse: true, scratch: innerScratch)
            for k in 0..<n {
                let ur = a[2 * k], ui = a[2 * k + 1], cr = c[2 * k], ci = c[2 * k + 1]
                y[2 * k] = ur * cr - ui * ci; y[2 * k + 1] = s * (ur * ci + ui * cr)
            }
        }
    }

    // MARK: cache

    private static let cache = Mutex<[Int: FFTPlan]>([:])   // key: 2n + 1 for radix ≤ 4, 2n for ≤ 8
    /// Plans kept: beyond this many lengths the cache starts over (plans in use stay alive).
    private static let maxCached = 64

    /// The plan for length n with power-of-two radices up to `largest` (4 or 8), built once and shared.
    static func shared(_ n: Int, largest: Int = 8) -> FFTPlan {
        let key = 2 * n + (largest == 4 ? 1 : 0)
        if let plan = cache.withLock({ $0[key] }) { return plan }
        let plan = FFTPlan(n: n, largest: largest)   // built outside the lock: building may ask for other plans
        return cache.withLock { plans in
            if let existing = plans[key] { return existing }
            if plans.count >= maxCached { plans.removeAll() }
            plans[key] = plan
            return plan
        }
    }
}
