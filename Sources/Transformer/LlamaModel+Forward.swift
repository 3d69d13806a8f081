import CKernels
import Foundation

extension LlamaModel {
    /// Runs the decoder over `scratch.rows` against `scratch.caches` and leaves, for every row
    /// listed in `scratch.outputRows` (in that order), the final normed hidden state in
    /// `scratch.outputHidden` and the logits in `scratch.logits`.
    ///
    /// Rows that persist have their keys and values written into their caches, which the caller
    /// has reserved; the caller holds the forward lock.
    func runForward(_ scratch: ForwardScratch) {
        let c = configuration
        let rowCount = scratch.rows.count
        var maxKeys = 0
        for row in scratch.rows {
            var depth = 0
            var j = row.parent
            while j >= 0 { depth += 1; j = scratch.rows[j].parent }
            maxKeys = max(maxKeys, row.cacheLength + depth + 1)
        }
        scratch.reserve(rows: rowCount, outputs: scratch.outputRows.count, keys: maxKeys)
        buildBlockTable(scratch)

        // Embeddings and the rotation angles of each row: the global layers' table, then the
        // sliding-window layers' when the model has them.
        let o = c.options
        let half = c.headDim / 2, rotated = o.rotaryDimensions
        for (r, row) in scratch.rows.enumerated() {
            let embedding = scratch.residual + r * c.width
            weights.embedding.copyRow(row.token, into: embedding)
            if o.embeddingScale != 1 {
                for i in 0..<c.width { embedding[i] *= o.embeddingScale }
            }
            let cosines = scratch.cosines + r * c.headDim, sines = scratch.sines + r * c.headDim
            weights.rotary.fill(position: row.position, cosines: cosines, sines: sines)
            weights.slidingRotary?.fill(position: row.position, cosines: cosines + half, sines: sines + half)
        }

        for (index, layer) in weights.layers.enumerated() {
            normRows(scratch.residual, weight: layer.attentionNorm, into: scratch.normed, rows: rowCount)
            projectQueriesKeysValues(scratch, layer: layer, rows: rowCount)
            let table = o.slides(index) ? half : 0
            for r in 0..<rowCount {
                let cosines = scratch.cosines + r * c.headDim + table, sines = scratch.sines + r * c.headDim + table
                let query = scratch.query + r * c.queryWidth, key = scratch.key + r * c.kvWidth
                switch o.rotaryLayout {
                case .adjacentPairs:
                    VectorKernels.rotatePairs(
                        query, heads: c.headCount, headDim: c.headDim, dimensions: rotated, cos: cosines, sin: sines)
                    VectorKernels.rotatePairs(
                        key, heads: c.kvHeadCount, headDim: c.headDim, dimensions: rotated, cos: cosines, sin: sines)
                case .halves:
                    VectorKernels.rotateHalves(
                        query, heads: c.headCount, headDim: c.headDim, dimensions: rotated, cos: cosines, sin: sines)
                    VectorKernels.rotateHalves(
                        key, heads: c.kvHeadCount, headDim: c.headDim, dimensions: rotated, cos: cosines, sin: sines)
                }
            }
            if o.scalesQueries {
                for i in 0..<(rowCount * c.queryWidth) { scratch.query[i] *= o.attentionScale }
            }
            // llama.cpp keeps keys and values in an F16 cache and multiplies queries by them in
            // F16; the model is sensitive enough to this rounding (logits move by up to ~0.7)
            // that matching it is the difference between agreeing with llama.cpp and not.
            VectorKernels.roundToHalf(scratch.key, count: rowCount * c.kvWidth)
            VectorKernels.roundToHalf(scratch.value, count: rowCount * c.kvWidth)
            VectorKernels.roundToHalf(scratch.query, count: rowCount * c.queryWidth)
            storeKeysAndValues(scratch, layer: index)
            captureKeysAndValues(scratch, layer: index)
            attend(scratch, layer: index)
            layer.attentionOutput.apply(scratch.attention, rows: rowCount, into: scratch.projected, pool: pool, workspace: scratch.activations)
            if let norm = layer.postAttentionNorm {
                normRows(scratch.projected, weight: norm, into: scratch.projected, rows: rowCount)
            }
            VectorKernels.add(scratch.projected, into: scratch.residual, count: rowCount * c.width)

            normRows(scratch.residual, weight: layer.feedForwardNorm, into: scratch.normed, rows: rowCount)
            feedForward(scratch, layer: layer, rows: rowCount)
            layer.down.apply(scratch.gate, rows: rowCount, into: scratch.projected, pool: pool, workspace: scratch.activations)
            if let norm = layer.postFeedForwardNorm {
                normRows(scratch.projected, weight: norm, into: scratch.projected, rows: rowCount)
            }
            VectorKernels.add(scratch.projected, into: scratch.residual, count: rowCount * c.width)
        }

        let outputs = scratch.outputRows.count
        weights.outputNorm.withUnsafeBufferPointer { norm in
            for (out, r) in scratch.outputRows.enumerated() {
                VectorKernels.rmsNorm(
                    scratch.residual + r * c.width, weight: norm.baseAddress!, epsilon: c.normEpsilon,
                    into: scratch.outputHidden + out * c.width, count: c.width)
            }
        }
        weights.output.apply(scratch.outputHidden, rows: outputs, into: scratch.logits, pool: pool, workspace: scratch.activations)
        weights.outputBias?.withUnsafeBufferPointer { bias in
            for out in 0..<outputs {
                VectorKernels.add(bias.baseAddress!, into: scratch.logits + out * c.vocabularySize, count: c.vocabularySize)
            }
        }
        if let softcap = o.finalLogitSoftcap {
            for i in 0..<(outputs * c.vocabularySize) {
                scratch.logits[i] = softcap * tanh(scratch.logits[i] / softcap)
            }
        }
    }

