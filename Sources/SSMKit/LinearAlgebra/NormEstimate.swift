/// Hager's 1-norm estimator (Higham's refinement, one column), used by expm to estimate
/// ‖M^8‖₁ and ‖M^10‖₁ from products with powers it already has, instead of forming those powers
/// (Al-Mohy & Higham 2009 do the same). `apply(x)` must return X·x and `applyAdjoint(x)` Xᴴ·x for
/// vectors of length `count`. The result is a lower bound of ‖X‖₁, almost always equal to it.
func estimateOneNorm<S: BLASScalar>(count w: Int, apply: ([S]) -> [S], applyAdjoint: ([S]) -> [S]) -> Double {
    var x = [S](repeating: S(real: 1 / Double(w)), count: w)
    var estimate = 0.0
    var previous = -1
    for iteration in 0..<5 {
        let y = apply(x)
        let e = y.reduce(0) { $0 + $1.modulus }
        if iteration > 0 && e <= estimate { break }
        estimate = e
        let z = applyAdjoint(y.map { $0.unitSign })
        var j = 0, zmax = -1.0, ztx = 0.0
        for i in 0..<w {
            let a = z[i].modulus
            if a > zmax { zmax = a; j = i }
            ztx += S.realDot(z[i], x[i])
        }
        if iteration > 0 && (j == previous || zmax <= ztx) { break }
        x = [S](repeating: .zero, count: w)
        x[j] = .one
        previous = j
    }
    // Higham's extra test vector catches the cases where the iteration stalls.
    if w > 1 {
        for i in 0..<w {
            let v = (1 + Double(i) / Double(w - 1)) * (i % 2 == 0 ? 1 : -1)
            x[i] = S(real: v)
        }
        let e = 2 * apply(x).reduce(0) { $0 + $1.modulus } / (3 * Double(w))
        estimate = max(estimate, e)
    }
    return estimate
}
