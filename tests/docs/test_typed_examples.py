"""The client page's examples, one call of each operation, pass `mypy --strict` as written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_client_pages_examples_of_each_operation_pass_mypy_strict(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "client.md").read_text()
    example = "\n".join(re.findall(r"```python\n(.*?)```", page, re.DOTALL))
    for operation in ("workflows.create", "workflows.list", "workflows.query_ids", "waba.task_details"):
        assert f"client.{operation}(" in example
    assert "client.outbound_tasks.details(" in example and "client.custom_api_node.verify_data_push(" in example
    probe = tmp_path / "client_page_example.py"
    probe.write_text(example)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"), str(probe)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout
