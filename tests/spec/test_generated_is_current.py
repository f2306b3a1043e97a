"""generated/ is exactly what the pinned generator makes of the spec."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_generated_client_matches_a_fresh_regeneration() -> None:
    result = subprocess.run(
        [sys.executable, ROOT / "scripts" / "regenerate", "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
