// expm against scipy.linalg.expm (same algorithm family: Padé scaling and squaring).
import ComplexModule

import SSMKit
import Testing

/// Norm-wise relative agreement required with scipy (fp64): a few hundred ulps of the result.
private let tolerance = 1e-12

@Suite("expm vs scipy.linalg.expm")
struct ExpmCrossCheckTests {
    static let sizes = [1, 2, 7, 64, 256, 512]

    @Test("random real matrices", arguments: sizes)
    func randomReal(n: Int) throws {
        let m = randomMatrix(n, n, scale: 1 / Double(n).squareRoot(), seed: UInt64(n))
        try check(m)
    }

    @Test("large-norm real matrices (many squarings)", arguments: [2, 7, 64, 256])
    func largeNorm(n: Int) throws {
        // Eigenvalues spread over about ±30 in real part: norm in the hundreds.
        var m = randomMatrix(n, n, scale: 3, seed: UInt64(100 + n))
        for i in 0..<n { m[i, i] -= 20 }
        try check(m)
    }

    @Test("HiPPO matrices times a step", arguments: [(HiPPOMeasure.legs, 64), (.legs, 512), (.legt, 256), (.lagt, 128), (.fout, 65)])
    func hippoMatrices(measure: HiPPOMeasure, n: Int) throws {
        for dt in [1e-3, 0.1, 1.0] {
            var a = try hippo(measure, N: n).A
            a.elements = a.elements.map { $0 * dt }
            try check(a)
        }
    }

    @Test("random complex matrices", arguments: [1, 3, 64, 256])
    func randomComplex(n: Int) throws {
        let re = randomMatrix(n, n, scale: 1, seed: UInt64(7 * n)), im = randomMatrix(n, n, scale: 1, seed: UInt64(11 * n))
        let z = ComplexMatrix(rows: n, columns: n, elements: zip(re.elements, im.elements).map { Complex($0, $1) })
        let ours = try expm(z).elements.flatMap { [$0.real, $0.imaginary] }
        let reference = try EmbeddedPython.evaluate(
            "import scipy.linalg\nresult = scipy.linalg.expm(Z)", ["Z": .complex(z.elements, n, n)])
        let error = relativeDifference(ours, reference)
        #expect(error < tolerance, "complex n = \(n): relative difference \(error)")
    }

    private func check(_ m: RealMatrix) throws {
        let ours = try expm(m).elements
        let reference = try EmbeddedPython.evaluate("import scipy.linalg\nresult = scipy.linalg.expm(M)", ["M": .matrix(m)])
        let error = relativeDifference(ours, reference)
        #expect(error < tolerance, "n = \(m.rows), ‖M‖_max = \(m.elements.map(abs).max()!): relative difference \(error)")
    }
}
