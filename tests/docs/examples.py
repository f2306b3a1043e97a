"""Every code block of README.md and docs/ runs, in order, as written, against the mock: a pytest plugin built on
Sybil (`scripts/docs --examples` loads it with `-p tests.docs.examples`).

- Each page is one session, as a reader's terminal and Python prompt would be: its `sh`/`bash`/`console` blocks run
  in one bash process (what one block exports or starts in the background, the next has), its `python` blocks in
  one namespace, in the page's own empty working folder; what a shell block exports reaches the Python blocks after
  it. A background job a block starts (`airudder-mock serve &`) is waited for, as a reader would wait, until it
  listens on a port or exits; it is stopped with the page.
- Before a page's first block, `airudder-mock serve` runs on 127.0.0.1:8765 with the quick start's environment
  exported (AIRUDDER_BASE_URL, AIRUDDER_APP_KEY, AIRUDDER_APP_SECRET), unless the page says
  `<!-- examples: own-mock -->` (it starts one itself, as the quick start does).
- A Python block with a title (```` ```python title="test_hooks.py" ````) is a file: it is written to that name
  (so is a titled block of any other language, ```` ```yaml title="scenario.yaml" ````)
  in the page's folder, for a later block to run (`python -m pytest test_hooks.py`).
- `<!-- skip: next "why" -->` skips the next block, `<!-- skip: start "why" -->` ... `<!-- skip: end -->` the blocks
  between; the reason is required, and is printed with the count of blocks run and skipped.
- A fenced block with no language fails the run: name it (`text` for output, a diagram, ...).

Run inside a private network namespace (`scripts/docs --examples` makes one), so 8765 and the ports the pages name
are free whatever else the machine runs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sybil import Document, Example, Lexeme, Region, Sybil
from sybil.parsers.markdown import SkipParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[2]
SESSION = "__docs_session__"
SHELLS = {"sh", "bash", "shell", "console"}
OWN_MOCK = "<!-- examples: own-mock -->"
MOCK_ENV = {
    "AIRUDDER_BASE_URL": "http://127.0.0.1:8765",
    "AIRUDDER_APP_KEY": "mock-app-key",
    "AIRUDDER_APP_SECRET": "mock-app-secret",
}
BLOCK_SECONDS = 300  # one block, however slow the machine
LISTEN_SECONDS = 120  # a background server coming up on a loaded machine
INFO = re.compile(r"(?P<language>[\w+-]*)(?P<attributes>.*)")
TITLE = re.compile(r'title="(?P<title>[^"]+)"')


class ReasonedSkipParser(SkipParser):
    """Sybil's `skip` directive, with a reason required: a skipped block says why."""

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            action, reason = region.parsed
            if action in ("next", "start") and not (reason and reason.strip().startswith(('"', "'"))):
                line = document.text.count("\n", 0, region.start) + 1
                raise ValueError(f'{document.path}:{line}: `skip: {action}` needs a reason: skip: {action} "why"')
            yield region


@dataclass
class Block:
    language: str
    title: str | None
    source: Lexeme  # the block's text, knowing its line in the page


