import ComplexModule
import RealModule

// The sample autocorrelation of a batch of sequences (MATH.md §5, "Estimators"): the input of the
// autocorrelation-aware timescale rule Δ = κ/√(L·λ_max(R)) (§4) when R must be estimated from data.
// Sums over pairs come from one FFT per row: the inverse transform of |Y|² is the autocorrelation
// sum of y, and summing |Y|² over the rows first leaves a single inverse transform for the batch.

/// How `sampleAutocorrelation` turns the pair sums into r(k).
public struct AutocorrelationOptions: Sendable, Equatable {
    /// true: divide the lag-k sum by n_0, the number of present values (the classical biased
    /// estimator; with nothing missing its Toeplitz matrix is positive semidefinite). false: divide by
    /// n_k, the number of present pairs (t, t + k) (unbiased for a known mean).
    public var biased: Bool
    /// Subtract the mean of all present values of the batch first (one mean for all rows: the rows
    /// are draws of one stationary process, so a process that is constant per row keeps ρ = 1).
    public var centered: Bool
    /// Divide by r(0): the autocorrelation ρ(k) with ρ(0) = 1; false gives the autocovariance.
    public var normalized: Bool

    public init(biased: Bool = true, centered: Bool = true, normalized: Bool = true) {
        self.biased = biased
        self.centered = centered
        self.normalized = normalized
    }
}

/// An estimated autocorrelation and the number of pairs behind each lag.
public struct SampleAutocorrelation: Sendable, Equatable {
    /// r(0), …, r(K − 1).
    public var values: [Double]
    /// n_k: the pairs (t, t + k) of a row with both values present, summed over the rows
    /// (n_0 is the number of present values).
    public var pairs: [Int]
}

/// Rows per batched transform (the FFT runs two rows at a time in SIMD lanes).
private let blockRows = 16

/// The transform length n ≥ L + K − 1: twice the smallest length ≥ (L + K − 1)/2 with no prime factor
/// above 7 (even n runs as a complex FFT of length n/2). A pair (t, t + k) with k < K then never
/// wraps around the padded row, so the circular sums are the linear ones.
private func paddedLength(L: Int, lags: Int) -> Int { 2 * FFTPlan.fastLength(atLeast: (L + lags) / 2) }

/// How the rows are split: `parts` contiguous ranges of whole blocks, one partial sum each.
private func partCount(count: Int) -> Int {
    min(threadCount, (count + blockRows - 1) / blockRows)
}

/// An upper bound on the bytes of work space `sampleAutocorrelation` uses beyond its input and
/// output (Int.max if it overflows), for the C layer's allocation limit.
public func sampleAutocorrelationWorkspace(count: Int, L: Int, lags: Int) -> Int {
    guard count >= 1, L >= 1, lags >= 1, L <= Int.max / 4 else { return Int.max }
    let n = paddedLength(L: L, lags: min(lags, L)) + 2
    // Per part: padded rows and spectra of a block, two accumulated power spectra; then the totals,
    // two inverse transforms and the FFT scratch.
    let perPart = 3 * blockRows + 2
    let (doubles, o1) = n.multipliedReportingOverflow(by: perPart * partCount(count: count) + 8)
    let (bytes, o2) = doubles.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
    let (total, o3) = bytes.addingReportingOverflow(count)   // one flag per row
    return o1 || o2 || o3 ? Int.max : total
}

