/// Discretizes a dense continuous system with step `dt`, with exactly the formulas of
/// scipy.signal.cont2discrete (MATH.md §6) in the `.scipy` convention; `.stateOnly` discretizes
/// (A, B) the same way and returns C and D unchanged.
///
/// Errors: `.value` (dt not finite and > 0, alpha outside [0, 1], non-finite entries, IMPULSE with
/// |D| > 1e-8 in the scipy convention, which is np.allclose(D, 0)), `.size` (shapes),
/// `.unsupported` (zohAEulerB is diagonal-only), `.singular` (I − α dt A), `.unstable` (overflow).
public func discretize(_ system: StateSpace, dt: Double, method: DiscretizationMethod,
                       convention: OutputConvention = .scipy) throws -> StateSpace {
    try require(dt.isFinite && dt > 0, .value, "dt = \(dt) must be finite and > 0")
    try system.validate()
    let n = system.A.rows, m = system.B.columns
    // An overflowing dt·A or dt·B is a numerical outcome, not a bad argument.
    for (name, mat) in [("A", system.A), ("B", system.B)] {
        if let k = mat.elements.firstIndex(where: { !($0 * dt).isFinite }) {
            throw SSMError(.unstable, "dt·\(name) overflows (dt = \(dt), \(name)[\(k / mat.columns), \(k % mat.columns)] = \(mat.elements[k]))")
        }
    }
    let A = system.A, B = system.B, C = system.C, D = system.D
    var out = system

    switch method {
    case .zoh:
        // Top rows of expm([[A dt, B dt], [0, 0]]) = [Ad, Bd].
        let w = n + m
        var top = [Double](repeating: 0, count: n * w)
        for i in 0..<n {
            for j in 0..<n { top[i * w + j] = dt * A.elements[i * n + j] }
            for j in 0..<m { top[i * w + n + j] = dt * B.elements[i * m + j] }
        }
        try expmTopBlock(&top, n: n, extra: m)
        (out.A, out.B) = split(top, n, m)

    case .foh:
        // expm([[A dt, B dt, 0], [0, 0, I], [0, 0, 0]]) and scipy's combination of its blocks.
        let w = n + 2 * m
        var em = RealMatrix(rows: w, columns: w, repeating: 0)
        for i in 0..<n {
            for j in 0..<n { em[i, j] = A.elements[i * n + j] * dt }
            for j in 0..<m { em[i, n + j] = B.elements[i * m + j] * dt }
        }
        for j in 0..<m { em[n + j, n + m + j] = 1 }
        let ms = try expm(em)
        let ms11 = block(ms, rows: 0..<n, columns: 0..<n)
        let ms12 = block(ms, rows: 0..<n, columns: n..<(n + m))
        let ms13 = block(ms, rows: 0..<n, columns: (n + m)..<w)
        let prod = matmul(ms11, ms13)
        out.A = ms11
        out.B = RealMatrix(rows: n, columns: m, elements: (0..<(n * m)).map {
            ms12.elements[$0] - ms13.elements[$0] + prod.elements[$0]
        })
        if convention == .scipy && C.rows > 0 {
            let cm = matmul(C, ms13)
            out.D = RealMatrix(rows: D.rows, columns: m, elements: (0..<D.elements.count).map {
                D.elements[$0] + cm.elements[$0]
            })
        }

    case .gbt, .bilinear, .euler, .backwardDiff:
        let alpha = method.gbtAlpha!
        try require(alpha.isFinite && alpha >= 0 && alpha <= 1, .value, "alpha = \(alpha) must be in [0, 1]")
        let a1 = alpha * dt, a2 = (1.0 - alpha) * dt
        var ima = RealMatrix.identity(n), ipa = RealMatrix.identity(n)
        for k in 0..<(n * n) {
            ima.elements[k] -= a1 * A.elements[k]
            ipa.elements[k] += a2 * A.elements[k]
        }
        let dtB = RealMatrix(rows: n, columns: m, elements: B.elements.map { dt * $0 })
        do {
            out.A = try solve(ima, ipa)
            out.B = try solve(ima, dtB)
            if convention == .scipy && C.rows > 0 {
                // Cd = C (I − α dt A)⁻¹, solved as (I − α dt A)ᵀ Cdᵀ = Cᵀ.
                out.C = transpose(try solve(transpose(ima), transpose(C)))
                let cb = matmul(C, out.B)
                out.D = RealMatrix(rows: D.rows, columns: m, elements: (0..<D.elements.count).map {
                    D.elements[$0] + alpha * cb.elements[$0]
                })
            }
        } catch let e as SSMError where e.kind == .singular {
            throw SSMError(.singular, "I − alpha·dt·A is singular (alpha = \(alpha), dt = \(dt)): \(e.message)")
        }

    case .impulse:
        if convention == .scipy, let k = D.elements.firstIndex(where: { Swift.abs($0) > 1e-8 }) {
            throw SSMError(.value, "impulse invariance needs D = 0 (scipy convention), but D[\(k / m), \(k % m)] = \(D.elements[k])")
        }
        let ad = try expm(RealMatrix(rows: n, columns: n, elements: A.elements.map { $0 * dt }))
        let adb = matmul(ad, B)
        out.A = ad
        out.B = RealMatrix(rows: n, columns: m, elements: adb.elements.map { $0 * dt })
        if convention == .scipy && C.rows > 0 {
            let cb = matmul(C, B)
            out.D = RealMatrix(rows: D.rows, columns: m, elements: cb.elements.map { $0 * dt })
        }

    case .zohAEulerB:
        throw SSMError(.unsupported, "zoh_a_euler_b (Mamba's rule) is defined for diagonal systems only: use discretizeDiagonal")
    }
    try requireAllFinite(out)
    return out
}

/// Splits a top block [X Y] (n×(n+m)) into X (n×n) and Y (n×m).
private func split(_ top: [Double], _ n: Int, _ m: Int) -> (RealMatrix, RealMatrix) {
    let w = n + m
    var x = [Double](), y = [Double]()
    x.reserveCapacity(n * n); y.reserveCapacity(n * m)
    for i in 0..<n {
        x.append(contentsOf: top[(i * w)..<(i * w + n)])
        y.append(contentsOf: top[(i * w + n)..<(i * w + w)])
    }
    return (RealMatrix(rows: n, columns: n, elements: x), RealMatrix(rows: n, columns: m, elements: y))
}

private func block(_ a: RealMatrix, rows: Range<Int>, columns: Range<Int>) -> RealMatrix {
    var e = [Double]()
    e.reserveCapacity(rows.count * columns.count)
    for i in rows { e.append(contentsOf: a.elements[(i * a.columns + columns.lowerBound)..<(i * a.columns + columns.upperBound)]) }
    return RealMatrix(rows: rows.count, columns: columns.count, elements: e)
}

func transpose(_ a: RealMatrix) -> RealMatrix {
    var t = RealMatrix(rows: a.columns, columns: a.rows, repeating: 0)
    for i in 0..<a.rows { for j in 0..<a.columns { t.elements[j * a.rows + i] = a.elements[i * a.columns + j] } }
    return t
}

private func requireAllFinite(_ s: StateSpace) throws {
    for (name, mat) in [("Ad", s.A), ("Bd", s.B), ("Cd", s.C), ("Dd", s.D)]
    where mat.elements.contains(where: { !$0.isFinite }) {
        throw SSMError(.unstable, "the discretized \(name) overflows")
    }
}
