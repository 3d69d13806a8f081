/// Stops the fuzzer with `message` when `condition` is false: an oracle failure.
///
/// `precondition` drops its message in release builds (the fuzz targets are built with `-O`);
/// `fatalError` prints it, so the crash report says what was wrong.
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// Stops the fuzzer with `message`: an oracle failure (see ``check(_:_:file:line:)``).
public func fail(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
