// DecodingTestSupport module.
