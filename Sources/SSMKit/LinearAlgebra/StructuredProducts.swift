// Products and solves for expm's kernel that run almost entirely in gemm.
//
// OpenBLAS's trsm/getrs reach well under half of gemm's speed with many right-hand sides, and a
// triangular matrix (HiPPO LegS and LagT are lower triangular) wastes 5/6 of a full gemm's flops.
// These routines split the work into blocks: the bulk goes to gemm, only small diagonal blocks to
// trsm. All buffers are row-major with explicit leading dimensions.

/// Which triangle of a square block holds the non-zeros.
enum Triangle: Equatable { case lower, upper }

/// The triangle of the leading n×n block of a row-major n×ld buffer whose other triangle is exactly
/// zero (`nil` for a full block). A diagonal block reports `.lower`.
func triangleOf<S: BLASScalar>(_ x: UnsafePointer<S>, n: Int, ld: Int) -> Triangle? {
    var lower = true, upper = true
    for i in 0..<n {
        let row = x + i * ld
        if lower { for j in (i + 1)..<max(i + 1, n) where row[j] != .zero { lower = false; break } }
        if upper { for j in 0..<i where row[j] != .zero { upper = false; break } }
        if !lower && !upper { return nil }
    }
    return lower ? .lower : .upper
}

/// Block size of the blocked routines: small enough that a triangle wastes little, large enough
/// that each gemm call runs near full speed.
func structuredBlockSize(_ n: Int) -> Int {
    n <= 48 ? n : max(32, min(128, (n / 8 + 7) / 8 * 8))
}

/// out (n×w) = X·Y for tops X, Y (n×w each; only X's leading n×n block is used) whose leading n×n
/// blocks are both `triangle`-triangular. The n×n block of the result is triangular too: only the
/// non-zero block pairs are multiplied (about a third of the flops of one gemm at 8 blocks) and the
/// other triangle is written as exact zeros. The extra columns n..<w are one gemm.
func triangularProduct<S: BLASScalar>(_ triangle: Triangle, n: Int, w: Int,
                                      _ x: UnsafePointer<S>, _ y: UnsafePointer<S>, _ out: UnsafeMutablePointer<S>) {
    let nb = structuredBlockSize(n)
    var r0 = 0
    while r0 < n {
        let rn = min(nb, n - r0)
        var c0 = 0
        while c0 < n {
            let cn = min(nb, n - c0)
            let zero = triangle == .lower ? c0 > r0 : c0 < r0
            if zero {
                for i in r0..<(r0 + rn) { (out + i * w + c0).update(repeating: .zero, count: cn) }
            } else {
                // Lower: C[I,J] = X[I, J…I]·Y[J…I, J]; upper: C[I,J] = X[I, I…J]·Y[I…J, J].
                let k0 = triangle == .lower ? c0 : r0, k1 = triangle == .lower ? r0 + rn : c0 + cn
                S.gemm(rn, cn, k1 - k0, alpha: 1, x + r0 * w + k0, w, y + k0 * w + c0, w, beta: 0, out + r0 * w + c0, w)
            }
            c0 += cn
        }
        r0 += rn
    }
    if w > n { S.gemm(n, w - n, n, alpha: 1, x, w, y + n, w, beta: 0, out + n, w) }
}

/// Solves T X = B in place of B (n×cols, ldb) for a triangular T (n×n, ldt; only its `triangle`
/// is read, its diagonal taken as ones when `unitDiagonal`), by block substitution: the off-diagonal
/// updates are gemm calls, the diagonal blocks small trsm calls.
///
/// With `triangularRHS`, B's leading n×n block has T's triangle (so X's has too): the updates then
/// skip the zero columns. Columns n..<cols are always treated as full.
func blockedTriangularSolve<S: BLASScalar>(_ triangle: Triangle, unitDiagonal: Bool, triangularRHS: Bool,
                                           n: Int, cols: Int, _ t: UnsafePointer<S>, _ ldt: Int,
                                           _ b: UnsafeMutablePointer<S>, _ ldb: Int) {
    let nb = structuredBlockSize(n)
    let blocks = stride(from: 0, to: n, by: nb).map { ($0, min(nb, n - $0)) }
    let lower = triangle == .lower
    for (r0, rn) in lower ? blocks : blocks.reversed() {
        let e = r0 + rn
        // The rows already solved, and the columns of B that can be non-zero in them / in this block.
        let solved = lower ? 0..<r0 : e..<n
        let updateColumns: [Range<Int>], solveColumns: [Range<Int>]
        if triangularRHS {
            updateColumns = [lower ? 0..<r0 : e..<n, n..<cols]
            solveColumns = [lower ? 0..<e : r0..<n, n..<cols]
        } else {
            updateColumns = [0..<cols]; solveColumns = [0..<cols]
        }
        if !solved.isEmpty {
            for c in updateColumns where !c.isEmpty {
                S.gemm(rn, c.count, solved.count, alpha: -1, t + r0 * ldt + solved.lowerBound, ldt,
                       b + solved.lowerBound * ldb + c.lowerBound, ldb, beta: 1, b + r0 * ldb + c.lowerBound, ldb)
            }
        }
        for c in solveColumns where !c.isEmpty {
            S.trsm(lower: lower, transpose: false, unitDiagonal: unitDiagonal, rn, c.count,
                   t + r0 * ldt + r0, ldt, b + r0 * ldb + c.lowerBound, ldb)
        }
    }
}

/// Solves Q X = B in place of B (n×cols, ldb) for a general Q (n×n, row-major, ldq), which is
/// overwritten by its LU factors. getrf factors the column-major view Qᵀ = P·L·U, so Q = Uᵀ·Lᵀ·Pᵀ
/// and X = P·(Lᵀ)⁻¹·(Uᵀ)⁻¹·B: two block substitutions on the row-major view of the factors (Uᵀ is
/// its lower triangle, Lᵀ its unit upper triangle) and the row interchanges in reverse order.
/// Returns getrf's info (non-zero: Q is singular, B is unchanged).
func luSolveInPlace<S: BLASScalar>(n: Int, cols: Int, _ q: UnsafeMutablePointer<S>, _ ldq: Int,
                                   _ b: UnsafeMutablePointer<S>, _ ldb: Int) -> Int32 {
    var ipiv = [Int32](repeating: 0, count: n)
    let info = ipiv.withUnsafeMutableBufferPointer { S.getrf(n, q, ldq, $0.baseAddress!) }
    if info != 0 { return info }
    blockedTriangularSolve(.lower, unitDiagonal: false, triangularRHS: false, n: n, cols: cols, q, ldq, b, ldb)
    blockedTriangularSolve(.upper, unitDiagonal: true, triangularRHS: false, n: n, cols: cols, q, ldq, b, ldb)
    for i in stride(from: n - 1, through: 0, by: -1) {
        let p = Int(ipiv[i]) - 1
        if p != i { swapRows(b + i * ldb, b + p * ldb, cols) }
    }
    return 0
}

private func swapRows<S>(_ a: UnsafeMutablePointer<S>, _ b: UnsafeMutablePointer<S>, _ count: Int) {
    for k in 0..<count { let t = a[k]; a[k] = b[k]; b[k] = t }
}
