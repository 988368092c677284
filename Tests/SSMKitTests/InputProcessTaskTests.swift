import RealModule
import Testing
@testable import SSMKit

/// Sample autocovariance (known mean 0): ĉ(k) = mean over rows and t < L − k of x_t x_(t+k).
func sampleAutocovariance(_ x: [Double], rows: Int, L: Int, lag k: Int) -> Double {
    var sum = 0.0
    for r in 0..<rows { for t in 0..<(L - k) { sum += x[r * L + t] * x[r * L + t + k] } }
    return sum / Double(rows * (L - k))
}

/// The exact standard error of ĉ(k) for a zero-mean Gaussian process with autocovariance ρ (Isserlis):
/// Var ĉ(k) = (1/rows)(1/n²) Σ_(|d|<n) (n − |d|)[ρ(d)² + ρ(d + k)ρ(d − k)], n = L − k.
func autocovarianceStandardError(_ rho: (Int) -> Double, rows: Int, L: Int, lag k: Int) -> Double {
    let n = L - k
    var v = 0.0
    for d in (-(n - 1))..<n { v += Double(n - abs(d)) * (rho(d) * rho(d) + rho(d + k) * rho(d - k)) }
    return (v / Double(n * n) / Double(rows)).squareRoot()
}

/// Input processes (InputProcess.swift): sample autocorrelations of long sequences against ρ(k) within
/// 5 exact standard errors, the circulant embedding, the AR(1) stationary start, seeding, bad arguments.
@Suite struct InputProcessTaskTests {
    /// Checks ĉ(k) against ρ(k) at `lags` within 5 standard errors (z = (ĉ − ρ)/SE).
    func checkAutocorrelation(_ p: InputProcess, rows: Int, L: Int, lags: [Int], seed: UInt64) throws {
        let x = try p.generate(count: rows, L: L, seed: seed)
        for k in lags {
            let c = sampleAutocovariance(x, rows: rows, L: L, lag: k)
            let se = autocovarianceStandardError(p.autocorrelation, rows: rows, L: L, lag: k)
            let z = (c - p.autocorrelation(k)) / se
            #expect(abs(z) < 5, "\(p) lag \(k): ĉ = \(c), ρ = \(p.autocorrelation(k)), SE = \(se)")
        }
    }

    @Test func whiteNoiseIsUncorrelatedWithUnitVariance() throws {
        // 200 × 1000 samples: SE ≈ 0.0032 at lag 0 and 0.0022 at lags ≥ 1.
        try checkAutocorrelation(.white, rows: 200, L: 1000, lags: [0, 1, 2, 5], seed: 1)
    }

    @Test func ar1MatchesPhiToTheLag() throws {
        // φ = 0.9: ρ = 0.9, 0.81, …, 0.59, 0.35, 0.12 at lags 1…5, 10, 20 (200 × 1000 samples, |z| ≤ 1.7).
        // A generator with φ = 0.88 fails (z = −5.5 at lag 5, −7.5 at lag 10, measured); a missing
        // √(1 − φ²) (variance 5.3) fails by far.
        try checkAutocorrelation(.ar1(phi: 0.9), rows: 200, L: 1000, lags: [0, 1, 2, 3, 4, 5, 10, 20], seed: 2)
        try checkAutocorrelation(.ar1(phi: -0.5), rows: 100, L: 500, lags: [0, 1, 2, 3], seed: 3)
    }

    @Test func ar1StartsStationary() throws {
        // Variance across 4000 rows at t = 0 and t = 7: both 1 (SE ≈ 0.022); x_0 = 0 or an
        // unscaled first step (variance 1 − φ² = 0.19) would fail.
        let rows = 4000, L = 8
        let x = try InputProcess.ar1(phi: 0.9).generate(count: rows, L: L, seed: 4)
        for t in [0, 7] {
            let v = (0..<rows).reduce(0.0) { $0 + x[$1 * L + t] * x[$1 * L + t] } / Double(rows)
            #expect(abs(v - 1) < 5 * (2.0 / Double(rows)).squareRoot(), "Var x_\(t) = \(v)")
        }
    }

    @Test func powerLawMatchesItsAutocorrelation() throws {
        // α = 0.5: ρ = 1, 0.71, 0.45, 0.24, 0.12 at lags 0, 1, 4, 16, 64 (200 rows of 1024, |z| ≤ 1.2).
        // Sampling α = 0.6 instead fails (z = −5.8 at lag 4, measured); fGn with H = 0.75
        // (ρ(16) ≈ 0.094 against 0.24) fails by far.
        try checkAutocorrelation(.powerLaw(alpha: 0.5), rows: 200, L: 1024, lags: [0, 1, 4, 16, 64], seed: 5)
        try checkAutocorrelation(.powerLaw(alpha: 2), rows: 100, L: 300, lags: [0, 1, 3, 10], seed: 6)
    }

