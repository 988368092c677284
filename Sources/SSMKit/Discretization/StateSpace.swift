/// A linear time-invariant system ẋ = A x + B u, y = C x + D u (or its discrete counterpart):
/// A n×n, B n×m, C p×n, D p×m. p may be 0 (no output).
public struct StateSpace: Sendable, Equatable {
    public var A: RealMatrix
    public var B: RealMatrix
    public var C: RealMatrix
    public var D: RealMatrix

    public init(A: RealMatrix, B: RealMatrix, C: RealMatrix, D: RealMatrix) {
        self.A = A
        self.B = B
        self.C = C
        self.D = D
    }

    /// Checks the shapes (`.size`, naming the matrix) and that every entry is finite (`.value`,
    /// naming the matrix and the index). Requires n ≥ 1, m ≥ 1, p ≥ 0.
    func validate() throws {
        let n = A.rows, m = B.columns, p = C.rows
        try require(n >= 1 && A.columns == n, .size, "A must be square with n ≥ 1, got \(A.rows)×\(A.columns)")
        try require(B.rows == n && m >= 1, .size, "B must be \(n)×m with m ≥ 1, got \(B.rows)×\(B.columns)")
        try require(C.columns == n || (p == 0 && C.elements.isEmpty), .size, "C must be p×\(n), got \(C.rows)×\(C.columns)")
        try require(D.rows == p && (D.columns == m || (p == 0 && D.elements.isEmpty)), .size,
                    "D must be \(p)×\(m), got \(D.rows)×\(D.columns)")
        try requireFiniteEntries(A, "A")
        try requireFiniteEntries(B, "B")
        try requireFiniteEntries(C, "C")
        try requireFiniteEntries(D, "D")
    }
}
