"""docs/testing.md shows what issue 18 asks of it; `scripts/docs --examples` (tests/docs/examples.py) runs each of
its examples as written (the test files its blocks write, with the pytest commands after them)."""

from __future__ import annotations

import re
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def block(title: str) -> str:
    [found] = re.findall(rf'```\w+ title="{re.escape(title)}"\n(.*?)```', PAGE.read_text(), re.S)
    return str(found)


def test_the_page_shows_the_magic_numbers_a_scenario_and_a_configured_fixture() -> None:
    page = PAGE.read_text()
    assert "| `+15550000005` | busy, busy, then answered on the second redial |" in page
    scenario = block("scenario.yaml")
    assert "calls: [busy, busy, answered]" in scenario and "waba: failed" in scenario  # busy twice; a WABA fails
    assert "twice: true" in scenario and "out_of_order: true" in scenario  # a webhook twice and out of order
    assert "pytestmark = pytest.mark.airudder_mock(" in block("test_scenario.py")
    assert "def airudder_mock_config()" in block("test_config.py")
    assert "airudder_mock.advance(3600)\n    assert db.execute(" in block("test_my_table.py")  # right after
    for run in ("python -m pytest -q -p no:randomly test_my_table.py", "test_scenario.py test_config.py"):
        assert run in page  # and the page runs them
