"""The network page opened in a real headless Chromium: it draws the seed's network, asks the
network for nothing, logs no error, and hostile text never runs.

Needs Debian's chromium (.ci/run installs it). Elsewhere these tests skip and say so, unless
DIPLO_REQUIRE_BROWSER=1 (set by .ci/run) turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DATA
from graph.store import Store
from graph.views import write_view

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("DIPLO_REQUIRE_BROWSER") == "1":
            pytest.fail("DIPLO_REQUIRE_BROWSER=1 but no chromium on PATH")
        pytest.skip("needs Debian's chromium on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


def open_page(browser: object, path: Path, shots: Path) -> dict:
    """Open ``path`` and return what happened: requests, errors, dialogs and the drawn data."""
    page = browser.new_page()  # type: ignore[attr-defined]
    seen: dict = {"requests": [], "errors": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.diplograph && window.diplograph.nodes.length > 0", timeout=15000)
    seen["nodes"] = page.evaluate("window.diplograph.nodes.getIds()")
    seen["edges"] = page.evaluate("window.diplograph.edges.get().map(e => [e.from, e.to])")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{path.stem}.png"))
    page.close()
    return seen


@pytest.fixture()
def shots() -> Path:
    return Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


def test_seed_network_draws_without_any_request_or_error(browser, tmp_path: Path, store: Store, shots: Path):
    out = tmp_path / "seed-view.html"
    write_view(store, out)
    seen = open_page(browser, out, shots)
    assert seen["requests"] == [out.as_uri()]
    assert seen["errors"] == []
    assert {"Turkey", "Azerbaijan", "Armenia", "Russia", "NATO", "European Union", "United States"} <= set(seen["nodes"])
    assert ["Turkey", "Azerbaijan"] in seen["edges"]


def test_hostile_text_does_not_run(browser, tmp_path: Path, shots: Path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        (DATA / "reaction-good.ttl").read_text(encoding="utf-8").replace(
            '"France calls on both sides to show restraint"',
            '"</script><script>alert(1)</script><img src=x onerror=alert(2)>"',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "hostile-view.html"
    write_view(Store.bundled([hostile]), out)
    seen = open_page(browser, out, shots)
    assert seen["dialogs"] == []
    assert seen["requests"] == [out.as_uri()]
    assert "France" in seen["nodes"]
