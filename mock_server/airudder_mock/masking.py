"""Secrets kept off the console: a webhook target URL as the mock's log shows it.

A target often carries the receiver's secret (`python -m airudder.webhooks` takes it as the path segment before
the kind: `http://127.0.0.1:8080/<secret>/{kind}`), or a token in its query or its user info. The log shows
`<secret>` in their place, as the package's receiver does in the URLs it prints. The admin API (`GET
/_mock/webhooks/deliveries`, `/targets`) still gives each URL whole: it is the test's own data.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import airudder_spec

MASK = "<secret>"
SECRET_LIKE = re.compile(r"^(?=.*[A-Za-z])(?=.*\d).{6,}$|^.{16,}$")
"""A path segment taken for a secret: letters and digits mixed, 6 characters or more, or any of 16 or more
(`airudder`, `hooks`, `v1` stay readable)."""


def masked(url: str) -> str:
    """`url` with its password, its query values and each path segment that looks like a secret (not a webhook
    kind, not `{kind}`) replaced by `<secret>`."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user_info, _, host = netloc.rpartition("@")
        user = user_info.partition(":")[0]
        netloc = f"{user}:{MASK}@{host}" if ":" in user_info else f"{MASK}@{host}"
    kinds = {*airudder_spec.webhook_kinds(), "{kind}"}  # delivery's KIND_PLACEHOLDER (delivery imports this)
    path = "/".join(
        MASK if segment not in kinds and SECRET_LIKE.match(segment) else segment for segment in parts.path.split("/")
    )
    query = urlencode([(key, MASK) for key, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="<>")
    return urlunsplit((parts.scheme, netloc, path, query, parts.fragment))
