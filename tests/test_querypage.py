"""The query page at `/` of `diplo serve`: it lists the shipped questions, its scripts come from
the vendored editor on this server, nothing from a query file becomes markup, and the static
route serves only files of its own folder."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from graph import queries as queries_module
from graph.querypage import query_page_html, static_file
from graph.queries import NamedQuery, Param, named_queries
from graph.server import Limits, make_app
from graph.store import Store
from test_serve import start


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    url, running, thread = start(make_app(Store.bundled(), Limits(timeout=20, workers=1)))
    yield url
    running.should_exit = True
    thread.join(10)


def settings_of(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="settings">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def test_page_lists_every_named_query_with_its_question_and_parameters():
    page = query_page_html()
    settings = settings_of(page)
    shipped = named_queries()
    assert [q["name"] for q in settings["queries"]] == list(shipped)
    restraint = shipped["who-called-for-restraint"]
    assert restraint.params, "the example query should take a parameter"
    for p in restraint.params:
        assert f"<code>?{p.name}</code>" in page
    assert f'data-name="{restraint.name}"' in page
    # The editor starts with the ontology's prefixes declared, so the shipped text reads as it does in the CLI.
    assert "PREFIX dr: <" in settings["declared"] and settings["start"] in shipped


def test_text_from_a_query_file_never_becomes_markup(monkeypatch):
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)> & \"quotes\""
    fake = NamedQuery(
        name='x"><b>bold</b>',
        question=hostile,
        params=(Param("who", "actor", False, hostile),),
        text=f"# Question: {hostile}\nSELECT * WHERE {{ ?s ?p ?o }}",
    )
    monkeypatch.setattr(queries_module, "named_queries", lambda: {fake.name: fake})
    page = query_page_html()
    assert "<script>alert" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in page  # the question, shown as text
    # The script's copy survives intact through its JSON block.
    assert settings_of(page)["queries"][0]["question"] == hostile


def test_page_and_scripts_come_from_the_server_only(server: str):
    answer = httpx.get(f"{server}/")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    csp = answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    loaded = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
    assert loaded and all(urlsplit(u).netloc == "" for u in loaded), loaded
    for url in (u for u in loaded if u.startswith("/static/")):
        got = httpx.get(server + url)
        assert got.status_code == 200 and len(got.content) > 0, url
    script = httpx.get(f"{server}/static/yasgui/yasqe.min.js")
    assert script.headers["content-type"].startswith("text/javascript") and "Yasqe" in script.text


def raw_get(server: str, target: str) -> tuple[int, bytes]:
    """GET exactly ``target`` (no client normalising its dots) and return the status and body."""
    host, port = urlsplit(server).hostname, urlsplit(server).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/yasgui/..%2f..%2fserver.py",
        "/static/yasgui/%2e%2e/%2e%2e/queries/actors.rq",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/..\\server.py",
        "/static/yasgui/yasqe.min.js%00.py",
        "/static/../../pyproject.toml",
    ],
)
def test_static_route_serves_nothing_outside_its_folder(server: str, target: str):
    status, body = raw_get(server, target)
    assert status in (400, 404), (target, status)
    assert b"def make_app" not in body and b"root:" not in body and b"SELECT" not in body


def test_static_files_are_only_the_kinds_the_page_loads():
    assert static_file("yasgui/LICENSE") is not None and static_file("yasgui/SOURCE.md") is not None
    assert static_file("yasgui/nothing.js") is None
    assert static_file("yasgui") is None  # a folder
    assert static_file(".hidden.js") is None
