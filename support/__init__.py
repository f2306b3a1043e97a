"""What the tests and the benchmarks share: helpers of a checkout, never shipped in the wheel."""
