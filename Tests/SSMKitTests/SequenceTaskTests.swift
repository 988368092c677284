import ComplexModule
import RealModule
import Testing
@testable import SSMKit

/// Sequence tasks (SequenceTasks.swift): the documented layouts exactly, recall against the delay
/// kernel, the sinusoid's frequency, amplitude and noise level, seeding, bad arguments.
@Suite struct SequenceTaskTests {
    @Test func linearFunctionalTaskIsProcessThenKernel() throws {
        let task = LinearFunctionalTask(process: .powerLaw(alpha: 0.5), kernel: .exponential(tau: 10), L: 64)
        let d = try task.generate(count: 5, seed: 21)
        let x = try InputProcess.powerLaw(alpha: 0.5).generate(count: 5, L: 64, seed: 21)
        #expect(d.inputs == x && d.channels == 1 && d.width == 64 && d.mask.isEmpty)
        #expect(d.targets == (try MemoryKernel.exponential(tau: 10).apply(to: x, count: 5, L: 64, normalized: true)))
        #expect(throws: SSMError.self) { try LinearFunctionalTask(process: .ar1(phi: 2), kernel: .delay(1), L: 8).generate(count: 1, seed: 0) }
    }

    @Test func recallValuesLayout() throws {
        let count = 4, L = 30, M = 3, d = 10
        let task = DelayedRecallTask(L: L, items: .values, length: M, delay: d)
        let data = try task.generate(count: count, seed: 22)
        #expect(data.channels == 2 && data.width == L && !data.isClassification)
        var value = [Double](repeating: 0, count: count * L)
        for r in 0..<count {
            for t in 0..<L {
                let v = data.inputs[(r * L + t) * 2], cue = data.inputs[(r * L + t) * 2 + 1]
                let recall = t >= d && t < d + M
                value[r * L + t] = v
                #expect((v != 0) == (t < M))   // normals are nonzero with probability 1
                #expect(cue == (recall ? 1 : 0))
                #expect(data.mask[r * L + t] == (recall ? 1 : 0))
                #expect(data.targets[r * L + t] == (recall ? data.inputs[(r * L + t - d) * 2] : 0))
            }
        }
        // The targets are the value channel delayed by d (the pure-delay memory kernel), exactly.
        #expect(try MemoryKernel.delay(d).apply(to: value, count: count, L: L) == data.targets)
    }

    @Test func copyingTokensLayout() throws {
        let count = 1000, L = 12, M = 5, K = 4, d = 6
        let data = try DelayedRecallTask(L: L, items: .tokens(K), length: M, delay: d).generate(count: count, seed: 23)
        #expect(data.channels == K + 1 && data.classes == K && data.targets.isEmpty)
        var frequency = [Int](repeating: 0, count: K)
        for r in 0..<count {
            for t in 0..<L {
                let step = Array(data.inputs[((r * L + t) * (K + 1))..<((r * L + t + 1) * (K + 1))])
                let recall = t >= d && t < d + M
                #expect(step[K] == (recall ? 1 : 0))
                if t < M {
                    #expect(step[0..<K].filter { $0 == 1 }.count == 1 && step[0..<K].reduce(0, +) == 1)
                    let token = step.firstIndex(of: 1)!
                    #expect(data.labels[r * L + t + d] == token)
                    frequency[token] += 1
                } else {
                    #expect(step[0..<K].allSatisfy { $0 == 0 })
                }
                if !recall { #expect(data.labels[r * L + t] == -1 && data.mask[r * L + t] == 0) }
            }
        }
        // 5000 tokens, 1250 per class expected (SE ≈ 31): uniform within 5 SE.
        for f in frequency { #expect(abs(f - 1250) < 155, "\(frequency)") }
    }

    @Test func sinusoidHasItsClassFrequencyAndAmplitude() throws {
        let L = 256, omegas = SinusoidClassificationTask.binOmegas(classes: 4, L: L)
        #expect(abs(omegas[2] - 2 * Double.pi * 24 / 256) <= 1e-15)
        // Noise-free (snr 1e30): the DFT peaks at bin 8(k+1) with amplitude 2|X_m|/L = A ∈ [0.7, 1.3].
        let clean = try SinusoidClassificationTask(omegas: omegas, L: L, amplitudeJitter: 0.3, snr: 1e30).generate(count: 200, seed: 24)
        #expect(clean.width == 1 && clean.classes == 4 && Set(clean.labels) == [0, 1, 2, 3])
        var amplitudes: [Double] = []
        for r in 0..<200 {
            let spectrum = try rfft(Array(clean.inputs[(r * L)..<((r + 1) * L)]))
            let peak = spectrum.indices.max { spectrum[$0].length < spectrum[$1].length }!
            #expect(peak == 8 * (clean.labels[r] + 1))
            amplitudes.append(2 * spectrum[peak].length / Double(L))
        }
        #expect(amplitudes.allSatisfy { $0 >= 0.7 - 1e-9 && $0 <= 1.3 + 1e-9 })
        #expect(amplitudes.min()! < 0.75 && amplitudes.max()! > 1.25)   // the jitter is used
    }

    @Test func sinusoidNoiseMatchesTheSNR() throws {
        // snr = 0.5 ⇒ σ² = 1; jitter 0.3 ⇒ E[A²]/2 = (1 + 0.3²/3)/2 = 0.515: Var x = 1.515.
        // SE ≈ 0.01 over 400 × 256 samples; σ = √(1/snr) (Var 2.5) or σ = 1/snr would fail.
        let L = 256, count = 400
        let data = try SinusoidClassificationTask(omegas: SinusoidClassificationTask.binOmegas(classes: 3), L: L,
                                                  amplitudeJitter: 0.3, snr: 0.5).generate(count: count, seed: 25)
        let v = data.inputs.reduce(0) { $0 + $1 * $1 } / Double(count * L)
        #expect(abs(v - 1.515) < 0.05, "Var x = \(v)")
    }

    @Test func tasksAreSeeded() throws {
        let recall = DelayedRecallTask(L: 20, items: .tokens(3), length: 4, delay: 8)
        #expect(try recall.generate(count: 3, seed: 1) == recall.generate(count: 3, seed: 1))
        #expect(try recall.generate(count: 3, seed: 1) != recall.generate(count: 3, seed: 2))
        let sine = SinusoidClassificationTask(omegas: [0.5, 1.0])
        #expect(try sine.generate(count: 3, seed: 1) == sine.generate(count: 3, seed: 1))
        #expect(try sine.generate(count: 3, seed: 1) != sine.generate(count: 3, seed: 2))
    }

    @Test func rejectsBadArguments() throws {
        #expect(throws: SSMError.self) { try DelayedRecallTask(L: 10, length: 0, delay: 3).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try DelayedRecallTask(L: 10, length: 3, delay: 2).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try DelayedRecallTask(L: 10, length: 3, delay: 8).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try DelayedRecallTask(L: 10, items: .tokens(0), delay: 3).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try DelayedRecallTask(L: 10, delay: 3).generate(count: 0, seed: 0) }
        _ = try DelayedRecallTask(L: 10, length: 3, delay: 7).generate(count: 1, seed: 0)   // d + M = L fits
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1]).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1, 1]).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1, .nan]).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1, 2], snr: 0).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1, 2], amplitudeJitter: 1).generate(count: 1, seed: 0) }
        #expect(throws: SSMError.self) { try SinusoidClassificationTask(omegas: [1, 2], L: 0).generate(count: 1, seed: 0) }
    }
}
