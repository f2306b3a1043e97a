"""`airudder-mock ...` and `python -m airudder_mock ...`: the mock server's command line."""

from __future__ import annotations

from airudder.extras import require


def main() -> None:
    """Run the `airudder-mock` command (a clear error when the mock extra is not installed)."""
    require("mock", "airudder-mock")
    from .cli import main as cli

    cli()


if __name__ == "__main__":
    main()
