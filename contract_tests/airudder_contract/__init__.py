"""airudder_contract: the contract suite of the AIRudder Workflow spec, as the `airudder-contract` command.

Schemathesis sends every operation of the spec, in every phase (examples, coverage, fuzzing, stateful
sequences along the spec's links), to the embedded mock or to a URL of yours (the live API, a gateway, your
own mock), checks every answer against the spec, and writes Markdown and JUnit reports. It also checks a
webhook receiver. Needs `airudder-workflow[contract]`.
"""

from airudder import __version__

__all__ = ["__version__"]
