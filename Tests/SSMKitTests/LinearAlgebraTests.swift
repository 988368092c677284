import ComplexModule
import RealModule
import Testing
@testable import SSMKit
import TestSupport

@Suite struct LAPACKBridgeTests {
    @Test func matmulKnownProduct() {
        let a = RealMatrix(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
        let b = RealMatrix(rows: 3, columns: 2, elements: [7, 8, 9, 10, 11, 12])
        #expect(matmul(a, b).elements == [58, 64, 139, 154])
        let c = ComplexMatrix(rows: 1, columns: 2, elements: [Complex(1, 1), Complex(0, 2)])
        let d = ComplexMatrix(rows: 2, columns: 1, elements: [Complex(2, 0), Complex(0, -1)])
        #expect(matmul(c, d).elements == [Complex(4, 2)])   // (1+i)·2 + 2i·(−i) = 2+2i+2
    }

    @Test func solveKnownSystemAndSingular() throws {
        let a = RealMatrix(rows: 2, columns: 2, elements: [4, 3, 6, 3])
        let x = try solve(a, RealMatrix(rows: 2, columns: 1, elements: [10, 12]))
        #expect(relativeError(x.elements, [1, 2]) < 1e-15)
        let ac = ComplexMatrix(rows: 2, columns: 2, elements: [Complex(0, 1), .zero, .zero, Complex(2, 0)])
        let xc = try solve(ac, ComplexMatrix(rows: 2, columns: 1, elements: [Complex(1, 0), Complex(4, 2)]))
        #expect(relativeError(xc.elements, [Complex(0, -1), Complex(2, 1)]) < 1e-15)
        let s = RealMatrix(rows: 2, columns: 2, elements: [1, 2, 2, 4])
        #expect(errorKind { _ = try solve(s, RealMatrix(rows: 2, columns: 1, elements: [1, 1])) } == .singular)
        #expect(errorKind { _ = try solve(a, RealMatrix(rows: 3, columns: 1, elements: [1, 1, 1])) } == .size)
    }

    @Test func solveRandomResidual() throws {
        let a = randomMatrix(50, 50, seed: 7), b = randomMatrix(50, 3, seed: 8)
        let x = try solve(a, b)
        #expect(relativeError(matmul(a, x), b) < 1e-12)
    }

    @Test func eighKnownSpectrum() throws {
        // [[2,1],[1,2]]: eigenvalues 1, 3 with eigenvectors (1,−1)/√2, (1,1)/√2.
        let (w, v) = try eigh(RealMatrix(rows: 2, columns: 2, elements: [2, 1, 1, 2]))
        #expect(Swift.abs(w[0] - 1) < 1e-15 && Swift.abs(w[1] - 3) < 1e-15)
        #expect(Swift.abs(Swift.abs(v[0, 1]) - 0.5.squareRoot()) < 1e-15)
        #expect(Swift.abs(v[0, 1] - v[1, 1]) < 1e-15)   // second column ∝ (1, 1)
        // Hermitian [[0, −i],[i, 0]] (Pauli Y): eigenvalues −1, 1.
        let (wc, vc) = try eigh(ComplexMatrix(rows: 2, columns: 2, elements: [.zero, Complex(0, -1), Complex(0, 1), .zero]))
        #expect(Swift.abs(wc[0] + 1) < 1e-15 && Swift.abs(wc[1] - 1) < 1e-15)
        // Y v = λ v for the first column.
        let y = ComplexMatrix(rows: 2, columns: 2, elements: [.zero, Complex(0, -1), Complex(0, 1), .zero])
        let col = ComplexMatrix(rows: 2, columns: 1, elements: [vc[0, 0], vc[1, 0]])
        let yv = matmul(y, col)
        #expect(relativeError(yv.elements, col.elements.map { -$0 }) < 1e-15)
    }

    @Test func eigKnownSpectrum() throws {
        // Rotation generator [[0,−2],[2,0]] has eigenvalues ±2i.
        let w = try eig(RealMatrix(rows: 2, columns: 2, elements: [0, -2, 2, 0]))
        #expect(w.count == 2)
        #expect(Set(w.map { $0.imaginary.rounded() }) == [2, -2])
        #expect(w.allSatisfy { Swift.abs($0.real) < 1e-15 && Swift.abs(Swift.abs($0.imaginary) - 2) < 1e-15 })
        let a = ComplexMatrix(rows: 2, columns: 2, elements: [Complex(1, 0), Complex(2, 0), .zero, Complex(0, 3)])
        let (vals, vecs) = try eig(a)
        for j in 0..<2 {
            let v = ComplexMatrix(rows: 2, columns: 1, elements: [vecs[0, j], vecs[1, j]])
            #expect(relativeError(matmul(a, v).elements, v.elements.map { $0 * vals[j] }) < 1e-14)
        }
        #expect(errorKind { _ = try eig(RealMatrix(rows: 1, columns: 1, elements: [.nan])) } == .value)
    }
}

@Suite struct ExpmTests {
    @Test func closedForms() throws {
        // Rotation: exp([[0, −t],[t, 0]]) = [[cos t, −sin t],[sin t, cos t]], small and large t.
        for t in [0.3, 2.0, 40.0] {
            let e = try expm(RealMatrix(rows: 2, columns: 2, elements: [0, -t, t, 0]))
            let c = Double.cos(t), s = Double.sin(t)
            #expect(relativeError(e.elements, [c, -s, s, c]) < (t > 10 ? 1e-13 : 1e-15))
        }
        // Jordan block: exp([[a, 1],[0, a]]) = e^a [[1, 1],[0, 1]].
        for a in [-3.0, 0.0, 1.5] {
            let e = try expm(RealMatrix(rows: 2, columns: 2, elements: [a, 1, 0, a]))
            let ea = Double.exp(a)
            #expect(relativeError(e.elements, [ea, ea, 0, ea]) < 1e-15)
        }
        // Nilpotent 3×3 shift: exp(N) = I + N + N²/2.
        let e = try expm(RealMatrix(rows: 3, columns: 3, elements: [0, 1, 0, 0, 0, 1, 0, 0, 0]))
        #expect(relativeError(e.elements, [1, 1, 0.5, 0, 1, 1, 0, 0, 1]) < 1e-15)
        // Zero and diagonal matrices are exact.
        #expect(try expm(RealMatrix(rows: 3, columns: 3, repeating: 0)) == RealMatrix.identity(3))
        let d = try expm(RealMatrix(rows: 2, columns: 2, elements: [-700, 0, 0, 2]))
        #expect(d.elements == [Double.exp(-700), 0, 0, Double.exp(2)])
    }

