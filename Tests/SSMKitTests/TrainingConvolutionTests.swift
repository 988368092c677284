import RealModule
import Testing
@testable import SSMKit

/// The training convolution and its reverse (TrainingConvolution.swift) against the direct sums,
/// in float64 (paired-row transforms) and float32 (lanes; H = 5 leaves a short channel group, L = 1
/// takes the float64 fallback).
@Suite struct TrainingConvolutionTests {
    static let shapes = [(1, 1, 1), (3, 2, 7), (20, 3, 100), (2, 5, 33)]

    /// y, ∂K, ∂D and ∂u by the training convolution in S, as float64.
    func run<S: SequenceScalar>(_: S.Type, batch: Int, H: Int, L: Int, K: [Double], u: [Double], gy: [Double], D: [Double]) throws
        -> (y: [Double], gK: [Double], gD: [Double], gu: [Double]) {
        let k: [S] = converted(K), x: [S] = converted(u), g: [S] = converted(gy)
        var y = [S](repeating: .nan, count: u.count), gu = y
        var gK = [Double](repeating: .nan, count: H * L), gD = [Double](repeating: .nan, count: H)
        let spectra = try y.withUnsafeMutableBufferPointer { yp in
            try trainingConvolution(batch: batch, H: H, L: L, K: k, u: x, D: D, y: yp.baseAddress!)
        }
        try gK.withUnsafeMutableBufferPointer { gkp in
            try gD.withUnsafeMutableBufferPointer { gdp in
                try gu.withUnsafeMutableBufferPointer { gup in
                    try trainingConvolutionGradient(spectra, batch: batch, H: H, L: L, u: x, gy: g, D: D, gK: gkp.baseAddress!,
                                                    gD: gdp.baseAddress!, gu: gup.baseAddress!)
                }
            }
        }
        return (doubles(y), gK, gD, doubles(gu))
    }

    @Test(arguments: shapes)
    func matchesDirectSums(batch: Int, H: Int, L: Int) throws {
        let rows = batch * H
        let K = (0..<(H * L)).map { Double.sin(0.3 * Double($0) + 0.1) }
        let u = (0..<(rows * L)).map { Double.cos(0.7 * Double($0)) }
        let gy = (0..<(rows * L)).map { Double.sin(1.3 * Double($0) + 2) }
        let D = (0..<H).map { 0.5 - Double($0) }
        // The sums, each entry's scale being the sum of its terms' magnitudes.
        var y = [Double](repeating: 0, count: rows * L), yScale = y, gu = y, guScale = y
        var gK = [Double](repeating: 0, count: H * L), gKScale = gK, gD = [Double](repeating: 0, count: H), gDScale = gD
        for b in 0..<batch {
            for h in 0..<H {
                let row = (b * H + h) * L
                for k in 0..<L {
                    y[row + k] = D[h] * u[row + k]; yScale[row + k] = abs(y[row + k])
                    gu[row + k] = D[h] * gy[row + k]; guScale[row + k] = abs(gu[row + k])
                    gD[h] += gy[row + k] * u[row + k]; gDScale[h] += abs(gy[row + k] * u[row + k])
                    for j in 0...k {
                        y[row + k] += K[h * L + j] * u[row + k - j]; yScale[row + k] += abs(K[h * L + j] * u[row + k - j])
                        gK[h * L + j] += gy[row + k] * u[row + k - j]; gKScale[h * L + j] += abs(gy[row + k] * u[row + k - j])
                    }
                    for j in k..<L {
                        gu[row + k] += gy[row + j] * K[h * L + j - k]; guScale[row + k] += abs(gy[row + j] * K[h * L + j - k])
                    }
                }
            }
        }
        // An FFT's rounding error in an entry scales with its whole row, not with the entry's own
        // terms: compare with the row's largest scale. float64: ~1e-16·log n; float32: the inputs
        // rounded to float32 (6e-8) and float32 transforms, ~1e-6.
        func rowMaxima(_ scale: [Double]) -> [Double] {
            (0..<(scale.count / L)).flatMap { r in Array(repeating: scale[(r * L)..<((r + 1) * L)].max()!, count: L) }
        }
        let (yRow, guRow, gKRow) = (rowMaxima(yScale), rowMaxima(guScale), rowMaxima(gKScale))
        for (precision, tolerance) in [(Precision.float64, 1e-13), (.float32, 2e-6)] {
            let r = precision == .float64 ? try run(Double.self, batch: batch, H: H, L: L, K: K, u: u, gy: gy, D: D)
                                          : try run(Float.self, batch: batch, H: H, L: L, K: K, u: u, gy: gy, D: D)
            for i in y.indices {
                #expect(abs(r.y[i] - y[i]) <= tolerance * yRow[i], "\(precision) y[\(i)]: \(r.y[i]) vs \(y[i])")
                #expect(abs(r.gu[i] - gu[i]) <= tolerance * guRow[i], "\(precision) gu[\(i)]: \(r.gu[i]) vs \(gu[i])")
            }
            for i in gK.indices {
                #expect(abs(r.gK[i] - gK[i]) <= tolerance * gKRow[i], "\(precision) gK[\(i)]: \(r.gK[i]) vs \(gK[i])")
            }
            for h in 0..<H { #expect(abs(r.gD[h] - gD[h]) <= tolerance * gDScale[h], "\(precision) gD[\(h)]") }
        }
    }
}
