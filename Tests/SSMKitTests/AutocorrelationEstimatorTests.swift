import RealModule
import Testing
@testable import SSMKit

/// The estimator by its definition, in O(count·L·K): one mean over the present values, sums over
/// the pairs with both values present (NaN: missing), and the pair counts.
private func directAutocorrelation(_ x: [Double], count: Int, L: Int, lags: Int,
                                   _ o: AutocorrelationOptions) -> (values: [Double], pairs: [Int]) {
    let present = x.filter { !$0.isNaN }
    let mean = o.centered ? present.reduce(0, +) / Double(present.count) : 0
    var sums = [Double](repeating: 0, count: lags), pairs = [Int](repeating: 0, count: lags)
    for r in 0..<count {
        for k in 0..<lags {
            for t in 0..<(L - k) {
                let a = x[r * L + t], b = x[r * L + t + k]
                if a.isNaN || b.isNaN { continue }
                sums[k] += (a - mean) * (b - mean)
                pairs[k] += 1
            }
        }
    }
    var values = (0..<lags).map { sums[$0] / Double(o.biased ? pairs[0] : pairs[$0]) }
    if o.normalized { let r0 = values[0]; values = values.map { $0 / r0 } }
    return (values, pairs)
}

/// max|a − b| / max|b|.
private func maxRelative(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
}

/// Rows of a moving average of seeded normals plus a mean 2.5.
private func correlatedRows(count: Int, L: Int, seed: UInt64) -> [Double] {
    var rng = SSMRandom(seed: seed)
    let e = (0..<(count * (L + 2))).map { _ in rng.normal() }
    var x = [Double](repeating: 0, count: count * L)
    for r in 0..<count { for t in 0..<L { let b = r * (L + 2) + t; x[r * L + t] = 2.5 + e[b + 2] + 0.7 * e[b + 1] - 0.4 * e[b] } }
    return x
}

private let allOptions = [true, false].flatMap { b in [true, false].flatMap { c in [true, false].map { n in
    AutocorrelationOptions(biased: b, centered: c, normalized: n) } } }

/// Autocorrelation estimators (Autocorrelation/): the sample ACF against direct sums (with missing
/// values), Toeplitz products against the dense matrix, λ_max by Lanczos against LAPACK, the
/// long-memory fit on exact power laws, and the errors.
@Suite struct AutocorrelationEstimatorTests {
    @Test func sampleAutocorrelationMatchesDirectSums() throws {
        // 1e-13 of r(0): FFT correlations are accurate to about ε·r(0)·log2 L (measured ≤ 1e-14).
        let (count, L) = (4, 131)
        let x = correlatedRows(count: count, L: L, seed: 1)
        for o in allOptions {
            for lags in [1, 20, L] {
                let got = try sampleAutocorrelation(x, count: count, L: L, lags: lags, options: o)
                let want = directAutocorrelation(x, count: count, L: L, lags: lags, o)
                #expect(maxRelative(got.values, want.values) <= 1e-13, "\(o) lags \(lags)")
                #expect(got.pairs == want.pairs && got.pairs == (0..<lags).map { count * (L - $0) })
            }
        }
    }

    @Test func missingValuesCountOnlyPresentPairs() throws {
        let (count, L) = (5, 97)
        var x = correlatedRows(count: count, L: L, seed: 2)
        var rng = SSMRandom(seed: 3)
        for i in x.indices where rng.uniform() < 0.25 { x[i] = .nan }
        for t in 0..<L { x[3 * L + t] = .nan }           // a row with nothing present
        for t in 40..<70 { x[L + t] = .nan }              // a long gap
        for o in allOptions {
            let got = try sampleAutocorrelation(x, count: count, L: L, lags: 60, options: o)
            let want = directAutocorrelation(x, count: count, L: L, lags: 60, o)
            #expect(got.pairs == want.pairs, "pair counts are exact integers")
            #expect(maxRelative(got.values, want.values) <= 1e-13, "\(o)")
        }
        // Closed form: x = (1, NaN, 3, 5), not centered, unbiased: n = (3, 1, 1, 1),
        // r = ((1 + 9 + 25)/3, 3·5, 1·3, 1·5); biased divides all by n_0 = 3.
        let small = [1, .nan, 3, 5]
        let unbiased = try sampleAutocorrelation(small, count: 1, L: 4, lags: 4,
                                                 options: .init(biased: false, centered: false, normalized: false))
        #expect(unbiased.pairs == [3, 1, 1, 1])
        #expect(maxRelative(unbiased.values, [35.0 / 3, 15, 3, 5]) <= 1e-15)
        let biased = try sampleAutocorrelation(small, count: 1, L: 4, lags: 4, options: .init(centered: false, normalized: false))
        #expect(maxRelative(biased.values, [35.0 / 3, 5, 1, 5.0 / 3]) <= 1e-15)
    }

