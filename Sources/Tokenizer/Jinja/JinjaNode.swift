/// A Jinja expression, as parsed (Jinja2's `nodes.Expr` subset that chat templates use).
indirect enum JinjaExpression: Sendable {
    /// A constant: `'text'`, `42`, `1.5`, `true`, `none`.
    case constant(JinjaConstant)
    /// A variable: `messages`.
    case name(String, line: Int)
    /// `[a, b]`.
    case list([JinjaExpression])
    /// `(a, b)` or `a, b` where a tuple is allowed; evaluates to a list.
    case tuple([JinjaExpression])
    /// `{'k': v}`.
    case dict([(key: JinjaExpression, value: JinjaExpression)])
    /// `value.name`.
    case attribute(JinjaExpression, String, line: Int)
    /// `value[index]`.
    case index(JinjaExpression, JinjaExpression, line: Int)
    /// `value[start:stop:step]`, any part optional.
    case slice(JinjaExpression, start: JinjaExpression?, stop: JinjaExpression?, step: JinjaExpression?, line: Int)
    /// `callee(args, name=value)`.
    case call(JinjaExpression, JinjaArguments, line: Int)
    /// `value | name(args)`.
    case filter(JinjaExpression, String, JinjaArguments, line: Int)
    /// `value is [not] name(args)`.
    case test(JinjaExpression, String, JinjaArguments, negated: Bool, line: Int)
    /// `not x`, `-x`, `+x`.
    case unary(String, JinjaExpression, line: Int)
    /// `a OP b` for arithmetic, `~`, comparisons, `in`, `not in`, `and`, `or`.
    case binary(String, JinjaExpression, JinjaExpression, line: Int)
    /// `a if condition else b` (`else` optional: undefined).
    case conditional(JinjaExpression, condition: JinjaExpression, otherwise: JinjaExpression?)
}

/// A literal in template source.
enum JinjaConstant: Sendable {
    case none
    case boolean(Bool)
    case integer(Int)
    case float(Double)
    case string(String)
}

/// The arguments of a call, filter or test: positional, then `name=value`.
struct JinjaArguments: Sendable {
    var positional: [JinjaExpression] = []
    var named: [(name: String, value: JinjaExpression)] = []
}

/// What `{% set %}` assigns to.
enum JinjaAssignmentTarget: Sendable {
    /// `set x = …` or `set a, b = …`.
    case names([String])
    /// `set ns.attribute = …` on a `namespace()`.
    case attribute(String, String)
}

/// A statement or output of a Jinja template.
indirect enum JinjaNode: Sendable {
    /// Literal text, with the line it starts on.
    case text(String, line: Int)
    /// `{{ expression }}`, with the line of its `{{`.
    case output(JinjaExpression, line: Int)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`.
    case conditional(branches: [(condition: JinjaExpression, body: [JinjaNode])], otherwise: [JinjaNode])
    /// `{% for targets in iterable [if filter] %}body{% else %}otherwise{% endfor %}`.
    case loop(targets: [String], iterable: JinjaExpression, filter: JinjaExpression?, body: [JinjaNode],
              otherwise: [JinjaNode], line: Int)
    /// `{% set target = value %}`.
    case assignment(JinjaAssignmentTarget, JinjaExpression, line: Int)
    /// `{% set name %}body{% endset %}`.
    case blockAssignment(String, body: [JinjaNode])
    /// `{% macro name(parameters) %}body{% endmacro %}`.
    case macro(JinjaMacroDefinition)
    /// `{% filter name(args) %}body{% endfilter %}`.
    case filterBlock(String, JinjaArguments, body: [JinjaNode], line: Int)
    /// `{% break %}` (the loopcontrols extension HF enables).
    case breakLoop
    /// `{% continue %}`.
    case continueLoop
}

/// A macro's name, parameters (with default values) and body.
struct JinjaMacroDefinition: Sendable {
    let name: String
    let parameters: [(name: String, defaultValue: JinjaExpression?)]
    let body: [JinjaNode]
}
