import RealModule
import Testing
@testable import SSMKit

/// Optimizers (Optimizer.swift) against their update formulas written out, groups, clipping,
/// schedule, and bad hyperparameters.
@Suite struct OptimizerTests {
    @Test func adamMatchesTheFormulaAndAdamWDecouplesDecay() throws {
        var x = [1.0, -2.0], y = x
        var adam = try Optimizer(count: 2, rule: .adam(), learningRate: 0.1, weightDecay: 0.01)
        var adamW = try Optimizer(count: 2, rule: .adamW(), learningRate: 0.1, weightDecay: 0.01)
        var m = [0.0, 0.0], v = m, ref = x, refW = x, mW = m, vW = m
        for t in 1...5 {
            let g = x.map { 2 * $0 + 0.5 }, gW = y.map { 2 * $0 + 0.5 }
            try adam.update(&x, gradient: g)
            try adamW.update(&y, gradient: gW)
            let gRef = ref.map { 2 * $0 + 0.5 }, gRefW = refW.map { 2 * $0 + 0.5 }
            for k in 0..<2 {
                let gk = gRef[k] + 0.01 * ref[k]
                m[k] = 0.9 * m[k] + 0.1 * gk; v[k] = 0.999 * v[k] + 0.001 * gk * gk
                ref[k] -= 0.1 * (m[k] / (1 - Double.pow(0.9, Double(t)))) / ((v[k] / (1 - Double.pow(0.999, Double(t)))).squareRoot() + 1e-8)
                mW[k] = 0.9 * mW[k] + 0.1 * gRefW[k]; vW[k] = 0.999 * vW[k] + 0.001 * gRefW[k] * gRefW[k]
                refW[k] -= 0.1 * 0.01 * refW[k]
                refW[k] -= 0.1 * (mW[k] / (1 - Double.pow(0.9, Double(t)))) / ((vW[k] / (1 - Double.pow(0.999, Double(t)))).squareRoot() + 1e-8)
            }
        }
        for k in 0..<2 {
            #expect(abs(x[k] - ref[k]) <= 1e-15 * max(1, abs(ref[k])))
            #expect(abs(y[k] - refW[k]) <= 1e-15 * max(1, abs(refW[k])))
        }
        #expect(x != y)
    }

    @Test func sgdMomentumGroupsClippingAndSchedule() throws {
        // Group 0 (entry 0) at lr 0.5 without decay; the rest at lr 0.1 with decay 0.1; clip at norm 1.
        var p = [1.0, 1.0, 1.0]
        var opt = try Optimizer(count: 3, rule: .sgd(momentum: 0.9), learningRate: 0.1, weightDecay: 0.1,
                                groups: [ParameterGroup(range: 0..<1, learningRate: 0.5)], clipNorm: 1)
        let norm = try opt.update(&p, gradient: [3, 0, 4])   // norm 5: clipped to [0.6, 0, 0.8]
        #expect(norm == 5)
        #expect(abs(p[0] - (1 - 0.5 * 0.6)) <= 1e-15 && abs(p[1] - (1 - 0.1 * 0.1)) <= 1e-15 && abs(p[2] - (1 - 0.1 * 0.9)) <= 1e-15)
        try opt.update(&p, gradient: [0, 0, 0])   // momentum carries on: buffer 0.9·0.6
        #expect(abs(p[0] - (0.7 - 0.5 * 0.54)) <= 1e-15)
        let s = LearningRateSchedule(warmup: 4, total: 14, floor: 0.1)
        #expect(s.factor(0) == 0.25 && s.factor(3) == 1 && s.factor(4) == 1)
        #expect(abs(s.factor(9) - (0.1 + 0.9 * 0.5)) <= 1e-15 && abs(s.factor(14) - 0.1) <= 1e-15 && abs(s.factor(99) - 0.1) <= 1e-15)
    }

    @Test func rejectsBadHyperparametersAndNonFiniteGradients() throws {
        #expect(throws: SSMError.self) { try Optimizer(count: 1, rule: .adam(), learningRate: 0) }
        #expect(throws: SSMError.self) { try Optimizer(count: 1, rule: .adam(), learningRate: -1) }
        #expect(throws: SSMError.self) { try Optimizer(count: 1, rule: .adam(), learningRate: .nan) }
        #expect(throws: SSMError.self) { try Optimizer(count: 1, rule: .sgd(momentum: 1), learningRate: 0.1) }
        #expect(throws: SSMError.self) { try Optimizer(count: 2, rule: .adam(), learningRate: 0.1,
                                                         groups: [ParameterGroup(range: 0..<2, learningRate: 1), ParameterGroup(range: 1..<2, learningRate: 1)]) }
        var opt = try Optimizer(count: 1, rule: .adam(), learningRate: 0.1)
        var p = [1.0]
        #expect(throws: SSMError.self) { try opt.update(&p, gradient: [.nan]) }
        #expect(p == [1.0] && opt.step == 0)
    }
}
