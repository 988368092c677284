import Synchronization

// Scratch memory for expm, kept between calls.
//
// expm at N = 256 needs ~4 MB of work buffers. Freshly allocated blocks that size come from mmap
// and are given back on free, so every call paid the kernel's page zeroing again (measured: a
// memset of 3.6 MB took 1.8 ms, as long as three 256×256 gemms). Reusing a few blocks removes that.

private struct ScratchBlock: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let bytes: Int
}

/// Blocks kept for reuse: at most `maxKeptBlocks` (concurrent callers beyond it allocate their own),
/// each at most `maxKeptBytes` (larger ones are freed after use).
private let keptBlocks = Mutex<[ScratchBlock]>([])
private let maxKeptBlocks = 2
private let maxKeptBytes = 128 << 20

/// Runs `body` with uninitialized scratch memory of at least `bytes` bytes, 64-byte aligned.
/// The memory must not escape `body`. Thread-safe.
func withScratch<R>(bytes: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
    let reused = keptBlocks.withLock { blocks -> ScratchBlock? in
        guard let i = blocks.firstIndex(where: { $0.bytes >= bytes }) else { return nil }
        return blocks.remove(at: i)
    }
    let block = reused ?? ScratchBlock(pointer: .allocate(byteCount: max(bytes, 64), alignment: 64), bytes: max(bytes, 64))
    defer {
        let evicted = keptBlocks.withLock { blocks -> ScratchBlock? in
            guard block.bytes <= maxKeptBytes else { return block }
            if blocks.count < maxKeptBlocks { blocks.append(block); return nil }
            // Keep the larger blocks: they serve every smaller request.
            guard let i = blocks.indices.min(by: { blocks[$0].bytes < blocks[$1].bytes }),
                  blocks[i].bytes < block.bytes else { return block }
            let smallest = blocks[i]
            blocks[i] = block
            return smallest
        }
        evicted?.pointer.deallocate()
    }
    return try body(block.pointer)
}
