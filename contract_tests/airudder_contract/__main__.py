"""`airudder-contract ...` and `python -m airudder_contract ...`: the contract suite's command line."""

from __future__ import annotations

from airudder.extras import require


def main() -> None:
    """Run the `airudder-contract` command (a clear error when the contract extra is not installed)."""
    require("contract", "airudder-contract")
    from .cli import main as cli

    cli()


if __name__ == "__main__":
    main()
