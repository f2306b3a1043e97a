"""The upstream a proxy may forward to: https, or plain http only to this machine (loopback)."""

from __future__ import annotations

import ipaddress

import httpx

LOOPBACK_NAMES = ("localhost", "localhost.")


class UnsafeUpstream(ValueError):
    """An upstream URL the proxy refuses: traffic carries tokens and personal data, so it never leaves the machine
    in clear text."""


def check_upstream(url: str) -> httpx.URL:
    """The upstream URL, or UnsafeUpstream naming why not (not http(s), no host, or http to another machine)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UnsafeUpstream(f"{url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UnsafeUpstream(f"{url!r}: give an https:// URL (or http:// to a loopback address)")
    if parsed.userinfo:
        raise UnsafeUpstream("the upstream URL must not carry credentials (the app's requests carry their own)")
    if parsed.scheme == "http" and not is_loopback(parsed.host):
        raise UnsafeUpstream(
            f"refusing plain http to {parsed.host}: tokens and phone numbers would cross the network unencrypted; "
            "use https (plain http is allowed only to a loopback address such as 127.0.0.1)"
        )
    return parsed


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