/// The sample autocorrelation r(0), …, r(K − 1) of `count` sequences of length L (x row-major,
/// count × L), K = `lags` ≤ L, in O(count·L log L).
///
/// Missing values: a NaN entry is missing. With y_t = x_t − μ (μ the mean of the present values if
/// `centered`, else 0) and m_t = 1 where x_t is present, 0 where it is missing, the lag-k sum
/// S(k) = Σ_rows Σ_t m_t m_(t+k) y_t y_(t+k) runs over the pairs with both values present, and
/// n_k = Σ_rows Σ_t m_t m_(t+k) counts them (from the FFT of the 0/1 indicator of the rows that have
/// a missing value; complete rows contribute L − k exactly). Unbiased: r(k) = S(k)/n_k; biased:
/// r(k) = S(k)/n_0, n_0 the number of present values. With nothing missing these are the classical
/// estimators (n_0 = count·L, n_k = count·(L − k)).
///
/// The data are scaled by a power of two (exact) before the transforms, so huge or tiny values do
/// not overflow or underflow in the products. Absolute accuracy about 1e-15·r(0)·log₂ L.
///
/// Errors: `.size` (count or L < 1, K outside 1…L, a buffer of another size); `.value` (an infinite
/// entry, named by row and step; every entry missing; a lag k < K with no present pair, named;
/// `normalized` with r(0) = 0: all present values equal to the mean, or all zero when not centered);
/// `.unstable` (an autocovariance that overflows).
public func sampleAutocorrelation(_ x: UnsafeBufferPointer<Double>, count: Int, L: Int, lags K: Int,
                                  options: AutocorrelationOptions = .init()) throws -> SampleAutocorrelation {
    try require(count >= 1 && L >= 1, .size, "count and L must be ≥ 1, got count = \(count), L = \(L)")
    let (total, overflow) = count.multipliedReportingOverflow(by: L)
    try require(!overflow && x.count == total, .size, "x must hold count × L = \(count) × \(L) values, got \(x.count)")
    try require(K >= 1 && K <= L, .size, "lags = \(K) must be in 1…L = \(L)")
    let summary = try PresentValues(x, count: count, L: L)
    try require(summary.present > 0, .value, "every entry of x is NaN (missing): there is nothing to estimate from")

    let mean = options.centered ? summary.mean : 0
    // Half the largest |x − mean| (halves: the difference itself may overflow near ±1.8e308), and a
    // power of two near 1/(2·that): exact, and keeps y·y far from overflow and underflow.
    let halfSpread = options.centered ? max(0.5 * summary.largest - 0.5 * mean, 0.5 * mean - 0.5 * summary.smallest)
                                      : 0.5 * summary.largestMagnitude
    let scale = halfSpread > 0 ? Double(sign: .plus, exponent: min(-halfSpread.exponent - 1, 1023), significand: 1) : 1
    let n = paddedLength(L: L, lags: K)
    let sums = try lagSums(x, count: count, L: L, n: n, lags: K, mean: mean, scale: scale, missing: summary.rowHasMissing)

    var pairs = [Int](repeating: 0, count: K)
    for k in 0..<K {
        pairs[k] = summary.completeRows * (L - k) + Int(sums.indicator[k].rounded())
        try require(pairs[k] > 0, .value,
                    "no pair (t, t + \(k)) of x has both values present: lag \(k) cannot be estimated (ask for fewer lags than \(K))")
    }
    var values = [Double](repeating: 0, count: K)
    for k in 0..<K { values[k] = sums.data[k] / Double(options.biased ? summary.present : pairs[k]) }
    if options.normalized {
        guard values[0] > 0 else {
            throw SSMError(.value, options.centered
                ? "every present value of x equals the mean \(mean): r(0) = 0, so ρ(k) = r(k)/r(0) is undefined"
                : "every present value of x is zero: r(0) = 0, so ρ(k) = r(k)/r(0) is undefined")
        }
        let r0 = values[0]
        for k in 0..<K { values[k] /= r0 }
        values[0] = 1
    } else {
        // Undo the scaling: r(k) of x is r(k) of y·scale divided by scale² (two exact steps).
        for k in 0..<K { values[k] = values[k] / scale / scale }
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw SSMError(.unstable, "the autocovariance at lag \(k) overflows (|x| up to \(summary.largestMagnitude))")
        }
    }
    return SampleAutocorrelation(values: values, pairs: pairs)
}

/// `sampleAutocorrelation` of an array (count × L, row-major).
public func sampleAutocorrelation(_ x: [Double], count: Int, L: Int, lags: Int,
                                  options: AutocorrelationOptions = .init()) throws -> SampleAutocorrelation {
    try x.withUnsafeBufferPointer { try sampleAutocorrelation($0, count: count, L: L, lags: lags, options: options) }
}

/// Which values are present, their count, mean and range, and which rows have a missing value.
/// Throws `.value` at the first infinite entry.
private struct PresentValues {
    var present = 0
    var mean = 0.0
    var smallest = Double.infinity, largest = -Double.infinity
    var largestMagnitude: Double { max(abs(smallest), abs(largest)) }
    var rowHasMissing: [Bool]
    var completeRows = 0

    init(_ x: UnsafeBufferPointer<Double>, count: Int, L: Int) throws {
        rowHasMissing = [Bool](repeating: false, count: count)
        for r in 0..<count {
            let row = x.baseAddress! + r * L
            var missing = false
            for t in 0..<L {
                let v = row[t]
                if v.isNaN { missing = true; continue }
                guard v.isFinite else {
                    throw SSMError(.value, "x[\(r), \(t)] = \(v) is infinite (NaN marks a missing value; ±Inf is not allowed)")
                }
                present += 1
                smallest = min(smallest, v); largest = max(largest, v)
            }
            rowHasMissing[r] = missing
            if !missing { completeRows += 1 }
        }
        guard present > 0 else { return }
        // Equal values give their exact mean (so their centered values are exactly zero). A sum that
        // overflows (values near ±1.8e308) is redone on the values times 2⁻⁶⁴ (exact).
        if smallest == largest { mean = smallest; return }
        mean = PresentValues.sum(x, factor: 1) / Double(present)
        if !mean.isFinite { mean = PresentValues.sum(x, factor: 0x1p-64) / Double(present) / 0x1p-64 }
    }

