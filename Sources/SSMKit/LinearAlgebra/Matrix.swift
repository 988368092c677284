import ComplexModule
import RealModule

/// A dense row-major matrix: `elements[i * columns + j]` is the entry in row i, column j.
/// `RealMatrix` and `ComplexMatrix` are the two instances the library uses.
public struct Matrix<Element>: Sendable where Element: Sendable {
    public var rows: Int
    public var columns: Int
    public var elements: [Element]

    /// A matrix from its row-major elements; `elements.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, elements: [Element]) {
        precondition(rows >= 0 && columns >= 0 && elements.count == rows * columns,
                     "Matrix: \(elements.count) elements for a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public init(rows: Int, columns: Int, repeating value: Element) {
        self.init(rows: rows, columns: columns, elements: Array(repeating: value, count: rows * columns))
    }

    public subscript(i: Int, j: Int) -> Element {
        get { elements[i * columns + j] }
        set { elements[i * columns + j] = newValue }
    }

    public var isSquare: Bool { rows == columns }
}

extension Matrix: Equatable where Element: Equatable {}

public typealias RealMatrix = Matrix<Double>
public typealias ComplexMatrix = Matrix<Complex<Double>>

extension Matrix where Element: AlgebraicField {
    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n, repeating: .zero)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }
}

extension Matrix where Element == Double {
    /// Promotes a real matrix to a complex one.
    public var complex: ComplexMatrix {
        ComplexMatrix(rows: rows, columns: columns, elements: elements.map { Complex($0, 0) })
    }
}
