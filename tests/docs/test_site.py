"""The docs site as a reader sees it: built strict, served on loopback, every page opened in headless Chromium
(Debian's, never a downloaded browser): no console error, no broken internal link or anchor, and the AIRudder API
reference showing every operation and webhook of the spec with its grades. A screenshot of the reference is
kept in the test's temporary folder."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

import airudder_spec

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("AIRUDDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
GRADES = {"documented", "observed", "assumed"}

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-5000:]
    assert "WARNING" not in result.stderr, result.stderr[-5000:]
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join(30)


def pages(site: Path) -> list[str]:
    """Every page of the site, as its URL path (`client/`), from the built tree."""
    found = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        found.append("" if relative == "." else f"{relative}/")
    return found


def test_every_page_opens_clean_in_chromium_and_the_reference_shows_every_grade(
    site: Path, served: str, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists() and os.environ.get("CI") != "true":
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian's chromium package; .ci/run installs it)")
    assert shutil.which(CHROMIUM), f"no Chromium at {CHROMIUM}: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    urls = [served + page for page in pages(site)]
    assert len(urls) >= 15, urls
    problems: list[str] = []
    anchors: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            current = {"url": ""}
            page.on(
                "console",
                lambda m: (
                    problems.append(f"{current['url']}: console {m.type}: {m.text}") if m.type == "error" else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(f"{current['url']}: page error: {e}"))
            page.on(
                "requestfailed",
                lambda r: problems.append(f"{current['url']}: request failed: {r.url} ({r.failure})"),
            )
            for url in urls:
                current["url"] = url
                response = page.goto(url, wait_until="networkidle", timeout=60_000)
                assert response is not None and response.ok, f"{url}: {response and response.status}"
                anchors[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
                links += [(url, href) for href in hrefs]
                if url.endswith("reference/airudder-api/"):
                    reference(page, tmp_path)
        finally:
            browser.close()
    for source, href in links:
        target, fragment = urldefrag(urljoin(source, href))
        if urlparse(target).netloc != urlparse(served).netloc or href.startswith(("mailto:", "javascript:")):
            continue
        target = target if target.endswith("/") or "." in target.rsplit("/", 1)[-1] else target + "/"
        if target.endswith(("/", ".html")):
            if target not in anchors:
                problems.append(f"{source}: a link to a page that does not exist: {href}")
            elif fragment and fragment not in anchors[target]:
                problems.append(f"{source}: a link to an anchor that does not exist: {href}")
        elif not (site / urlparse(target).path.lstrip("/")).is_file():
            problems.append(f"{source}: a link to a file that does not exist: {href}")
    assert not problems, "\n".join(problems)


def reference(page: object, tmp_path: Path) -> None:
    """All the spec's operations and webhooks, each with its grade, and graded elements beside their reasons."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    spec = airudder_spec.load()
    operation_ids = {
        op["operationId"] for item in spec["paths"].values() for op in item.values() if "operationId" in op
    }
    webhook_ids = {item["post"]["operationId"] for item in spec["webhooks"].values()}
    assert (len(operation_ids), len(webhook_ids)) == (8, 10)
    shown = page.eval_on_selector_all(
        "h3.airudder-operation, h3.airudder-webhook",
        """els => els.map(h => {
            const grade = h.nextElementSibling && h.nextElementSibling.querySelector('.grade');
            return [h.id, h.className, h.dataset.coverage, grade ? grade.textContent : null];
        })""",
    )
    operations = {id for id, classes, _, _ in shown if "airudder-operation" in classes}
    webhooks = {id for id, classes, _, _ in shown if "airudder-webhook" in classes}
    assert operations == operation_ids and webhooks == webhook_ids
    for id, _, coverage, grade in shown:
        assert grade == coverage and coverage in {"full", "partial", "title-only", "observed"}, id
    grades = set(page.eval_on_selector_all("table .grade", "els => els.map(e => e.textContent)"))
    assert grades >= GRADES
    reasons = page.eval_on_selector_all(".grade-assumed + .airudder-reason", "els => els.map(e => e.textContent)")
    assert reasons and all(reason.strip() for reason in reasons)
    page.screenshot(path=str(tmp_path / "airudder-api-reference.png"), full_page=False)
    assert (tmp_path / "airudder-api-reference.png").stat().st_size > 10_000
