/// Byte-level rules between parsing and flattening: each rule is a list of alternatives, each
/// alternative a sequence of byte-set terminals and rule references.
struct GrammarIR {
    enum Symbol: Hashable {
        case bytes(Int32)
        case rule(Int32)
    }

    struct Rule {
        var name: String
        /// The user-written rule this one comes from (itself for user rules).
        var owner: String
        var location: GrammarLocation
        var alternatives: [[Symbol]]
    }

    var rules: [Rule] = []
    var byteSets: [ByteSet] = []
    var root: Int32 = 0

    /// Rejects grammars where a rule can reach itself before consuming a byte (through
    /// references preceded only by rules that can match the empty string), since a top-down
    /// recognizer would expand such a rule forever.
    func checkLeftRecursion() throws(GrammarError) {
        var nullable = [Bool](repeating: false, count: rules.count)
        var changed = true
        while changed {
            changed = false
            for (id, rule) in rules.enumerated() where !nullable[id] {
                let canBeEmpty = rule.alternatives.contains { alternative in
                    alternative.allSatisfy { if case .rule(let r) = $0 { nullable[Int(r)] } else { false } }
                }
                if canBeEmpty {
                    nullable[id] = true
                    changed = true
                }
            }
        }
        // Edges: A -> B when B can be the first thing A expands to.
        var edges = [[Int32]](repeating: [], count: rules.count)
        for (id, rule) in rules.enumerated() {
            for alternative in rule.alternatives {
                for symbol in alternative {
                    guard case .rule(let r) = symbol else { break }
                    edges[id].append(r)
                    if !nullable[Int(r)] { break }
                }
            }
        }
        // Iterative depth-first search for a cycle; 0 = unvisited, 1 = on the path, 2 = done.
        var mark = [UInt8](repeating: 0, count: rules.count)
        for start in rules.indices where mark[start] == 0 {
            var path: [(node: Int, next: Int)] = [(start, 0)]
            mark[start] = 1
            while let top = path.last {
                if top.next < edges[top.node].count {
                    path[path.count - 1].next += 1
                    let child = Int(edges[top.node][top.next])
                    if mark[child] == 1 {
                        throw .leftRecursion(rule: rules[child].owner, at: rules[child].location)
                    }
                    if mark[child] == 0 {
                        mark[child] = 1
                        path.append((child, 0))
                    }
                } else {
                    mark[top.node] = 2
                    path.removeLast()
                }
            }
        }
    }
}
