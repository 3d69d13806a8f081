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

        // Embeddings and the rotation angles of each row.
        let half = c.headDim / 2
        let thetaScale = Float(pow(Double(c.ropeFrequencyBase), -2 / Double(c.headDim)))
        for (r, row) in scratch.rows.enumerated() {
            weights.embedding.copyRow(row.token, into: scratch.residual + r * c.width)
            // θᵢ = position · base^(−2i/d), built by repeated multiplication in Float as ggml does.
            var angle = Float(row.position)
            for i in 0..<half {
                scratch.cosines[r * half + i] = cos(angle)
                scratch.sines[r * half + i] = sin(angle)
                angle *= thetaScale
            }
        }

        for (index, layer) in weights.layers.enumerated() {
            normRows(scratch.residual, weight: layer.attentionNorm, into: scratch.normed, rows: rowCount)
            applyShared(
                scratch.normed, rows: rowCount, pool: pool, workspace: scratch.activations,
                (layer.query, scratch.query), (layer.key, scratch.key), (layer.value, scratch.value))
            for r in 0..<rowCount {
                VectorKernels.rotatePairs(
                    scratch.query + r * c.queryWidth, heads: c.headCount, headDim: c.headDim,
                    cos: scratch.cosines + r * half, sin: scratch.sines + r * half)
                VectorKernels.rotatePairs(
                    scratch.key + r * c.kvWidth, heads: c.kvHeadCount, headDim: c.headDim,
                    cos: scratch.cosines + r * half, sin: scratch.sines + r * half)
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
            VectorKernels.add(scratch.projected, into: scratch.residual, count: rowCount * c.width)

            normRows(scratch.residual, weight: layer.feedForwardNorm, into: scratch.normed, rows: rowCount)
            applyGatedPair(
                scratch.normed, rows: rowCount, pool: pool, workspace: scratch.activations,
                gate: (layer.gate, scratch.gate), up: (layer.up, scratch.up))
            layer.down.apply(scratch.gate, rows: rowCount, into: scratch.projected, pool: pool, workspace: scratch.activations)
            VectorKernels.add(scratch.projected, into: scratch.residual, count: rowCount * c.width)
        }

        let outputs = scratch.outputRows.count
        weights.outputNorm.withUnsafeBufferPointer { norm in
            for (o, r) in scratch.outputRows.enumerated() {
                VectorKernels.rmsNorm(
                    scratch.residual + r * c.width, weight: norm.baseAddress!, epsilon: c.normEpsilon,
                    into: scratch.outputHidden + o * c.width, count: c.width)
            }
        }
        weights.output.apply(scratch.outputHidden, rows: outputs, into: scratch.logits, pool: pool, workspace: scratch.activations)
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
        for cache in scratch.caches {
            scratch.blockStart.append(scratch.blockTable.count)
            for block in cache.blocks { scratch.blockTable.append(block.storage) }
        }
    }

    private func storeKeysAndValues(_ scratch: ForwardScratch, layer: Int) {
        let kvWidth = configuration.kvWidth
        let layout = blockPool.layout
        for (r, row) in scratch.rows.enumerated() where row.persists {
            let block = scratch.blockTable[scratch.blockStart[row.cacheIndex] + row.position / layout.blockSize]
            let slot = row.position % layout.blockSize
            (block + layout.offset(half: 0, layer: layer, slot: slot)).update(from: scratch.key + r * kvWidth, count: kvWidth)
            (block + layout.offset(half: 1, layer: layer, slot: slot)).update(from: scratch.value + r * kvWidth, count: kvWidth)
        }
    }

    /// Scaled dot-product attention of every (row, head) over the row's cached prefix and its
    /// ancestors in the batch, with grouped-query sharing of key/value heads.
    ///
    /// The arithmetic is that of llama.cpp's CPU attention without flash attention (F16 cache,
    /// AVX-512 build), term by term: query·key products summed in sixteen lanes by key-vector
    /// index (``VectorKernels/halfDot(_:_:count:)``); softmax with ggml's `expf` approximation,
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
    /// the query heads that share it. Every score is ``VectorKernels/halfDot(_:_:count:)`` times
    /// the scale, the same operations as one row at a time.
    private func scoreCachedPrefixes(_ scratch: ForwardScratch, layer: Int, rows range: Range<Int>) {
        let c = configuration
        let chunk = Self.keysPerScoreTask
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
            tasks += c.kvHeadCount * ((row.cacheLength + chunk - 1) / chunk)
            scratch.prefixTaskEnd.append(tasks)
            r = next
        }
        scratch.prefixFirst.append(range.upperBound)
        if tasks == 0 { return }

        let layout = blockPool.layout
        let headDim = c.headDim, kvWidth = c.kvWidth, queryWidth = c.queryWidth, headCount = c.headCount
        let groupSize = c.groupSize
        let scale = 1 / Float(headDim).squareRoot()
        let queries = scratch.query, scoreBase = scratch.scores, keyCapacity = scratch.keyCapacity
        let keyOffset = layout.offset(half: 0, layer: layer, slot: 0)
        let blockSize = layout.blockSize
        let base = range.lowerBound
        scratch.blockTable.withUnsafeBufferPointer { table in
            scratch.blockStart.withUnsafeBufferPointer { starts in
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
                                var p = keyChunk * chunk
                                let stop = min(lead.cacheLength, p + chunk)
                                let firstBlock = starts[lead.cacheIndex]
                                let headOffset = g * headDim
                                let heads = (g * groupSize)..<((g + 1) * groupSize)
                                while p < stop {
                                    let block = table[firstBlock + p / blockSize]
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
        let layout = blockPool.layout
        let headDim = c.headDim, kvWidth = c.kvWidth, queryWidth = c.queryWidth
        let scale = 1 / Float(headDim).squareRoot()
        let rows = scratch.rows
        let table = scratch.blockTable, starts = scratch.blockStart
        let keys = scratch.key, values = scratch.value, queries = scratch.query, output = scratch.attention
        let scoreBase = scratch.scores, chainBase = scratch.chains, keyCapacity = scratch.keyCapacity
        let laneBase = scratch.valueLanes
        let valueOffset = layout.offset(half: 1, layer: layer, slot: 0)
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
                        let s = VectorKernels.halfDot(q, keys + chain[d] * kvWidth + headOffset, count: headDim) * scale
                        scores[n] = s
                        n += 1
                    }
                    ck_attention_softmax(Int32(CK_ISA_AVX512), scores, Int64(n))

                    let lanes = laneBase + thread * 16 * headDim
                    lanes.update(repeating: 0, count: 16 * headDim)
                    n = 0
                    p = 0
                    while p < row.cacheLength {
                        let block = table[firstBlock + p / blockSize]
                        let end = min(row.cacheLength, (p / blockSize + 1) * blockSize)
                        ck_attention_value_lanes(
                            Int32(CK_ISA_AVX512),
                            scores + n, block + valueOffset + (p % blockSize) * kvWidth + headOffset, Int64(kvWidth),
                            Int64(end - p), Int64(n), Int64(headDim), lanes)
                        n += end - p; p = end
                    }
                    for d in stride(from: depth - 1, through: 0, by: -1) {
                        VectorKernels.axpy(
                            scores[n], values + chain[d] * kvWidth + headOffset, lanes + (n % 16) * headDim,
                            count: headDim)
                        n += 1
                    }
                    // Lanes by halves: 8 + 8, 4 + 4, 2 + 2, then the last two into the output.
                    var width = 8
                    while width > 1 {
                        for l in 0..<width {
                            VectorKernels.add(lanes + (l + width) * headDim, into: lanes + l * headDim, count: headDim)
                        }
                        width /= 2
                    }
                    let out = output + r * queryWidth + h * headDim
                    for i in 0..<headDim { out[i] = lanes[i] + lanes[headDim + i] }
                }
            }
        }
    }
}