    @Test func circulantEmbeddingReproducesRhoWithNonnegativeEigenvalues() throws {
        // Odd L (not a power of two) to exercise the padding to m = 2n.
        for (p, L) in [(InputProcess.powerLaw(alpha: 0.5), 1000), (.powerLaw(alpha: 0.1), 37), (.powerLaw(alpha: 3), 2)] {
            let half = try circulantEigenvalues(p.autocorrelation, L: L)
            let m = 2 * (half.count - 1)
            #expect(m >= 2 * (L - 1))
            #expect(half.allSatisfy { $0 >= -1e-12 })
            // The inverse transform of the spectrum is the embedded first row: ρ(0…L−1) at its start.
            let c = try irfft(half.map { .init($0, 0) }, n: m)
            for k in 0..<L { #expect(abs(c[k] - p.autocorrelation(k)) <= 1e-13, "\(p) lag \(k)") }
        }
        // ρ(k) = cos(0.3k) is a valid autocorrelation but its embedding has negative eigenvalues:
        // the sampler refuses it instead of sampling a wrong covariance.
        var rng = SSMRandom(seed: 0), x = [Double](repeating: 0, count: 50)
        do {
            try circulantEmbeddingSample({ Double.cos(0.3 * Double($0)) }, count: 1, L: 50, rng: &rng, into: &x)
            Issue.record("no error")
        } catch let e as SSMError { #expect(e.kind == .unsupported) }
    }

    @Test func constantHoldsOneStandardNormalPerRow() throws {
        let rows = 4000, L = 16
        let x = try InputProcess.constant.generate(count: rows, L: L, seed: 7)
        for r in 0..<rows { for t in 1..<L { #expect(x[r * L + t] == x[r * L]) } }
        let v = (0..<rows).reduce(0.0) { $0 + x[$1 * L] * x[$1 * L] } / Double(rows)
        #expect(abs(v - 1) < 5 * (2.0 / Double(rows)).squareRoot())
        #expect(InputProcess.constant.autocorrelation(100) == 1)
    }

    @Test func sinesHaveUnitVarianceAndCosineAutocorrelation() throws {
        let p = InputProcess.sines(omegas: [0.2, 1.1], amplitudes: [2, 1])
        // Random phases average over rows; time averages over 2000 steps make the estimate tight
        // (deviation ≲ 1/(ω L) per row, 400 rows): tolerance 0.02. ρ(5) = (4 cos 1 + cos 5.5)/5 ≈ 0.57.
        let rows = 400, L = 2000
        let x = try p.generate(count: rows, L: L, seed: 8)
        for k in [0, 1, 5, 13] {
            let c = sampleAutocovariance(x, rows: rows, L: L, lag: k)
            #expect(abs(c - p.autocorrelation(k)) < 0.02, "lag \(k): \(c) vs \(p.autocorrelation(k))")
        }
        #expect(abs(p.autocorrelation(5) - (4 * Double.cos(1) + Double.cos(5.5)) / 5) <= 1e-15)
    }

    @Test func sameSeedSameArraysDifferentSeedsDiffer() throws {
        let processes: [InputProcess] = [.white, .ar1(phi: 0.7), .powerLaw(alpha: 0.5), .constant,
                                         .sines(omegas: [0.5], amplitudes: [1])]
        for p in processes {
            let a = try p.generate(count: 3, L: 65, seed: 42)
            let b = try p.generate(count: 3, L: 65, seed: 42)
            let c = try p.generate(count: 3, L: 65, seed: 43)
            #expect(a == b, "\(p)")
            #expect(a != c, "\(p)")
            #expect(a.count == 3 * 65)
            // Rows are distinct draws (odd count: the power law's last pair is half used).
            #expect(a[0..<65] != a[65..<130], "\(p)")
        }
    }

    @Test func rejectsBadArguments() throws {
        #expect(throws: SSMError.self) { try InputProcess.white.generate(count: 0, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.white.generate(count: 1, L: 0, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.white.generate(count: Int.max, L: 2, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.ar1(phi: 1).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.ar1(phi: .nan).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.powerLaw(alpha: 0).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.powerLaw(alpha: -1).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.sines(omegas: [], amplitudes: []).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.sines(omegas: [1], amplitudes: [1, 2]).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.sines(omegas: [1], amplitudes: [0]).generate(count: 1, L: 10, seed: 0) }
        #expect(throws: SSMError.self) { try InputProcess.sines(omegas: [.infinity], amplitudes: [1]).generate(count: 1, L: 10, seed: 0) }
        do {
            _ = try InputProcess.ar1(phi: 1.5).generate(count: 1, L: 10, seed: 0)
            Issue.record("no error")
        } catch let e as SSMError { #expect(e.kind == .value) }
    }
}