    /// The query, key and value rows of the normed input, with the layer's biases and per-head
    /// norms applied (before RoPE), into `scratch.query`, `.key`, `.value`.
    private func projectQueriesKeysValues(_ scratch: ForwardScratch, layer: LlamaLayerWeights, rows: Int) {
        let c = configuration
        switch layer.projection {
        case .separate(let query, let key, let value):
            applyShared(
                scratch.normed, rows: rows, pool: pool, workspace: scratch.activations,
                (query, scratch.query), (key, scratch.key), (value, scratch.value))
        case .fused(let matrix):
            matrix.apply(scratch.normed, rows: rows, into: scratch.fused, pool: pool, workspace: scratch.activations)
            let stride = c.queryWidth + 2 * c.kvWidth
            for r in 0..<rows {
                let source = scratch.fused + r * stride
                (scratch.query + r * c.queryWidth).update(from: source, count: c.queryWidth)
                (scratch.key + r * c.kvWidth).update(from: source + c.queryWidth, count: c.kvWidth)
                (scratch.value + r * c.kvWidth).update(from: source + c.queryWidth + c.kvWidth, count: c.kvWidth)
            }
        }
        if let bias = layer.projectionBias {
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    VectorKernels.add(b.baseAddress!, into: scratch.query + r * c.queryWidth, count: c.queryWidth)
                    VectorKernels.add(b.baseAddress! + c.queryWidth, into: scratch.key + r * c.kvWidth, count: c.kvWidth)
                    VectorKernels.add(
                        b.baseAddress! + c.queryWidth + c.kvWidth, into: scratch.value + r * c.kvWidth, count: c.kvWidth)
                }
            }
        }
        if let queryNorm = layer.queryNorm, let keyNorm = layer.keyNorm {
            normHeads(scratch.query, weight: queryNorm, heads: rows * c.headCount)
            normHeads(scratch.key, weight: keyNorm, heads: rows * c.kvHeadCount)
        }
    }

    /// RMSNorm of each of `heads` consecutive `headDim`-wide heads, in place.
    private func normHeads(_ x: UnsafeMutablePointer<Float>, weight: [Float], heads: Int) {
        let headDim = configuration.headDim, epsilon = configuration.normEpsilon
        weight.withUnsafeBufferPointer { w in
            for h in 0..<heads {
                VectorKernels.rmsNorm(
                    x + h * headDim, weight: w.baseAddress!, epsilon: epsilon, into: x + h * headDim, count: headDim)
            }
        }
    }

    /// `scratch.gate = act(gate · x) ⊙ (up · x)` for the normed rows, whichever way the layer
    /// stores gate and up.
    private func feedForward(_ scratch: ForwardScratch, layer: LlamaLayerWeights, rows: Int) {
        let width = configuration.feedForwardWidth
        let activation = configuration.options.activation
        switch layer.feedForward {
        case .separate(let gate, let up):
            applyGatedPair(
                scratch.normed, rows: rows, pool: pool, workspace: scratch.activations,
                gate: (gate, scratch.gate), up: (up, scratch.up)
            ) { gate, up, count in
                activate(activation, gate: gate, up: up, count: count)
            }
        case .fused(let gateUp):
            gateUp.apply(scratch.normed, rows: rows, into: scratch.up, pool: pool, workspace: scratch.activations)
            for r in 0..<rows {
                let gate = scratch.gate + r * width, pair = scratch.up + r * 2 * width
                gate.update(from: pair, count: width)
                activate(activation, gate: gate, up: pair + width, count: width)
            }
        }
    }

    private func activate(
        _ activation: ArchitectureOptions.Activation, gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>,
        count: Int
    ) {
        switch activation {
        case .silu: ck_swiglu(Int32(CK_ISA_AVX512), gate, up, Int64(count))
        case .geluTanh: VectorKernels.geglu(gate, up, count: count)
        }
    }

    private func normRows(
        _ x: UnsafeMutablePointer<Float>, weight: [Float], into y: UnsafeMutablePointer<Float>, rows: Int
    ) {
        let width = configuration.width, epsilon = configuration.normEpsilon
        weight.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                VectorKernels.rmsNorm(
                    x + r * width, weight: w.baseAddress!, epsilon: epsilon, into: y + r * width, count: width)
            }
        }
    }

    private func buildBlockTable(_ scratch: ForwardScratch) {
        scratch.blockTable.removeAll(keepingCapacity: true)
        scratch.blockStart.removeAll(keepingCapacity: true)
        scratch.slidingBlockTable.removeAll(keepingCapacity: true)
        scratch.slidingBlockStart.removeAll(keepingCapacity: true)
        for cache in scratch.caches {
            scratch.blockStart.append(scratch.blockTable.count)
            for block in cache.blocks { scratch.blockTable.append(block.storage) }
            scratch.slidingBlockStart.append(scratch.slidingBlockTable.count)
            for block in cache.slidingBlocks { scratch.slidingBlockTable.append(block?.storage) }
        }
    }

    /// The block table, per-cache starts and block layout that hold `layer`'s keys and values,
    /// and the layer's index in that layout.
    private func cacheBlocks(_ scratch: ForwardScratch, layer: Int)
        -> (table: [UnsafeMutablePointer<Float>?], starts: [Int], layout: KVBlockLayout, slot: Int)
    {
        let shape = cacheShape
        if shape.slides[layer], let pool = shape.slidingPool {
            return (scratch.slidingBlockTable, scratch.slidingBlockStart, pool.layout, shape.slots[layer])
        }
        return (scratch.blockTable, scratch.blockStart, shape.pool.layout, shape.slots[layer])
    }

    private func storeKeysAndValues(_ scratch: ForwardScratch, layer: Int) {
        let kvWidth = configuration.kvWidth
        let (table, starts, layout, slot) = cacheBlocks(scratch, layer: layer)
        for (r, row) in scratch.rows.enumerated() where row.persists {
            let block = table[starts[row.cacheIndex] + row.position / layout.blockSize]!
            let position = row.position % layout.blockSize
            (block + layout.offset(half: 0, layer: slot, slot: position)).update(from: scratch.key + r * kvWidth, count: kvWidth)
            (block + layout.offset(half: 1, layer: slot, slot: position)).update(from: scratch.value + r * kvWidth, count: kvWidth)
        }
    }

    /// Scaled dot-product attention of every (row, head) over the row's cached prefix and its
    /// ancestors in the batch, with grouped-query sharing of key/value heads.
    ///
    /// The arithmetic is that of llama.cpp's CPU attention without flash attention (F16 cache,
    /// AVX-512 build), term by term: query·key products summed in sixteen lanes by key-vector
    /// index (`ck_attention_scores`); softmax with ggml's `expf` approximation,
    /// its sum taken over blocks of sixteen keys (each block summed by halves, the blocks
    /// added in Double); probabilities rounded to binary16; values weighted in sixteen lanes by
    /// key position `p mod 16`, the lanes summed by halves. The model's logits move by tenths
    /// under last-bit changes here, so this is what keeps them within llama.cpp's.
    private func attend(_ scratch: ForwardScratch, layer: Int) {
        var first = 0
        while first < scratch.rows.count {
            let end = min(scratch.rows.count, first + ForwardScratch.attentionRows)
            scoreCachedPrefixes(scratch, layer: layer, rows: first..<end)
            attendRows(scratch, layer: layer, rows: first..<end)
            first = end
        }
    }

    /// Cached keys scored per parallel task, in position order.
    private static let keysPerScoreTask = 64

    /// The query·key scores of `rows` against their cached prefixes, into `scratch.scores`.
    ///
    /// Consecutive rows that attend to the same prefix (a tree's nodes, a prefill's chain) are
    /// scored together: each cached key of a key/value head is loaded once for all those rows and
    /// the query heads that share it. Every score is `ck_attention_scores`'s sixteen-lane product times
    /// the scale, the same operations as one row at a time.
    private func scoreCachedPrefixes(_ scratch: ForwardScratch, layer: Int, rows range: Range<Int>) {
        let c = configuration
        let chunk = Self.keysPerScoreTask
        // In a sliding-window layer, rows at or after `cacheLength` see no key before this one.
        let window = c.options.slides(layer) ? c.options.slidingWindow : nil
        let firstKey = { (row: ForwardRow) -> Int in window.map { max(0, row.cacheLength - $0 + 1) } ?? 0 }
        scratch.prefixFirst.removeAll(keepingCapacity: true)
        scratch.prefixTaskEnd.removeAll(keepingCapacity: true)
        var tasks = 0
        var r = range.lowerBound
        while r < range.upperBound {
            let row = scratch.rows[r]
            var next = r + 1
            while next < range.upperBound, scratch.rows[next].cacheIndex == row.cacheIndex,
                scratch.rows[next].cacheLength == row.cacheLength
            {
                next += 1
            }
            scratch.prefixFirst.append(r)
            tasks += c.kvHeadCount * ((row.cacheLength - firstKey(row) + chunk - 1) / chunk)
            scratch.prefixTaskEnd.append(tasks)
            r = next
        }
        scratch.prefixFirst.append(range.upperBound)
        if tasks == 0 { return }

        let (blockTable, blockStart, layout, slot) = cacheBlocks(scratch, layer: layer)
        let headDim = c.headDim, kvWidth = c.kvWidth, queryWidth = c.queryWidth, headCount = c.headCount
        let groupSize = c.groupSize
        let scale = c.options.scalesQueries ? 1 : c.options.attentionScale
        let queries = scratch.query, scoreBase = scratch.scores, keyCapacity = scratch.keyCapacity
        let keyOffset = layout.offset(half: 0, layer: slot, slot: 0)
        let blockSize = layout.blockSize
        let base = range.lowerBound
        blockTable.withUnsafeBufferPointer { table in
            blockStart.withUnsafeBufferPointer { starts in
                scratch.rows.withUnsafeBufferPointer { rows in
                    scratch.prefixFirst.withUnsafeBufferPointer { runFirst in
                        scratch.prefixTaskEnd.withUnsafeBufferPointer { runEnd in
                            pool.parallelFor(tasks) { task, _ in
                                var run = 0
                                while task >= runEnd[run] { run += 1 }
                                let local = task - (run == 0 ? 0 : runEnd[run - 1])
                                let keyChunk = local / c.kvHeadCount
                                let g = local % c.kvHeadCount
                                let lead = rows[runFirst[run]]
                                let rowRange = runFirst[run]..<runFirst[run + 1]
                                var p = firstKey(lead) + keyChunk * chunk
                                let stop = min(lead.cacheLength, p + chunk)
                                let firstBlock = starts[lead.cacheIndex]
                                let headOffset = g * headDim
                                let heads = (g * groupSize)..<((g + 1) * groupSize)
                                while p < stop {
                                    let block = table[firstBlock + p / blockSize]!
                                    let end = min(stop, (p / blockSize + 1) * blockSize)
                                    ck_attention_scores(
                                        Int32(CK_ISA_AVX512),
                                        block + keyOffset + (p % blockSize) * kvWidth + headOffset, Int64(kvWidth),
                                        Int64(end - p), queries + rowRange.lowerBound * queryWidth + heads.lowerBound * headDim,
                                        Int64(rowRange.count), Int64(queryWidth), Int64(groupSize), Int64(headDim),
                                        Int64(headDim), scale,
                                        scoreBase + ((rowRange.lowerBound - base) * headCount + heads.lowerBound) * keyCapacity + p,
                                        Int64(headCount * keyCapacity), Int64(keyCapacity))
                                    p = end
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Softmax and value sums of every (row, head) of `rows`, their cached-prefix scores already
    /// in `scratch.scores`.
    private func attendRows(_ scratch: ForwardScratch, layer: Int, rows range: Range<Int>) {
        let c = configuration
        let (table, starts, layout, slot) = cacheBlocks(scratch, layer: layer)
        let headDim = c.headDim, kvWidth = c.kvWidth, queryWidth = c.queryWidth
        let scale = c.options.scalesQueries ? 1 : c.options.attentionScale
        let window = c.options.slides(layer) ? c.options.slidingWindow : nil
        let rows = scratch.rows
        let keys = scratch.key, values = scratch.value, queries = scratch.query, output = scratch.attention
        let scoreBase = scratch.scores, chainBase = scratch.chains, keyCapacity = scratch.keyCapacity
        let laneBase = scratch.valueLanes
        let valueOffset = layout.offset(half: 1, layer: slot, slot: 0)
        let blockSize = layout.blockSize
        table.withUnsafeBufferPointer { table in
            rows.withUnsafeBufferPointer { rows in
                pool.parallelFor(range.count * c.headCount) { task, thread in
                    let r = range.lowerBound + task / c.headCount, h = task % c.headCount
                    let row = rows[r]
                    let headOffset = (h / c.groupSize) * headDim
                    let q = queries + r * queryWidth + h * headDim
                    let scores = scoreBase + ((r - range.lowerBound) * c.headCount + h) * keyCapacity
                    let firstBlock = starts[row.cacheIndex]
                    var n = row.cacheLength
                    var p = 0
                    // The row's ancestors among the batch, root first, then the row itself: keys
                    // are visited in position order whatever the batch looks like, so a tree, a
                    // prefill and single steps sum the same terms in the same order.
                    let chain = chainBase + thread * keyCapacity
                    var depth = 0
                    var j = r
                    while j >= 0 {
                        chain[depth] = j
                        depth += 1
                        j = rows[j].parent
                    }
                    for d in stride(from: depth - 1, through: 0, by: -1) {
                        ck_attention_scores(
                            Int32(CK_ISA_AVX512), keys + chain[d] * kvWidth + headOffset, Int64(kvWidth), 1, q, 1,
                            Int64(queryWidth), 1, Int64(headDim), Int64(headDim), scale, scores + n, 1, 1)
                        n += 1
                    }
                    // A sliding-window layer masks the keys before `first`, as llama.cpp's mask does:
                    // their scores become −∞ and their probabilities 0, so the sums keep their order.
                    let first = window.map { max(0, row.position - $0 + 1) } ?? 0
                    for masked in 0..<min(first, n) { scores[masked] = -.infinity }
                    ck_attention_softmax(Int32(CK_ISA_AVX512), scores, Int64(n))

                    let lanes = laneBase + thread * 16 * headDim
                    lanes.update(repeating: 0, count: 16 * headDim)
                    n = first
                    p = first
                    while p < row.cacheLength {
                        let block = table[firstBlock + p / blockSize]!
                        let end = min(row.cacheLength, (p / blockSize + 1) * blockSize)
                        ck_attention_value_lanes(
                            Int32(CK_ISA_AVX512),
                            scores + n, block + valueOffset + (p % blockSize) * kvWidth + headOffset, Int64(kvWidth),
                            Int64(end - p), Int64(n), Int64(headDim), lanes)
                        n += end - p; p = end
                    }
                    for d in stride(from: depth - 1, through: 0, by: -1) where row.position - d >= first {
                        n = row.position - d
                        ck_attention_value_lanes(
                            Int32(CK_ISA_AVX512), scores + n, values + chain[d] * kvWidth + headOffset, Int64(kvWidth), 1,
                            Int64(n), Int64(headDim), lanes)
                    }
                    ck_attention_lanes_sum(Int32(CK_ISA_AVX512), lanes, Int64(headDim), output + r * queryWidth + h * headDim)
                }
            }
        }
    }
}
