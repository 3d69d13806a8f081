// libFuzzer's driver entry point (compiler-rt, `FuzzerInterface.h`), declared here because
// SwiftPM on Linux renames an executable's `main` to `<Target>_main` and defines `main` as an
// alias of it, which hides libFuzzer's own `main`: each target's main.swift calls this instead.
#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`/`argv` on `callback`, libFuzzer's
/// `LLVMFuzzerTestOneInput`; returns the process exit status. Linked from
/// libclang_rt.fuzzer by `-sanitize=fuzzer`.
int LLVMFuzzerRunDriver(int *_Nonnull argc, char *_Nullable *_Nonnull *_Nonnull argv,
                        int (*_Nonnull callback)(const uint8_t *_Nonnull data, size_t size));

#endif
