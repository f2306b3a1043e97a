"""Contract tests: the spec against the mock server or the live API (schemathesis), and the webhooks."""