    @Test func complexClosedForm() throws {
        // exp(iθ X) = cos θ I + i sin θ X for the Pauli matrix X.
        let th = 1.3
        let m = ComplexMatrix(rows: 2, columns: 2, elements: [.zero, Complex(0, th), Complex(0, th), .zero])
        let e = try expm(m)
        let c = Complex(Double.cos(th), 0), s = Complex(0, Double.sin(th))
        #expect(relativeError(e.elements, [c, s, s, c]) < 1e-15)
        // A real matrix as complex agrees with the real expm.
        let a = randomMatrix(12, 12, scale: 0.8, seed: 3)
        #expect(relativeError(try expm(a.complex), try expm(a).complex) < 1e-14)
    }

    @Test(arguments: [(8, 0.01), (20, 0.2), (40, 1.0), (64, 5.0), (30, 40.0), (100, 300.0)])
    func skewExponentialIsOrthogonal(n: Int, scale s: Double) throws {
        // K skew ⇒ exp(K) orthogonal and exp(K)·exp(−K) = I: well-conditioned at any norm, and the
        // scales cover degrees 3…13 and up to ~8 squarings. Tolerance: u·(squarings + n) growth.
        let g = randomMatrix(n, n, scale: s / Double(n).squareRoot(), seed: UInt64(n) * 31)
        var k = g
        for i in 0..<n { for j in 0..<n { k[i, j] = g[i, j] - g[j, i] } }
        let e = try expm(k)
        #expect(relativeError(matmul(e, transpose(e)), RealMatrix.identity(n)) < 1e-12)
        #expect(relativeError(matmul(e, try expm(scaled(k, -1))), RealMatrix.identity(n)) < 1e-12)
    }

