import Foundation

/// Collects named rules while the JSON Schema compiler works, sharing identical rule bodies and
/// reserving names ahead of their bodies so that recursive `$ref`s can point at them.
struct GrammarBuilder {
    private(set) var order: [String] = []
    private(set) var bodies: [String: GrammarExpression] = [:]
    private var byBody: [GrammarExpression: String] = [:]
    private var used: Set<String> = []
    /// The next counter to try per base name, so that reserving n rules with one hint costs
    /// O(n), not O(n²).
    private var nextCounter: [String: Int] = [:]

    /// A fresh rule name built from `hint` (GBNF names are `[a-zA-Z0-9-]+`).
    mutating func reserve(_ hint: String) -> String {
        var base = String(hint.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) ? c : "-"
        })
        while base.contains("--") { base = base.replacingOccurrences(of: "--", with: "-") }
        base = String(base.trimmingCharacters(in: ["-"]).prefix(40))
        if base.isEmpty { base = "r" }
        var name = base
        var counter = nextCounter[base] ?? 1
        if counter > 1 { name = "\(base)-\(counter)" }
        while used.contains(name) {
            counter += 1
            name = "\(base)-\(counter)"
        }
        nextCounter[base] = counter + 1
        used.insert(name)
        order.append(name)
        return name
    }

    /// Gives a reserved rule its body.
    mutating func define(_ name: String, _ body: GrammarExpression) {
        bodies[name] = body
        if byBody[body] == nil { byBody[body] = name }
    }

    /// A rule for `body`, reusing an existing rule with the same body.
    mutating func rule(_ hint: String, _ body: GrammarExpression) -> GrammarExpression {
        if case .rule = body { return body }
        if let name = byBody[body] { return .rule(name) }
        let name = reserve(hint)
        define(name, body)
        return .rule(name)
    }

    /// Names of the rules that derive at least one finite string.
    /// - Complexity: a worklist over the rules that mention a newly productive one, so linear
    ///   in the grammar's size times the rules' fan-in, never a fixpoint over all rules.
    func productiveRules() -> Set<String> {
        var productive: Set<String> = []
        var users: [String: [String]] = [:]
        var queue: [String] = []
        for name in order {
            guard let body = bodies[name] else { continue }
            for ref in Set(Self.references(body)) { users[ref, default: []].append(name) }
            if Self.isProductive(body, productive) {
                productive.insert(name)
                queue.append(name)
            }
        }
        while let done = queue.popLast() {
            for user in users[done] ?? [] where !productive.contains(user) {
                if let body = bodies[user], Self.isProductive(body, productive) {
                    productive.insert(user)
                    queue.append(user)
                }
            }
        }
        return productive
    }

    static func isProductive(_ e: GrammarExpression, _ productive: Set<String>) -> Bool {
        switch e {
        case .literal: return true
        case .characters(let set): return !set.isEmpty
        case .sequence(let parts): return parts.allSatisfy { isProductive($0, productive) }
        case .choice(let alts): return alts.contains { isProductive($0, productive) }
        case .repetition(let inner, let minimum, _): return minimum == 0 || isProductive(inner, productive)
        case .rule(let name): return productive.contains(name)
        }
    }

    /// The rules reachable from `root`, in order of first definition, as GBNF text.
    func gbnf(root: String) -> String {
        var reachable: Set<String> = [root]
        var stack = [root]
        while let name = stack.popLast() {
            guard let body = bodies[name] else { continue }
            for ref in Self.references(body) where !reachable.contains(ref) {
                reachable.insert(ref)
                stack.append(ref)
            }
        }
        var lines = ["root ::= " + (bodies[root]?.gbnf ?? "\"\"")]
        for name in order where name != root && reachable.contains(name) {
            if let body = bodies[name] { lines.append("\(name) ::= \(body.gbnf)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func references(_ e: GrammarExpression) -> [String] {
        switch e {
        case .literal, .characters: return []
        case .sequence(let parts), .choice(let parts): return parts.flatMap(references)
        case .repetition(let inner, _, _): return references(inner)
        case .rule(let name): return [name]
        }
    }
}

extension GrammarBuilder {
    /// Drops every alternative that needs an unproductive rule, so the printed grammar never
    /// names a rule with no finite string.
    mutating func prune(keeping productive: Set<String>) {
        for name in order {
            guard let body = bodies[name] else { continue }
            bodies[name] = productive.contains(name) ? Self.pruned(body, productive) ?? body : nil
        }
    }

    private static func pruned(_ e: GrammarExpression, _ productive: Set<String>) -> GrammarExpression? {
        switch e {
        case .literal: return e
        case .characters(let set): return set.isEmpty ? nil : e
        case .rule(let name): return productive.contains(name) ? e : nil
        case .sequence(let parts):
            var out: [GrammarExpression] = []
            for part in parts {
                guard let p = pruned(part, productive) else { return nil }
                out.append(p)
            }
            return .sequence(out)
        case .choice(let alternatives):
            let out = alternatives.compactMap { pruned($0, productive) }
            return out.isEmpty ? nil : (out.count == 1 ? out[0] : .choice(out))
        case .repetition(let inner, let minimum, let maximum):
            guard let p = pruned(inner, productive) else { return minimum == 0 ? .empty : nil }
            return .repetition(p, minimum: minimum, maximum: maximum)
        }
    }
}
