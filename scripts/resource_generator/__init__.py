"""The generator of `airudder.Client`'s typed resources and of the typed webhook surface (a dev-only tool).

    scripts/generate-resources --generated generated/airudder_api --out DIR

Three steps, a module each: `read` takes from spec/openapi.yaml what the API has (tags, operations, pagination,
webhooks) and from the generated package (`airudder_api`, parsed, never imported) the Python names and types
openapi-python-client gave each part; `name` turns those into identifiers and annotation sources; `render` fills
the Jinja templates below `templates/` and formats the result with the project's ruff. It writes, below DIR:

- `resources/<tag>.py`: one resource class per spec tag (sync, asyncio, and their `with_raw_response` twins),
  one method per operation, keyword arguments typed from the parameters and the flattened request body, the
  answer's typed `data` returned;
- `resources/__init__.py`: the mixins that put one resource per tag on `Client` and `AsyncClient`;
- `webhooks/_kinds.py`: the webhook kinds as a Literal, and the overloads of `receiver.on()` and `parse()` that
  tie each kind to its payload model.

scripts/regenerate runs this after openapi-python-client; its output lands in overrides/airudder/ and falls
under the same `--check`. The operations that need no token (`security: []`: the token exchange) are the
client's own business (`client.auth`), not a resource's. A method's name is the spec's `x-sdk-name`, or the
operationId without a leading `get_` and without the words of its tag (`get_waba_task_details` in tag `waba` ->
`task_details`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from airudder_spec import read_yaml

from .name import GeneratorError
from .read import Package, read_resources, read_webhooks
from .render import formatted, render

ROOT = Path(__file__).resolve().parent.parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"

__all__ = ["GeneratorError", "main", "write"]


def write(generated: Path, out: Path, spec_path: Path = SPEC) -> list[Path]:
    """Generate into `out` (overrides/airudder's layout below it); the files written."""
    spec = read_yaml(spec_path)
    package = Package(generated)
    written = []
    for relative, source in render(read_resources(spec, package), read_webhooks(spec, package)).items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(formatted(ROOT, relative, source))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/generate-resources", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generated", type=Path, default=ROOT / "generated" / "airudder_api")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--spec", type=Path, default=SPEC)
    args = parser.parse_args(argv)
    try:
        for path in write(args.generated, args.out, args.spec):
            print(path)
    except GeneratorError as exc:
        print(f"generate-resources: {exc}", file=sys.stderr)
        return 1
    return 0