    @Test(arguments: [(8, 0.01), (20, 0.2), (40, 1.0)])
    func semigroupIdentity(n: Int, scale s: Double) throws {
        // exp(A)² = exp(2A) for general (non-normal) A of moderate norm.
        let a = randomMatrix(n, n, scale: s / Double(n).squareRoot(), seed: UInt64(n) * 17)
        let e = try expm(a)
        #expect(relativeError(matmul(e, e), try expm(scaled(a, 2))) < 1e-13)
        #expect(relativeError(matmul(e, try expm(scaled(a, -1))), RealMatrix.identity(n)) < 1e-13)
    }

    @Test func degreeSelectionFollowsNorm() throws {
        // Tiny norm → Padé degree 3 without squaring (Taylor 8 when allowed: same products, no
        // solve); large norm → Padé 13 with squarings (Taylor 18 would need more squarings here).
        var small = scaled(randomMatrix(10, 10, seed: 1), 1e-4).elements, smallPade = small
        #expect(try expmTopBlock(&small, n: 10, extra: 0) == ExpmChoice(degree: 8, squarings: 0, taylor: true))
        #expect(try expmTopBlock(&smallPade, n: 10, extra: 0, allowTaylor: false) == ExpmChoice(degree: 3, squarings: 0))
        #expect(relativeError(small, smallPade) < 1e-15)
        var tiny = scaled(randomMatrix(10, 10, seed: 1), 1e-6).elements
        #expect(try expmTopBlock(&tiny, n: 10, extra: 0) == ExpmChoice(degree: 4, squarings: 0, taylor: true))
        var big = scaled(randomMatrix(10, 10, seed: 1), 20).elements
        let c2 = try expmTopBlock(&big, n: 10, extra: 0)
        #expect(c2.degree == 13 && c2.squarings > 3 && !c2.taylor)
    }

    @Test(arguments: [(3, 0), (3, 1), (10, 0), (10, 2), (40, 0), (40, 1)])
    func boundedSelectionNeverSquaresLess(n: Int, m: Int) throws {
        // The bounded degree selection (‖A²‖, ‖A⁴‖ instead of exact d4, d6) against scipy's exact
        // rule, over 1-norms 1e-6…1e3: never fewer squarings, never a lower degree at equal
        // squarings, and the same exponential to 1e-13 (both are backward stable; well-conditioned
        // inputs: general matrices up to norm 10, skew-symmetric plus a small general part above).
        var lowDegreeSeen = Set<Int>()
        for (k, exponent) in stride(from: -6.0, through: 3.0, by: 0.25).enumerated() {
            let target = Double.pow(10, exponent)
            let g = randomMatrix(n, n + m, seed: UInt64(1000 * n + 10 * m + k))
            var f = RealMatrix(rows: n, columns: n + m, repeating: 0)
            for i in 0..<n {
                for j in 0..<(n + m) {
                    let skew = j < n ? g[i, j] - g[j, i] : g[i, j]
                    f[i, j] = target > 10 ? skew + 0.01 * g[i, j] : g[i, j]
                }
            }
            var colSums = [Double](repeating: 0, count: n + m)
            for i in 0..<n { for j in 0..<(n + m) { colSums[j] += abs(f[i, j]) } }
            var bounded = scaled(f, target / colSums.max()!).elements
            var exact = bounded
            let c1 = try expmTopBlock(&bounded, n: n, extra: m, allowTaylor: false)
            let c2 = try expmTopBlock(&exact, n: n, extra: m, boundedSelection: false, allowTaylor: false)
            #expect(c1.squarings >= c2.squarings, "norm \(target): \(c1) vs \(c2)")
            #expect(c1.squarings > c2.squarings || c1.degree >= c2.degree, "norm \(target): \(c1) vs \(c2)")
            let error = relativeError(bounded, exact)
            #expect(error < 1e-13, "n \(n) m \(m) norm \(target): \(error) (\(c1) vs \(c2))")
            lowDegreeSeen.insert(c1.degree)
        }
        // The sweep reaches the degrees the bounded rule decides (3, 5) and the exact rule's (13).
        #expect(lowDegreeSeen.isSuperset(of: [3, 5, 13]), "\(lowDegreeSeen)")
    }

