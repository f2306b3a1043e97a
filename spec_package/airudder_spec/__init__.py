"""airudder_spec: the AIRudder Workflow OpenAPI spec as a package, the leaf every other part reads it through.

It loads spec/openapi.yaml once, indexes its operations by operationId and by route (with their `x-`
extensions), resolves every `$ref` in one registry, compiles validators against it, and names each webhook's
payload schema. It also holds what the spec's wire format implies for everyone: the strict JSON decoder and the
`{data, status, code}` envelope. The client (`airudder`), the mock (`airudder_mock`) and the contract suite
import it; it imports none of them.
"""

from __future__ import annotations

from .document import (
    at,
    load,
    locate,
    read_yaml,
    registry,
    resolve,
    schema,
    schema_name,
    spec_path,
    validator,
    validator_at,
)
from .envelope import Problem, answer, error
from .operations import (
    HTTP_METHODS,
    Operation,
    Parameter,
    operations,
    response_key,
    response_schema,
    response_validator,
    routes,
)
from .schemas import SPEC_URI, Schemas, pointer
from .strict_json import JSONProblem, decode, unstorable
from .webhooks import (
    webhook_answer_schema,
    webhook_answer_validator,
    webhook_kinds,
    webhook_model_name,
    webhook_schema,
    webhook_schemas,
    webhook_validator,
)

__all__ = [
    "HTTP_METHODS",
    "SPEC_URI",
    "JSONProblem",
    "Operation",
    "Parameter",
    "Problem",
    "Schemas",
    "answer",
    "at",
    "decode",
    "error",
    "load",
    "locate",
    "operations",
    "pointer",
    "read_yaml",
    "registry",
    "resolve",
    "response_key",
    "response_schema",
    "response_validator",
    "routes",
    "schema",
    "schema_name",
    "spec_path",
    "unstorable",
    "validator",
    "validator_at",
    "webhook_answer_schema",
    "webhook_answer_validator",
    "webhook_kinds",
    "webhook_model_name",
    "webhook_schema",
    "webhook_schemas",
    "webhook_validator",
]
