import ComplexModule
import Dispatch
import Synchronization
import RealModule
import Testing
@testable import SSMKit
import TestSupport

/// The FFT (FFTPlan.swift, FFT.swift) against the DFT's definition, its own inverse, in place,
/// and under concurrent use. numpy.fft is the oracle in python/tests/test_fft.py.
@Suite struct FFTTests {
    private func randomComplex(_ n: Int, seed: UInt64) -> [Complex<Double>] {
        var g = SplitMix64(seed: seed)
        return (0..<n).map { _ in Complex(g.normal(), g.normal()) }
    }

    /// Σ_j x_j e^(∓2πi jk/n) by definition, with exact roots of unity.
    private func dft(_ x: [Complex<Double>], inverse: Bool) -> [Complex<Double>] {
        let n = x.count
        return (0..<n).map { k in
            var sum = Complex<Double>.zero
            for j in 0..<n {
                let (c, s) = unitRoot((inverse ? 1 : -1) * ((j * k) % n), n)
                sum += x[j] * Complex(c, s)
            }
            return inverse ? sum / Complex(Double(n), 0) : sum
        }
    }

    @Test func unitRootsAreAccurate() {
        // Against cos/sin of the reduced angle: within 2 ulps; exact at the axes.
        for n in [1, 2, 3, 5, 8, 12, 360, 1000, 4097, 1 << 20] {
            for k in [0, 1, n / 8, n / 4, n / 3, n / 2, n - 1, 3 * n / 4 + 1, -1, 5 * n + 2] {
                let (c, s) = unitRoot(k, n)
                let r = ((k % n) + n) % n
                let angle = 2 * Double.pi * Double(r) / Double(n)
                let tolerance = 4 * Double.ulpOfOne * max(1, angle)
                #expect(abs(c - Double.cos(angle)) <= tolerance && abs(s - Double.sin(angle)) <= tolerance, "k \(k) n \(n)")
            }
        }
        #expect(unitRoot(1, 4) == (0, 1) && unitRoot(2, 4) == (-1, 0) && unitRoot(3, 4) == (0, -1))
        #expect(unitRoot(0, 7) == (1, 0))
    }

    @Test func matchesTheDefinition() throws {
        // Every length 1…64 (7-smooth ones by mixed-radix Stockham, others by Bluestein), both directions.
        for n in 1...64 {
            let x = randomComplex(n, seed: UInt64(n))
            #expect(relativeError(try fft(x), dft(x, inverse: false)) < 1e-14, "fft n = \(n)")
            #expect(relativeError(try ifft(x), dft(x, inverse: true)) < 1e-14, "ifft n = \(n)")
        }
    }

    @Test func realTransformsMatchTheComplexOne() throws {
        for n in Array(1...40) + [64, 100, 255, 256, 1000, 1024, 4097] {
            let x = randomMatrix(1, n, seed: UInt64(500 + n)).elements
            let full = try fft(x.map { Complex($0, 0) })
            let half = try rfft(x)
            #expect(half.count == n / 2 + 1)
            #expect(relativeError(half, Array(full[0...(n / 2)])) < 1e-14, "rfft n = \(n)")
            #expect(half[0].imaginary == 0 && (n % 2 == 1 || half[n / 2].imaginary == 0))
            #expect(relativeError(try irfft(half, n: n), x) < 1e-14, "irfft n = \(n)")
        }
    }

    @Test func inPlaceEqualsOutOfPlace() throws {
        // Odd numbers of Stockham passes (n = 2, 4, 8, 5, 30, 512) copy the input first.
        for n in [2, 4, 8, 16, 32, 64, 2048, 5, 12, 30, 512, 97] {
            let x = randomComplex(3 * n, seed: UInt64(n))
            var separate = [Complex<Double>](repeating: .zero, count: 3 * n)
            try x.withUnsafeBufferPointer { i in
                try separate.withUnsafeMutableBufferPointer { try fft(n: n, count: 3, i, into: $0) }
            }
            var inPlace = x
            try inPlace.withUnsafeMutableBufferPointer { p in
                try fft(n: n, count: 3, UnsafeBufferPointer(p), into: p)
            }
            #expect(inPlace == separate, "n = \(n)")
        }
    }

