"""The conformance suite's shared step vocabulary, grouped Given / When / Then."""
