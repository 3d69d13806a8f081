import CLibFuzzer
import Foundation

/// Runs libFuzzer on `testOneInput` with this process's command line and exits with its status.
///
/// Each target's `main.swift` calls this: SwiftPM on Linux aliases `main` to the target's own
/// entry point, so libFuzzer's `main` never runs and its driver is started from Swift instead.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
