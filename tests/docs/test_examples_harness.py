"""The examples harness (tests/docs/examples.py) on pages made here: blocks run in order and share what they set,
a failing block fails, a skip must say why and is counted with its reason, an untagged block is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# as scripts/docs --examples runs them: in a network namespace of their own, where 8765 is free
PRIVATE_NETWORK = ["unshare", "--net", "--map-root-user", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]
if subprocess.run([*PRIVATE_NETWORK, "true"], capture_output=True).returncode != 0:
    PRIVATE_NETWORK = []


def run_pages(tmp_path: Path, **pages: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# nothing to run\n")
    for name, text in pages.items():
        (tmp_path / "docs" / f"{name}.md").write_text(text)
    env = {**os.environ, "AIRUDDER_DOCS_ROOT": str(tmp_path)}
    return subprocess.run(
        [*PRIVATE_NETWORK, sys.executable, "-m", "pytest", "-p", "tests.docs.examples", "-p", "no:cacheprovider", "-q",
         str(tmp_path / "README.md"), str(tmp_path / "docs")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip


OWN = "<!-- examples: own-mock -->\n\n"


def test_blocks_share_the_shell_and_python_in_order_and_the_count_is_printed(tmp_path: Path) -> None:
    page = OWN + (
        "```sh\nexport GREETING=hello\ncd sub 2>/dev/null || mkdir sub\necho made > made.txt\n```\n\n"
        "```python\nimport os\nfrom pathlib import Path\n\nassert os.environ['GREETING'] == 'hello'\n"
        "assert Path('made.txt').read_text() == 'made\\n'\nvalue = 41\n```\n\n"
        '```python title="check_value.py"\nprint("from a file")\n```\n\n'
        "```python\nassert value + 1 == 42\n```\n\n"
        "```console\n$ python check_value.py\nfrom a file\n```\n\n"
        "```sh\nprintf 'an answer without a newline at its end'\n```\n"
    )
    result = run_pages(tmp_path, page=page)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs examples: 6 blocks ran, 0 failed, 0 skipped" in result.stdout  # a file written counts


def test_a_failing_block_fails_and_says_where(tmp_path: Path) -> None:
    result = run_pages(tmp_path, page=OWN + "```sh\necho before\nfalse\necho after\n```\n")
    assert result.returncode == 1
    assert (
        "page.md:3: the block failed (exit 1)" in result.stdout
        and "docs examples: 0 blocks ran, 1 failed" in result.stdout
    )


def test_a_skip_is_counted_with_its_reason(tmp_path: Path) -> None:
    page = OWN + '<!-- skip: next "needs the live API" -->\n```python\nraise SystemExit(1)\n```\n'
    result = run_pages(tmp_path, page=page)
    assert result.returncode == 0, result.stdout
    assert "0 blocks ran, 0 failed, 1 skipped" in result.stdout and "page.md:4: needs the live API" in result.stdout


def test_a_skip_without_a_reason_and_an_untagged_block_are_refused(tmp_path: Path) -> None:
    result = run_pages(tmp_path, bare=OWN + "<!-- skip: next -->\n```python\npass\n```\n", untagged="```\nx\n```\n")
    assert result.returncode != 0
    assert "`skip: next` needs a reason" in result.stdout and "a fenced block without a language" in result.stdout


def test_a_page_gets_the_quick_starts_mock_unless_it_starts_its_own(tmp_path: Path) -> None:
    page = (
        "```python\nimport airudder\n\nwith airudder.Client() as client:\n"
        "    end = '2030-12-31 23:59:59+07:00'\n"
        "    created = client.workflows.create(workflow_template_id=1, name='n', end_time=end)\n"
        "    assert [t.workflow_id for t in client.workflows.list()] == [created.workflow_id]\n```\n"
    )
    result = run_pages(tmp_path, page=page)
    assert result.returncode == 0, result.stdout + result.stderr
