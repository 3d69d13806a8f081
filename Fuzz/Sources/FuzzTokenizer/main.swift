// libFuzzer runs `fuzz` (also exported as LLVMFuzzerTestOneInput) on its generated inputs.
import FuzzSupport

// The vocabularies load before the driver starts, so their seconds do not count against the
// first input's -timeout.
_ = Vocabularies.all
runFuzzer { data, size in fuzz(data, size) }
