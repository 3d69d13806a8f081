import Strategies

extension SearchTask {
    /// The task's JSON Schema, else its regular expression, compiled for the constrained
    /// strategies; `nil` for a task with neither.
    ///
    /// - Throws: the constraint compilers' errors (a task file's schemas and patterns were
    ///   checked when it was read, so these are rare).
    public func constraint() throws -> CompiledConstraint? {
        if let schema { return try CompiledConstraint(jsonSchema: schema) }
        if let regex { return try CompiledConstraint(regex: regex) }
        return nil
    }
}
