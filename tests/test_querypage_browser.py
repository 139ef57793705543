"""The query page in a real headless Chromium against a live `diplo serve`: a query typed into the
vendored editor runs on the server and its rows appear in the results table, with links to the
actors' network pages, and downloads as CSV and JSON; and the page asks nothing of any other machine.

Needs Debian's chromium (.ci/run installs it); skips and says so elsewhere, unless
DIPLO_REQUIRE_BROWSER=1 turns a missing browser into a failure.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from test_querypage import server  # noqa: F401  (the live server the page tests share)
from test_view_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = pytest.mark.browser


def open_query_page(browser, server: str, seen: dict):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen.update({"requests": [], "errors": []})
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(f"{server}/")
    for _ in range(200):
        if page.evaluate("() => !!(window.diploQuery && window.diploQuery.ready)"):
            return page
        page.wait_for_timeout(50)
    raise AssertionError(f"the query page did not start within 10 s: {seen['errors']}")


def result_rows(page) -> list[list[str]]:
    """The cells of the results table's body, once it has rows (within 20 s)."""
    for _ in range(400):
        rows = page.evaluate(
            "() => Array.from(document.querySelectorAll('#results table tbody tr'))"
            ".map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))"
        )
        if rows and len(rows[0]) > 1:
            return rows
        page.wait_for_timeout(50)
    raise AssertionError("no result rows appeared within 20 s")


def test_a_typed_query_runs_on_the_server_and_shows_its_rows(browser, server: str):  # noqa: F811
    seen: dict = {}
    page = open_query_page(browser, server, seen)
    page.click("#editor .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(
        "PREFIX dr: <" + page.evaluate("() => JSON.parse(document.getElementById('settings').textContent).prefixes.dr") + ">\n"
        "SELECT ?country ?code WHERE { ?country dr:isoCode ?code FILTER (?code IN ('ARM', 'AZE', 'TUR')) } ORDER BY ?code"
    )
    page.click(".yasqe_queryButton")
    rows = result_rows(page)
    codes = [r[-1] for r in rows]
    assert codes == ["ARM", "AZE", "TUR"], rows
    links = page.evaluate("() => Array.from(document.querySelectorAll('#results a.diplo-view')).map(a => a.getAttribute('href'))")
    assert sorted(links) == ["/view?actor=armenia", "/view?actor=azerbaijan", "/view?actor=turkey"]
    with page.expect_download() as table_download:
        page.click(".yasr_downloadIcon")
    table = list(csv.reader(Path(table_download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert table[0] == ["country", "code"] and [row[1] for row in table[1:]] == ["ARM", "AZE", "TUR"]
    page.click(".yasr_btn.select_response")
    with page.expect_download() as json_download:
        page.click(".yasr_downloadIcon")
    bindings = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))["results"]["bindings"]
    assert [b["code"]["value"] for b in bindings] == ["ARM", "AZE", "TUR"]
    shots = ROOT / "test-output"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / "querypage.png"))
    assert any(u.endswith("/sparql") for u in seen["requests"])
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in seen["requests"]), seen["requests"]
    assert seen["errors"] == [], seen["errors"]
    page.close()


def test_a_named_query_loads_runs_and_links_to_the_network_page(browser, server: str):  # noqa: F811
    seen: dict = {}
    page = open_query_page(browser, server, seen)
    page.click('#named button[data-name="who-called-for-restraint"]')
    assert "who-called-for-restraint" not in page.evaluate("() => window.diploQuery.yasqe.getValue()").split("\n")[0]
    page.click(".yasqe_queryButton")
    rows = result_rows(page)
    assert any("Russia" in " ".join(r) for r in rows), rows
    page.click("#results a.diplo-view[href='/view?actor=russia']")
    page.wait_for_load_state()
    assert page.url.endswith("/view?actor=russia") and page.title() == "diplograph: russia" and "Russia" in page.content()
    assert all(urlsplit(u).hostname in ("127.0.0.1", None) or u.startswith("data:") for u in seen["requests"]), seen["requests"]
    page.close()