    @Test func absolutePowerBoundsContainExactNorms() throws {
        // ℓ_m stops forming 1ᵀ|M|^k once the Collatz–Wielandt bounds decide it: the bounds after
        // every step must contain the exact log₂‖|M|^p‖₁ (with a zero column, a zero row, and a
        // nilpotent case).
        for (n, w, seed) in [(6, 6, 1), (20, 21, 2), (50, 50, 3), (7, 9, 4)] {
            var a = randomMatrix(n, w, seed: UInt64(seed)).elements
            if seed == 2 { for i in 0..<n { a[i * w + 3] = 0 } }
            if seed == 3 { for j in 0..<w { a[5 * w + j] = 0 } }
            if seed == 4 { for i in 0..<n { for j in 0...min(i, w - 1) { a[i * w + j] = 0 } } }   // strictly upper: nilpotent
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: n * w)
            let scratch2 = UnsafeMutablePointer<Double>.allocate(capacity: n * w)
            defer { scratch.deallocate(); scratch2.deallocate() }
            a.withUnsafeMutableBufferPointer { top in
                for p in [7, 11, 27] {
                    var reference = AbsolutePowerNorms(top.baseAddress!, n, w, scratch: scratch2)
                    let exact = reference.exactLog2Norm(power: p)
                    var lazy = AbsolutePowerNorms(top.baseAddress!, n, w, scratch: scratch)
                    for _ in 1..<p {
                        guard lazy.advance() != nil else { break }
                        if let (lower, upper) = lazy.log2NormBounds(power: p) {
                            let slack = 1e-12 * max(1, abs(exact))
                            #expect(lower <= exact + slack && exact <= upper + slack, "n \(n) p \(p): \(lower) \(exact) \(upper)")
                        }
                    }
                    #expect(lazy.exactLog2Norm(power: p) == exact || (lazy.exactLog2Norm(power: p) - exact).magnitude < 1e-12)
                    if seed == 4 && p > n { #expect(exact == -.infinity) }   // M^p = [F^p, F^(p−1)G] = 0 for p > n
                }
            }
        }
    }

    @Test func topBlockKernelEqualsFullExponential() throws {
        // The zoh kernel on [F G] equals the top rows of expm([[F, G],[0, 0]]).
        for (n, m, s) in [(6, 2, 0.05), (12, 3, 1.0), (20, 1, 8.0)] {
            let f = randomMatrix(n, n, scale: s / Double(n).squareRoot(), seed: 5)
            let g = randomMatrix(n, m, scale: s, seed: 6)
            var full = RealMatrix(rows: n + m, columns: n + m, repeating: 0)
            var top = [Double](repeating: 0, count: n * (n + m))
            for i in 0..<n {
                for j in 0..<n { full[i, j] = f[i, j]; top[i * (n + m) + j] = f[i, j] }
                for j in 0..<m { full[i, n + j] = g[i, j]; top[i * (n + m) + n + j] = g[i, j] }
            }
            try expmTopBlock(&top, n: n, extra: m)
            let ref = try expm(full)
            #expect(relativeError(top, Array(ref.elements[0..<(n * (n + m))])) < 1e-13)
        }
    }

