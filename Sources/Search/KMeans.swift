import Decoding

/// Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the advantages
/// of careful seeding", SODA 2007), deterministic under a seed: the same points, `k` and seed
/// give the same centres and assignment on every platform.
public struct KMeans: Sendable {
    /// The cluster centres.
    public var centres: [[Float]]
    /// The cluster of each point.
    public var assignment: [Int]

    /// Clusters `points` (all of one width) into `min(k, points.count)` clusters.
    ///
    /// - Throws: ``SearchError/invalidParameter(name:value:requirement:)`` for `k < 1`, no
    ///   points, or points of different widths.
    /// - Complexity: O(iterations · n · k · d).
    public init(points: [[Float]], k: Int, seed: UInt64, iterations: Int = 25) throws {
        try SearchError.requirePositive(k, "cluster count")
        guard let width = points.first?.count else {
            throw SearchError.invalidParameter(name: "point count", value: "0", requirement: "at least 1")
        }
        if let bad = points.firstIndex(where: { $0.count != width }) {
            throw SearchError.invalidParameter(name: "width of point \(bad)", value: "\(points[bad].count)",
                                               requirement: "\(width) like point 0")
        }
        var generator = Xoshiro256StarStar(seed: seed)
        let k = min(k, points.count)
        // k-means++: the first centre uniformly, then each with probability ∝ D(x)².
        var centres = [points[Int(generator.nextUnitInterval() * Double(points.count))]]
        var nearest = points.map { KMeans.distance($0, centres[0]) }
        while centres.count < k {
            let total = nearest.reduce(0, +)
            var chosen = nearest.lastIndex(where: { $0 > 0 }) ?? 0
            if total > 0 {
                let target = generator.nextUnitInterval() * total
                var cumulative = 0.0
                for (i, d) in nearest.enumerated() where d > 0 {
                    cumulative += d
                    if cumulative > target { chosen = i; break }
                }
            }
            centres.append(points[chosen])
            for i in points.indices { nearest[i] = min(nearest[i], KMeans.distance(points[i], points[chosen])) }
        }
        var assignment = [Int](repeating: 0, count: points.count)
        for _ in 0..<max(iterations, 1) {
            let next = points.map { point in KMeans.closest(point, among: centres) }
            var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: k)
            var counts = [Int](repeating: 0, count: k)
            for (point, cluster) in zip(points, next) {
                counts[cluster] += 1
                for j in 0..<width { sums[cluster][j] += Double(point[j]) }
            }
            for c in 0..<k where counts[c] > 0 {
                centres[c] = sums[c].map { Float($0 / Double(counts[c])) }
            }
            let changed = next != assignment
            assignment = next
            if !changed { break }
        }
        self.centres = centres
        self.assignment = assignment
    }

    /// For each centre in order, the index of the nearest point not already taken (so the
    /// result has `centres.count` distinct indices).
    public func representatives(of points: [[Float]]) -> [Int] {
        var taken = Set<Int>()
        return centres.map { centre in
            var best = -1
            var bestDistance = Double.infinity
            for (i, point) in points.enumerated() where !taken.contains(i) {
                let d = KMeans.distance(point, centre)
                if d < bestDistance { best = i; bestDistance = d }
            }
            taken.insert(best)
            return best
        }
    }

    /// Squared Euclidean distance.
    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        var sum = 0.0
        for i in a.indices {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
        }
        return sum
    }

    static func closest(_ point: [Float], among centres: [[Float]]) -> Int {
        var best = 0
        var bestDistance = Double.infinity
        for (c, centre) in centres.enumerated() {
            let d = distance(point, centre)
            if d < bestDistance { best = c; bestDistance = d }
        }
        return best
    }
}
