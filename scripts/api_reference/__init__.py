"""The AIRudder API reference of the docs site, rendered from `airudder_spec`'s loaded document at every build.

`read` walks the spec's operations and webhooks, each element with its provenance grade and reason; `render`
fills the Jinja templates below `templates/`; `hook` is the mkdocs hook (mkdocs.yml `hooks:`) that adds the
page to the site as `reference/airudder-api.md`.
"""

from __future__ import annotations

import airudder_spec

from .read import Reader
from .render import page

PAGE = "reference/airudder-api.md"


def markdown() -> str:
    reader = Reader(airudder_spec.load())
    return page(reader.operations(), reader.webhooks(), reader.ledger())
