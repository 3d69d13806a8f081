// libFuzzer runs `fuzz` (also exported as LLVMFuzzerTestOneInput) on its generated inputs.
import FuzzSupport

runFuzzer { data, size in fuzz(data, size) }
