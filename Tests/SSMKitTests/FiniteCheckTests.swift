import Testing
@testable import SSMKit

/// The finiteness check (FiniteCheck.swift), small and split across threads.
@Suite struct FiniteCheckTests {
    @Test(arguments: [0, 1, 17, 1000, 300_000, 1_000_003])
    func findsTheFirstBadEntry(count: Int) {
        var x = (0..<count).map { Double($0 % 7) - 3 }
        #expect(x.withUnsafeBufferPointer { firstNonFinite($0) } == nil)
        guard count > 0 else { return }
        for (bad, value) in [(count - 1, Double.nan), (count / 2, .infinity), (count / 3, -.infinity)] {
            x[bad] = value
            #expect(x.withUnsafeBufferPointer { firstNonFinite($0) } == bad)
        }
    }
}
