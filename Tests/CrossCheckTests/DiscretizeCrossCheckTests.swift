// Dense discretization against scipy.signal.cont2discrete, every method.
import SSMKit
import TestSupport
import Testing

/// Norm-wise relative agreement with scipy on each of Ad, Bd, Cd, Dd (fp64).
private let tolerance = 1e-12

/// (name scipy uses, our method, alpha for scipy's gbt)
private let methods: [(String, DiscretizationMethod)] = [
    ("zoh", .zoh), ("foh", .foh), ("bilinear", .bilinear), ("euler", .euler),
    ("backward_diff", .backwardDiff), ("gbt", .gbt(alpha: 0.3)), ("impulse", .impulse),
]

@Suite("discretize vs scipy.signal.cont2discrete")
struct DiscretizeCrossCheckTests {
    @Test("every method, sizes, inputs, outputs and steps", arguments: [1, 2, 7, 64, 256])
    func everyMethod(n: Int) throws {
        for (m, p) in [(1, 1), (3, 2)] {
            // A stable random system: A = G/√n − I has its spectrum in the left half plane.
            var a = randomMatrix(n, n, scale: 1 / Double(n).squareRoot(), seed: UInt64(n * 10 + m))
            for i in 0..<n { a[i, i] -= 1 }
            let b = randomMatrix(n, m, seed: UInt64(n * 10 + m + 1))
            let c = randomMatrix(p, n, seed: UInt64(n * 10 + m + 2))
            for dt in [1e-3, 0.1, 1.0] {
                for (name, method) in methods {
                    // scipy's impulse method needs D = 0.
                    let d = name == "impulse" ? RealMatrix(rows: p, columns: m, repeating: 0)
                        : randomMatrix(p, m, seed: UInt64(n * 10 + m + 3))
                    let ours = try discretize(StateSpace(A: a, B: b, C: c, D: d), dt: dt, method: method)
                    let alpha = name == "gbt" ? ", alpha=0.3" : ""
                    let reference = try EmbeddedPython.evaluate(
                        """
                        import scipy.signal
                        Ad, Bd, Cd, Dd, _ = scipy.signal.cont2discrete((A, B, C, D), \(dt), method="\(name)"\(alpha))
                        result = np.concatenate([Ad.ravel(), Bd.ravel(), Cd.ravel(), Dd.ravel()])
                        """,
                        ["A": .matrix(a), "B": .matrix(b), "C": .matrix(c), "D": .matrix(d)])
                    var offset = 0
                    for (label, part) in [("Ad", ours.A), ("Bd", ours.B), ("Cd", ours.C), ("Dd", ours.D)] {
                        let ref = Array(reference[offset..<offset + part.elements.count])
                        offset += part.elements.count
                        let error = relativeDifference(part.elements, ref)
                        #expect(error < tolerance, "\(name) n=\(n) m=\(m) p=\(p) dt=\(dt): \(label) differs by \(error)")
                    }
                }
            }
        }
    }

    @Test("state-only convention keeps C and D, and its Ad, Bd equal scipy's")
    func stateOnly() throws {
        let n = 7, m = 2, p = 3
        var a = randomMatrix(n, n, seed: 1)
        for i in 0..<n { a[i, i] -= 3 }
        let system = StateSpace(A: a, B: randomMatrix(n, m, seed: 2), C: randomMatrix(p, n, seed: 3), D: randomMatrix(p, m, seed: 4))
        for method in [DiscretizationMethod.zoh, .foh, .bilinear, .euler, .backwardDiff, .impulse] {
            let scipyStyle = try discretize(StateSpace(A: system.A, B: system.B, C: system.C, D: RealMatrix(rows: p, columns: m, repeating: 0)), dt: 0.05, method: method)
            let ssmStyle = try discretize(system, dt: 0.05, method: method, convention: .stateOnly)
            #expect(ssmStyle.C == system.C && ssmStyle.D == system.D, "\(method)")
            #expect(relativeDifference(ssmStyle.A.elements, scipyStyle.A.elements) == 0, "\(method)")
            #expect(relativeDifference(ssmStyle.B.elements, scipyStyle.B.elements) == 0, "\(method)")
        }
    }
}
