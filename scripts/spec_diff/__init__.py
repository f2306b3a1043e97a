"""`scripts/spec-diff`: what a change of spec/openapi.yaml does to the people who use the client.

Dev-only, like scripts/resource_generator. It reads two versions of the spec with airudder_spec's reader
(`revisions`), compares them with one rule per kind of change (`rules`: operations, parameters, request bodies,
answers, webhooks and their payloads, enums, provenance), and prints the changes classified as breaking for
callers, breaking for webhook handlers or compatible, the provenance changes apart, the version bump they need
and CHANGELOG lines (`report`). `--check` is the gate scripts/test runs: a breaking change needs the version in
pyproject.toml bumped from BASE's and an entry in the CHANGELOG's Unreleased section.
"""

from .cli import main

__all__ = ["main"]