    /// A random n×n matrix with only its `lower` (or upper) triangle, scaled so ‖·‖ ~ s.
    private func randomTriangular(_ n: Int, lower: Bool, scale s: Double, seed: UInt64) -> RealMatrix {
        var a = randomMatrix(n, n, scale: s / Double(n).squareRoot(), seed: seed)
        for i in 0..<n { for j in 0..<n where lower ? j > i : j < i { a[i, j] = 0 } }
        return a
    }

    @Test func triangleDetection() {
        let n = 5, w = 7
        var x = [Double](repeating: 0, count: n * w)
        for i in 0..<n { x[i * w + i] = 1; x[i * w + n] = 3; x[i * w + n + 1] = -2 }   // extra columns ignored
        #expect(x.withUnsafeBufferPointer { triangleOf($0.baseAddress!, n: n, ld: w) } == .lower)   // diagonal
        x[3 * w + 1] = 0.5
        #expect(x.withUnsafeBufferPointer { triangleOf($0.baseAddress!, n: n, ld: w) } == .lower)
        x[3 * w + 1] = 0; x[1 * w + 4] = -0.5
        #expect(x.withUnsafeBufferPointer { triangleOf($0.baseAddress!, n: n, ld: w) } == .upper)
        x[4 * w + 0] = 2
        #expect(x.withUnsafeBufferPointer { triangleOf($0.baseAddress!, n: n, ld: w) } == nil)
        #expect(triangleOf([7.0], n: 1, ld: 1) == .lower)
    }

