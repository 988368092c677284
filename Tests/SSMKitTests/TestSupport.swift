import ComplexModule
import RealModule
@testable import SSMKit

/// Frobenius norm of a − b divided by the Frobenius norm of b (or absolute if b = 0).
func relativeError(_ a: RealMatrix, _ b: RealMatrix) -> Double {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return relativeError(a.elements, b.elements)
}

func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var d = 0.0, s = 0.0
    for (x, y) in zip(a, b) { d += (x - y) * (x - y); s += y * y }
    return s == 0 ? d.squareRoot() : (d / s).squareRoot()
}

func relativeError(_ a: ComplexMatrix, _ b: ComplexMatrix) -> Double {
    relativeError(a.elements, b.elements)
}

func relativeError(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count)
    var d = 0.0, s = 0.0
    for (x, y) in zip(a, b) { d += (x - y).lengthSquared; s += y.lengthSquared }
    return s == 0 ? d.squareRoot() : (d / s).squareRoot()
}

func scaled(_ a: RealMatrix, _ s: Double) -> RealMatrix {
    RealMatrix(rows: a.rows, columns: a.columns, elements: a.elements.map { $0 * s })
}

/// The SSMError kind thrown by `body`, or nil if it did not throw.
func errorKind(_ body: () throws -> Void) -> SSMError.Kind? {
    do { try body() } catch let e as SSMError { return e.kind } catch { return .internal }
    return nil
}