class CodeBlockParser:
    """Every fenced block: python and shell ones become examples; one without a language is an error."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language=r"[^\n]*", mapping={"language": "info", "source": "source"})

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in self.lexer(document):
            info = INFO.fullmatch(region.lexemes["info"].strip())
            assert info is not None
            language = info["language"]
            if not language:
                line = document.text.count("\n", 0, region.start) + 1
                raise ValueError(f"{document.path}:{line}: a fenced block without a language (use `text` for output)")
            title = TITLE.search(info["attributes"])
            if language not in SHELLS and language != "python" and not title:
                continue  # output, a diagram; a titled block of any language is a file (a scenario.yaml, say)
            region.parsed = Block(language, title["title"] if title else None, region.lexemes["source"])
            region.evaluator = evaluate
            yield region


def evaluate(example: Example) -> None:
    __tracebackhide__ = True
    session = Session.of(example)
    block: Block = example.parsed
    if block.language in SHELLS:
        session.shell(block, example)
    elif block.title:
        (session.folder / block.title).write_text(block.source)
    else:
        session.python(block, example)


@dataclass
class Session:
    """One page's terminal and Python prompt."""

    path: Path
    folder: Path = field(init=False)
    saved_environ: dict[str, str] = field(init=False)
    saved_cwd: str = field(init=False)
    bash: subprocess.Popen[bytes] | None = None
    mock: subprocess.Popen[bytes] | None = None
    output: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    blocks: int = 0

    @classmethod
    def of(cls, example: Example) -> Session:
        namespace = example.namespace
        if SESSION not in namespace:
            session = cls(Path(example.path))
            namespace[SESSION] = session
            namespace["__name__"] = "__main__"
            session.start(example.document.text)
        return namespace[SESSION]  # type: ignore[no-any-return]

    def __post_init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=f"docs-{self.path.stem}-"))
        self.saved_environ = dict(os.environ)
        self.saved_cwd = os.getcwd()

    def start(self, text: str) -> None:
        os.chdir(self.folder)
        if OWN_MOCK not in text:
            self.mock = subprocess.Popen(
                [str(Path(sys.executable).with_name("airudder-mock")), "serve", "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=self.folder,
                start_new_session=True,
            )
            wait_until_listening(self.mock.pid, f"{self.path.name}: airudder-mock serve")
            os.environ.update(MOCK_ENV)

    # the shell

    def shell(self, block: Block, example: Example) -> None:
        __tracebackhide__ = True
        if self.bash is None:
            self.bash = subprocess.Popen(
                ["bash", "--noprofile", "--norc"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                env=dict(os.environ),
                start_new_session=True,
            )
            threading.Thread(target=self._read, daemon=True).start()
        self.blocks += 1
        script = self.folder / f".block-{self.blocks}.sh"
        environ = self.folder / f".block-{self.blocks}.env"
        script.write_text(commands(block))
        done = f"__block_{self.blocks}_done__"
        before = background_jobs(self.bash.pid)
        start = len(self.output)
        assert self.bash.stdin is not None
        # errexit as a reader sees it: a failing command ends the block (and this page's shell)
        self.bash.stdin.write(
            f"set -e; . {shlex.quote(str(script))} </dev/null; set +e;"
            f" env -0 > {shlex.quote(str(environ))}; printf '\\n%s\\n' {done}\n".encode()  # output may end mid-line
        )
        self.bash.stdin.flush()
        deadline = time.monotonic() + BLOCK_SECONDS
        with self.changed:
            while not any(line.strip() == done for line in self.output[start:]):
                if self.bash.poll() is not None:
                    output = "".join(self.output[start:])
                    raise AssertionError(
                        f"{self.path.name}:{example.line}: the block failed (exit {self.bash.returncode}):\n"
                        f"{block.source}\n--- output ---\n{output}"
                    )
                assert time.monotonic() < deadline, f"{self.path.name}:{example.line}: still running after"
                self.changed.wait(0.5)
        for pid in background_jobs(self.bash.pid) - before:
            wait_until_listening(pid, f"{self.path.name}:{example.line}: a background job")
        os.environ.clear()
        os.environ.update(dict(entry.split("=", 1) for entry in environ.read_text().split("\0") if "=" in entry))
        os.chdir(self.folder)

    def _read(self) -> None:
        assert self.bash is not None and self.bash.stdout is not None
        for line in iter(self.bash.stdout.readline, b""):
            with self.changed:
                self.output.append(line.decode(errors="replace"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    # Python

    def python(self, block: Block, example: Example) -> None:
        __tracebackhide__ = True
        source = "\n" * (example.line + block.source.line_offset) + block.source  # tracebacks name the page's lines
        exec(compile(source, example.path, "exec", dont_inherit=True), example.namespace)

    def close(self) -> None:
        for process in (self.bash, self.mock):
            if process is not None and process.poll() is None:
                stop_group(process)
        if self.bash is not None:  # what the page left in the background (`airudder-mock serve &`)
            for pid in descendants(self.bash.pid):
                stop_pid(pid)
        os.chdir(self.saved_cwd)
        os.environ.clear()
        os.environ.update(self.saved_environ)
        shutil.rmtree(self.folder, ignore_errors=True)


def commands(block: Block) -> str:
    """A shell block's commands: a console block's are its `$ ` lines (and their continuations)."""
    if block.language != "console":
        return block.source
    lines: list[str] = []
    continued = False
    for line in block.source.splitlines():
        if line.startswith("$ ") or continued:
            lines.append(line[2:] if line.startswith("$ ") and not continued else line)
            continued = line.endswith("\\")
    return "\n".join(lines) + "\n"


def children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def background_jobs(shell: int) -> set[int]:
    return set(children().get(shell, []))


def listening_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                columns = line.split()
                if columns[3] == "0A":  # LISTEN
                    inodes.add(columns[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    found = set()
    for process in {pid, *descendants(pid)}:
        try:
            for fd in Path(f"/proc/{process}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    found.add(target[8:-1])
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_listening(pid: int, what: str) -> None:
    """As a reader waits for a server to come up: until the process (or a child) listens, or it has exited."""
    deadline = time.monotonic() + LISTEN_SECONDS
    while alive(pid) and not socket_inodes(pid) & listening_inodes():
        assert time.monotonic() < deadline, f"{what} neither listened on a port nor exited in {LISTEN_SECONDS} s"
        time.sleep(0.05)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def stop_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def teardown(namespace: dict[str, Any]) -> None:
    session = namespace.pop(SESSION, None)
    if session is not None:
        session.close()


DOCS = Sybil(
    parsers=[ReasonedSkipParser(), CodeBlockParser()],
    path=os.environ.get("AIRUDDER_DOCS_ROOT", str(ROOT)),  # another tree: tests/docs/test_examples_harness.py
    patterns=["README.md", "docs/*.md", "docs/**/*.md"],
    teardown=teardown,
)

pytest_collect_file = DOCS.pytest()


CODE_BLOCKS: set[str] = set()


def pytest_collection_modifyitems(items: list[Any]) -> None:
    CODE_BLOCKS.update(
        item.nodeid for item in items if getattr(item, "example", None) and item.example.region.evaluator is evaluate
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The count of blocks run and skipped, each skip with its reason."""
    reports = [
        report
        for key in ("passed", "failed", "skipped", "error")
        for report in terminalreporter.stats.get(key, [])
        if report.when in ("call", "setup") and report.nodeid in CODE_BLOCKS
    ]
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    skipped: list[str] = []
    for report in reports:
        if report.skipped:
            counts["skipped"] += 1
            path, line, _ = report.location
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            skipped.append(f"  {path}:{line}: {reason.removeprefix('Skipped: ')}")
        elif report.when == "call":
            counts["passed" if report.passed else "failed"] += 1
    terminalreporter.write_line(
        f"docs examples: {counts['passed']} blocks ran, {counts['failed']} failed, {counts['skipped']} skipped"
    )
    for line in skipped:
        terminalreporter.write_line(line)