    @Test(arguments: [5, 40, 100, 200])
    func triangularPathEqualsGeneralPath(n: Int) throws {
        // Blocked triangular products and substitution (several blocks, ragged last block at 100
        // and 200) against gemm + LU, for upper and lower, plain and zoh tops, degrees 3…13 with
        // squarings. Both are backward stable on well-conditioned inputs: 1e-13.
        for lower in [true, false] {
            for (k, s) in [1e-3, 0.2, 2.0, 12.0].enumerated() {
                let f = randomTriangular(n, lower: lower, scale: s, seed: UInt64(n * 10 + k))
                for m in [0, 2] {
                    let g = randomMatrix(n, m, scale: s, seed: UInt64(n + k))
                    var fast = [Double](), general = [Double]()
                    for i in 0..<n { fast += f.elements[(i * n)..<(i * n + n)] + g.elements[(i * m)..<(i * m + m)] }
                    general = fast
                    let c1 = try expmTopBlock(&fast, n: n, extra: m)
                    let c2 = try expmTopBlock(&general, n: n, extra: m, allowTriangular: false, allowTaylor: false)
                    #expect(c1 == c2)
                    let error = relativeError(fast, general)
                    #expect(error < 1e-13, "n \(n) lower \(lower) scale \(s) m \(m): \(error)")
                    // The result keeps the triangle exactly.
                    for i in 0..<n { for j in 0..<n where lower ? j > i : j < i { #expect(fast[i * (n + m) + j] == 0) } }
                }
            }
        }
        // Complex lower triangular, through the public API (exact diagonal included).
        let re = randomTriangular(n, lower: true, scale: 3, seed: 77), im = randomTriangular(n, lower: true, scale: 3, seed: 78)
        var z = ComplexMatrix(rows: n, columns: n, elements: zip(re.elements, im.elements).map { Complex($0, $1) })
        let fast = try expm(z).elements
        var general = z.elements
        try expmTopBlock(&general, n: n, extra: 0, allowTriangular: false)
        #expect(relativeError(fast, general) < 1e-13)
        z.elements[n - 1] = Complex(1e-3, 0)   // no longer triangular
        #expect(try expm(z).elements.count == n * n)
    }

    @Test func triangularExactDiagonal() throws {
        // With squarings, expm recomputes the diagonal and first off-diagonal of a triangular matrix
        // exactly as scipy does: the diagonal is exp of the diagonal, bit for bit.
        for lower in [true, false] {
            let a = randomTriangular(60, lower: lower, scale: 20, seed: 9)
            let e = try expm(a)
            for i in 0..<60 { #expect(e[i, i] == Double.exp(a[i, i])) }
            for i in 0..<59 {
                let (r, c) = lower ? (i + 1, i) : (i, i + 1)
                let d = a[i + 1, i + 1] - a[i, i]
                let expected = (Double.exp(a[i + 1, i + 1]) - Double.exp(a[i, i])) / d * a[r, c]
                #expect(Swift.abs(e[r, c] - expected) <= 1e-15 * Swift.abs(expected) + 1e-300)
            }
            var general = a.elements
            try expmTopBlock(&general, n: 60, extra: 0, allowTriangular: false)
            #expect(relativeError(e.elements, general) < 1e-13)
        }
    }

    @Test(arguments: [(7, 3), (100, 103), (300, 300)])
    func blockedSolves(n: Int, cols: Int) {
        // LU solve through block substitution: residual ‖QX − B‖ / (‖Q‖‖X‖) at rounding level.
        let q = randomMatrix(n, n, scale: 1, seed: UInt64(n)), b = randomMatrix(n, cols, scale: 1, seed: UInt64(cols + 1))
        var lu = q.elements, x = b.elements
        let info = lu.withUnsafeMutableBufferPointer { l in
            x.withUnsafeMutableBufferPointer { luSolveInPlace(n: n, cols: cols, l.baseAddress!, n, $0.baseAddress!, cols) }
        }
        #expect(info == 0)
        let xm = RealMatrix(rows: n, columns: cols, elements: x)
        let residual = relativeError(matmul(q, xm), b)
        #expect(residual < 1e-12, "residual \(residual)")
        // Triangular right-hand side of the same triangle (the expm Padé solve): X keeps it.
        for lower in [true, false] {
            var t = randomTriangular(n, lower: lower, scale: 1, seed: 3)
            for i in 0..<n { t[i, i] += lower ? 3 : -3 }
            let rhs = randomTriangular(n, lower: lower, scale: 1, seed: 4)
            var y = rhs.elements
            t.elements.withUnsafeBufferPointer { tp in
                y.withUnsafeMutableBufferPointer {
                    blockedTriangularSolve(lower ? .lower : .upper, unitDiagonal: false, triangularRHS: true, n: n, cols: n,
                                           tp.baseAddress!, n, $0.baseAddress!, n)
                }
            }
            #expect(relativeError(matmul(t, RealMatrix(rows: n, columns: n, elements: y)), rhs) < 1e-13)
        }
    }

    @Test func concurrentCallsShareScratchSafely() async throws {
        // The scratch pool is shared: concurrent expm calls of different sizes give the serial results.
        let inputs = (0..<8).map { randomMatrix(20 + 15 * $0, 20 + 15 * $0, scale: 0.3, seed: UInt64($0)) }
        let serial = try inputs.map { try expm($0) }
        try await withThrowingTaskGroup(of: (Int, RealMatrix).self) { group in
            for _ in 0..<3 { for (i, a) in inputs.enumerated() { group.addTask { (i, try expm(a)) } } }
            for try await (i, e) in group { #expect(e == serial[i]) }
        }
    }

    @Test func errors() {
        #expect(errorKind { _ = try expm(RealMatrix(rows: 2, columns: 3, repeating: 0)) } == .value)
        #expect(errorKind { _ = try expm(RealMatrix(rows: 2, columns: 2, elements: [0, .infinity, 0, 0])) } == .value)
        #expect(errorKind { _ = try expm(RealMatrix(rows: 2, columns: 2, elements: [800, 1, 0, 800])) } == .unstable)
        #expect(errorKind { _ = try expm(RealMatrix(rows: 1, columns: 1, elements: [710])) } == .unstable)
        #expect(errorKind { _ = try expm(RealMatrix(rows: 2, columns: 2, elements: [1e300, 1e300, 1e300, 1e300])) } == .unstable)
    }
}