    @Test func batchesOfTwoRowsEqualSingleRows() throws {
        // Rows go two at a time through SIMD2 lanes (every direct length: factors 2, 3, 5, 7); the
        // plan and the arithmetic per lane are the scalar path's, so 9 rows (8 in lanes, 1 alone)
        // equal 9 single-row calls bit for bit. 97 and 2·97 run Bluestein, one row at a time.
        for n in [2, 4, 8, 32, 64, 1024, 12, 6, 30, 105, 343, 1500, 97] {
            let rows = 9
            let x = randomComplex(rows * n, seed: UInt64(n) + 77)
            for inverse in [false, true] {
                var batch = x
                try batch.withUnsafeMutableBufferPointer { p in
                    try fft(n: n, count: rows, UnsafeBufferPointer(p), into: p, inverse: inverse)
                }
                for r in 0..<rows {
                    let single = try complexRow(Array(x[(r * n)..<(r * n + n)]), inverse: inverse)
                    #expect(Array(batch[(r * n)..<(r * n + n)]) == single, "n \(n) row \(r) inverse \(inverse)")
                }
            }
            let real = randomMatrix(rows, 2 * n, seed: UInt64(n)).elements   // even lengths 2n
            let m = 2 * n, half = n + 1
            var spectra = [Complex<Double>](repeating: .zero, count: rows * half)
            try real.withUnsafeBufferPointer { i in
                try spectra.withUnsafeMutableBufferPointer { try rfft(n: m, count: rows, i, into: $0) }
            }
            var back = [Double](repeating: 0, count: rows * m)
            try spectra.withUnsafeBufferPointer { i in
                try back.withUnsafeMutableBufferPointer { try irfft(n: m, count: rows, i, into: $0) }
            }
            for r in 0..<rows {
                let row = Array(real[(r * m)..<(r * m + m)])
                let single = try rfft(row)
                #expect(Array(spectra[(r * half)..<(r * half + half)]) == single, "rfft n \(m) row \(r)")
                #expect(Array(back[(r * m)..<(r * m + m)]) == (try irfft(single, n: m)), "irfft n \(m) row \(r)")
            }
        }
    }

    private func complexRow(_ x: [Complex<Double>], inverse: Bool) throws -> [Complex<Double>] {
        inverse ? try ifft(x) : try fft(x)
    }

    @Test func directPlansCoverSevenSmoothLengths() {
        // Radix 8 first for powers of two (4 at most when asked), then 3, 5, 7; Bluestein otherwise,
        // through the next 7-smooth length ≥ 2n − 1.
        #expect(FFTPlan.radices(4096) == [8, 8, 8, 8] && FFTPlan.radices(4096, largest: 4) == [4, 4, 4, 4, 4, 4])
        #expect(FFTPlan.radices(65536) == [8, 8, 8, 8, 4, 4] && FFTPlan.radices(2) == [2] && FFTPlan.radices(1) == [])
        #expect(FFTPlan.radices(3000) == [8, 3, 5, 5, 5] && FFTPlan.radices(1500, largest: 4) == [4, 3, 5, 5, 5])
        #expect(FFTPlan.radices(7 * 49) == [7, 7, 7] && FFTPlan.radices(4097) == nil && FFTPlan.radices(11) == nil)
        #expect(FFTPlan.fastLength(atLeast: 8193) == 8232 && FFTPlan.fastLength(atLeast: 4096) == 4096)
        #expect(FFTPlan.shared(4097).inner?.n == 8232 && FFTPlan.shared(3000).inner == nil)
    }

    @Test func concurrentCallsShareCachedPlans() throws {
        // 8 threads, 100 lengths (more than the cache keeps, so plans are evicted while in use).
        let lengths = Array(1...100).map { $0 * 7 + ($0 % 3 == 0 ? 1 : 0) }
        let inputs = lengths.map { randomComplex($0, seed: UInt64($0)) }
        let expected = try inputs.map { try fft($0) }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<3 {
                for i in lengths.indices where (i + worker + round) % 2 == 0 {
                    if (try? fft(inputs[i])) != expected[i] { failures.withLock { $0 += 1 } }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func badSizesThrow() {
        #expect(throws: SSMError.self) { try irfft([Complex(1, 0)], n: 0) }
        #expect(throws: SSMError.self) { try fft([]) }
        let x = [Complex<Double>](repeating: .zero, count: 6)
        var y = x
        #expect(throws: SSMError.self) {
            try x.withUnsafeBufferPointer { i in try y.withUnsafeMutableBufferPointer { try fft(n: 4, count: 2, i, into: $0) } }
        }
        #expect(throws: SSMError.self) {
            try x.withUnsafeBufferPointer { i in try y.withUnsafeMutableBufferPointer { try fft(n: 3, count: Int.max, i, into: $0) } }
        }
    }
}