    @Test func alternatingSequenceClosedForm() throws {
        // x = (1, −1, 1, −1, 1, −1), mean 0: S(k) = (6 − k)(−1)^k, so biased ρ(k) = (−1)^k (6 − k)/6
        // and unbiased ρ(k) = (−1)^k.
        let x: [Double] = [1, -1, 1, -1, 1, -1]
        let sign: [Double] = [1, -1, 1, -1, 1, -1]
        let biased = try sampleAutocorrelation(x, count: 1, L: 6, lags: 6).values
        let expected: [Double] = (0..<6).map { k -> Double in sign[k] * Double(6 - k) / 6 }
        #expect(maxRelative(biased, expected) <= 1e-15)
        let unbiased = try sampleAutocorrelation(x, count: 1, L: 6, lags: 6, options: .init(biased: false)).values
        #expect(maxRelative(unbiased, sign) <= 1e-15)
    }

    @Test func hugeAndTinyValuesDoNotOverflow() throws {
        // Scaling by a power of two is exact: x·2^600 has the autocovariance of x times 2^1200
        // (which overflows: .unstable) and the same ρ; x·2^−600 the same ρ too (no underflow).
        let x = correlatedRows(count: 2, L: 50, seed: 4)
        let rho = try sampleAutocorrelation(x, count: 2, L: 50, lags: 50).values
        for s in [0x1p600, 0x1p-600] {
            let scaled = try sampleAutocorrelation(x.map { $0 * s }, count: 2, L: 50, lags: 50).values
            #expect(maxRelative(scaled, rho) <= 1e-15)
        }
        let cov = try sampleAutocorrelation(x.map { $0 * 0x1p-300 }, count: 2, L: 50, lags: 50, options: .init(normalized: false)).values
        let cov0 = try sampleAutocorrelation(x, count: 2, L: 50, lags: 50, options: .init(normalized: false)).values
        #expect(maxRelative(cov.map { $0 * 0x1p600 }, cov0) <= 1e-15)
        #expect(errorKind { _ = try sampleAutocorrelation(x.map { $0 * 0x1p600 }, count: 2, L: 50, lags: 2,
                                                          options: .init(normalized: false)) } == .unstable)
        // Near the largest double, x − mean itself would overflow (3e308): ρ is still that of x·2^−600.
        let extreme: [Double] = [1.5e308, -1.5e308, 1.5e308, -1.2e308, 1.0e308]
        let rhoExtreme = try sampleAutocorrelation(extreme, count: 1, L: 5, lags: 5).values
        let rhoScaled = try sampleAutocorrelation(extreme.map { $0 * 0x1p-600 }, count: 1, L: 5, lags: 5).values
        #expect(rhoExtreme.allSatisfy(\.isFinite) && maxRelative(rhoExtreme, rhoScaled) <= 1e-15)
        // A sum of the values that overflows (mean 1.45e308) still gives the mean.
        let high: [Double] = [1.5e308, 1.4e308, 1.5e308, 1.4e308]
        let rhoHigh = try sampleAutocorrelation(high, count: 1, L: 4, lags: 4).values
        #expect(maxRelative(rhoHigh, [1, -0.75, 0.5, -0.25]) <= 1e-15)
    }

    @Test func sampleAutocorrelationErrors() {
        let nan = Double.nan
        #expect(errorKind { _ = try sampleAutocorrelation([nan, nan, nan], count: 1, L: 3, lags: 2) } == .value)
        #expect(errorKind { _ = try sampleAutocorrelation([1, .infinity, 2], count: 1, L: 3, lags: 2) } == .value)
        #expect(errorKind { _ = try sampleAutocorrelation([0, 0, 0], count: 1, L: 3, lags: 2, options: .init(centered: false)) } == .value)
        #expect(errorKind { _ = try sampleAutocorrelation([0.1, 0.1, 0.1], count: 1, L: 3, lags: 2) } == .value)
        #expect(errorKind { _ = try sampleAutocorrelation([1, 2, 3], count: 1, L: 3, lags: 4) } == .size)
        #expect(errorKind { _ = try sampleAutocorrelation([1, 2, 3], count: 1, L: 3, lags: 0) } == .size)
        #expect(errorKind { _ = try sampleAutocorrelation([1, 2, 3], count: 2, L: 3, lags: 1) } == .size)
        // (1, 2, NaN, NaN, 3, 4): lag 1 has pairs, lag 2 none.
        #expect(errorKind { _ = try sampleAutocorrelation([1, 2, nan, nan, 3, 4], count: 1, L: 6, lags: 2) } == nil)
        do {
            _ = try sampleAutocorrelation([1, 2, nan, nan, 3, 4], count: 1, L: 6, lags: 3)
            Issue.record("lag 2 has no pair")
        } catch let e as SSMError {
            #expect(e.kind == .value && e.message.contains("lag 2"), "\(e.message)")
        } catch { Issue.record("\(error)") }
        // Zero data is a valid (zero) autocovariance.
        #expect((try? sampleAutocorrelation([0, 0, 0], count: 1, L: 3, lags: 3, options: .init(normalized: false)).values) == [0, 0, 0])
    }

    @Test func toeplitzProductsMatchTheDenseMatrix() throws {
        var rng = SSMRandom(seed: 5)
        for L in [1, 2, 3, 16, 17, 250] {
            let r = (0..<L).map { _ in rng.normal() }
            let R = try toeplitzMatrix(r)
            for i in 0..<L { for j in 0..<L { #expect(R[i, j] == r[abs(i - j)]) } }
            let v = (0..<L).map { _ in rng.normal() }
            let dense = (0..<L).map { i in (0..<L).reduce(0.0) { $0 + R[i, $1] * v[$1] } }
            let fast = try ToeplitzOperator(r).apply(v)
            // About ε·log2(m) of the largest entry (measured ≤ 1e-15).
            #expect(maxRelative(fast, dense) <= 2e-14, "L = \(L)")
        }
        // Repeated products reuse the cached spectrum: a batch equals one-at-a-time products.
        let r = (0..<40).map { _ in rng.normal() }, op = try ToeplitzOperator(r)
        let v = (0..<(3 * 40)).map { _ in rng.normal() }
        var batch = [Double](repeating: 0, count: v.count)
        try v.withUnsafeBufferPointer { vp in try batch.withUnsafeMutableBufferPointer { try op.apply(count: 3, vp, into: $0) } }
        for row in 0..<3 { #expect(Array(batch[(row * 40)..<((row + 1) * 40)]) == (try op.apply(Array(v[(row * 40)..<((row + 1) * 40)])))) }
        #expect(op.m >= 2 * 40 && op.m % 2 == 0)
        #expect(errorKind { _ = try ToeplitzOperator([]) } == .size)
        #expect(errorKind { _ = try ToeplitzOperator([1, .nan]) } == .value)
        #expect(errorKind { _ = try op.apply([1, 2]) } == .size)
    }

    @Test func lanczosMatchesTheDenseEigensolver() throws {
        // The residual bound ≤ 1e-12·θ puts an eigenvalue within 1e-12·θ (measured ≤ 4e-15 relative).
        for L in [1, 2, 64, 301] {
            for p in [InputProcess.white, .ar1(phi: 0.9), .ar1(phi: -0.6), .powerLaw(alpha: 0.5), .constant] {
                let r = p.autocorrelation(lags: L)
                let dense = try toeplitzLambdaMax(r, method: .dense)
                let lanczos = try toeplitzLambdaMax(r)
                #expect(lanczos.converged && lanczos.residual <= 1e-12 * lanczos.value)
                #expect(abs(lanczos.value - dense.value) <= 1e-12 * dense.value, "\(p) L = \(L): \(lanczos) vs \(dense.value)")
                #expect(dense.iterations == 0 && dense.converged)
            }
        }
        // White noise: R = I, one step; constant: R = 11ᵀ, λ_max = L in two steps at most.
        let white = try toeplitzLambdaMax(InputProcess.white.autocorrelation(lags: 1000))
        #expect(white.iterations == 1 && abs(white.value - 1) <= 1e-15)
        let constant = try toeplitzLambdaMax(InputProcess.constant.autocorrelation(lags: 1000))
        #expect(constant.iterations <= 2 && abs(constant.value - 1000) <= 1e-12)
        // An indefinite R (not an autocorrelation) still gives its largest eigenvalue: [[0, 1], [1, 0]].
        #expect(abs(try toeplitzLambdaMax([0, 1]).value - 1) <= 1e-15)
    }

    @Test func lanczosReportsNonConvergence() throws {
        let r = InputProcess.ar1(phi: 0.9).autocorrelation(lags: 500)
        let exact = try toeplitzLambdaMax(r, method: .dense).value
        let partial = try toeplitzLambdaMax(r, maxIterations: 4)
        #expect(!partial.converged && partial.iterations == 4 && partial.residual > 1e-12 * partial.value)
        #expect(partial.value <= exact * (1 + 1e-15) && partial.value > 0.5 * exact)   // a Ritz value: a lower bound
        // Deterministic: the same seed gives the same bits; another seed the same value to the tolerance.
        #expect(try toeplitzLambdaMax(r) == toeplitzLambdaMax(r))
        #expect(abs(try toeplitzLambdaMax(r, seed: 9).value - exact) <= 1e-12 * exact)
        #expect(errorKind { _ = try toeplitzLambdaMax(r, tolerance: 0) } == .value)
        #expect(errorKind { _ = try toeplitzLambdaMax(r, tolerance: 1) } == .value)
        #expect(errorKind { _ = try toeplitzLambdaMax(r, maxIterations: 0) } == .value)
        #expect(errorKind { _ = try toeplitzLambdaMax([]) } == .size)
        #expect(errorKind { _ = try toeplitzLambdaMax([1, .infinity]) } == .value)
        #expect(errorKind { _ = try toeplitzLambdaMax([Double](repeating: 0, count: denseEigenvalueLimit + 1), method: .dense) } == .size)
    }

    @Test func longMemoryFitRecoversExactPowerLaws() throws {
        for (alpha, c) in [(0.5, 1.0), (0.2, 4.0), (2.5, 0.01)] {
            let acf = (0..<2000).map { $0 == 0 ? 1 : c * Double.pow(Double($0), -alpha) }
            let fit = try longMemoryFit(acf, kmin: 1, kmax: 1999)
            #expect(abs(fit.alpha - alpha) <= 1e-10 && abs(fit.c - c) <= 1e-10 * c && fit.lags == 1999)
            #expect(abs(fit.rSquared - 1) <= 1e-12)
        }
        // Non-positive values are skipped; an exponential decay bends in log–log (R² < 1).
        var acf = (0..<50).map { Double.pow(Double(max($0, 1)), -0.7) }
        acf[10] = -0.2; acf[11] = 0
        let fit = try longMemoryFit(acf, kmin: 5, kmax: 20)
        #expect(fit.lags == 14 && abs(fit.alpha - 0.7) <= 1e-12)
        let exponential = try longMemoryFit((0..<50).map { Double.exp(-0.2 * Double($0)) }, kmin: 1, kmax: 49)
        #expect(exponential.rSquared < 0.9)
        // Constant r: α = 0 and an exact fit.
        let flat = try longMemoryFit([1, 0.5, 0.5, 0.5], kmin: 1, kmax: 3)
        #expect(abs(flat.alpha) <= 1e-15 && flat.rSquared == 1 && abs(flat.c - 0.5) <= 1e-15)
        #expect(errorKind { _ = try longMemoryFit([1, 0.5, -0.1, 0.2], kmin: 1, kmax: 3) } == .value)
        #expect(errorKind { _ = try longMemoryFit([1, 0.5, 0.2, 0.1], kmin: 0, kmax: 3) } == .value)
        #expect(errorKind { _ = try longMemoryFit([1, 0.5, 0.2, 0.1], kmin: 1, kmax: 4) } == .value)
        #expect(errorKind { _ = try longMemoryFit([1, 0.5, 0.2, 0.1], kmin: 3, kmax: 2) } == .value)
        #expect(errorKind { _ = try longMemoryFit([1, 0.5, .nan, 0.1], kmin: 1, kmax: 3) } == .value)
        // r(k) = e^800·k^(−300) is finite at k = 10…12, but c = e^800 is not.
        let steep = (0..<13).map { $0 < 2 ? 1 : Double.exp(800 - 300 * Double.log(Double($0))) }
        #expect(errorKind { _ = try longMemoryFit(steep, kmin: 10, kmax: 12) } == .unstable)
    }
}