    /// Σ factor·x over the present values by Neumaier's compensated sum (accurate for long rows).
    private static func sum(_ x: UnsafeBufferPointer<Double>, factor: Double) -> Double {
        var sum = 0.0, compensation = 0.0
        for value in x where !value.isNaN {
            let v = value * factor, s = sum + v
            compensation += abs(sum) >= abs(v) ? (sum - s) + v : (v - s) + sum
            sum = s
        }
        return sum + compensation
    }
}

/// S(k) of the scaled, centered data and the pair counts of the rows with missing values (as reals,
/// exact integers up to rounding), k < lags.
private func lagSums(_ x: UnsafeBufferPointer<Double>, count: Int, L: Int, n: Int, lags: Int, mean: Double, scale: Double,
                     missing: [Bool]) throws -> (data: [Double], indicator: [Double]) {
    let half = n / 2 + 1
    let shift = mean * scale   // (x − mean)·scale as x·scale − mean·scale: both products are exact
    let parts = partCount(count: count)
    let blocks = (count + blockRows - 1) / blockRows
    let anyMissing = missing.contains(true)
    // Per part: Σ|Y|² over its rows, and Σ|M|² over its rows with missing values.
    var power = [Double](repeating: 0, count: parts * half)
    var indicatorPower = [Double](repeating: 0, count: anyMissing ? parts * half : 0)
    let failure = SSMErrorSlot()
    power.withUnsafeMutableBufferPointer { power in
        indicatorPower.withUnsafeMutableBufferPointer { indicatorPower in
            parallelFor(parts) { range in
                let padded = UnsafeMutablePointer<Double>.allocate(capacity: blockRows * n)
                let spectrum = UnsafeMutablePointer<Complex<Double>>.allocate(capacity: blockRows * half)
                defer { padded.deallocate(); spectrum.deallocate() }
                padded.initialize(repeating: 0, count: blockRows * n)   // the padding stays zero
                /// Transforms the first `rows` padded rows and adds their |spectrum|² to `sum`.
                func accumulate(_ rows: Int, into sum: UnsafeMutablePointer<Double>) throws {
                    try rfft(n: n, count: rows, UnsafeBufferPointer(start: padded, count: rows * n),
                             into: UnsafeMutableBufferPointer(start: spectrum, count: rows * half))
                    for r in 0..<rows {
                        let s = spectrum + r * half
                        for j in 0..<half { sum[j] += s[j].lengthSquared }
                    }
                }
                do {
                    for p in range {
                        let own = power.baseAddress! + p * half
                        for b in (p * blocks / parts)..<((p + 1) * blocks / parts) {
                            let first = b * blockRows, rows = min(blockRows, count - first)
                            for i in 0..<rows {
                                let source = x.baseAddress! + (first + i) * L, target = padded + i * n
                                for t in 0..<L { let v = source[t]; target[t] = v.isNaN ? 0 : v * scale - shift }
                            }
                            try accumulate(rows, into: own)
                            guard anyMissing else { continue }
                            var withMissing = 0
                            for i in 0..<rows where missing[first + i] {
                                let source = x.baseAddress! + (first + i) * L, target = padded + withMissing * n
                                for t in 0..<L { target[t] = source[t].isNaN ? 0 : 1 }
                                withMissing += 1
                            }
                            if withMissing > 0 { try accumulate(withMissing, into: indicatorPower.baseAddress! + p * half) }
                        }
                    }
                } catch let error as SSMError {
                    failure.record(error)
                } catch {}
            }
        }
    }
    if let error = failure.error { throw error }
    /// The first `lags` values of the inverse transform of the parts' summed spectra (in part order).
    func lagDomain(_ partial: [Double]) throws -> [Double] {
        var total = [Complex<Double>](repeating: .zero, count: half)
        for p in 0..<parts { for j in 0..<half { total[j] = Complex(total[j].real + partial[p * half + j], 0) } }
        return Array(try irfft(total, n: n).prefix(lags))
    }
    let data = try lagDomain(power)
    let indicator = anyMissing ? try lagDomain(indicatorPower) : [Double](repeating: 0, count: lags)
    return (data, indicator)
}
