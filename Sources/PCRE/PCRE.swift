// PCRE: a small Swift wrapper over PCRE2 (8-bit code units) shared by the tokenizer's
// pre-tokenizer and the regex constraint.
