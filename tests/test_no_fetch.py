"""Reading a data file never reaches the network: a JSON-LD file that names its context by URL
(or file name) is refused, naming the file, before the parser could fetch it; `diplo validate`
and ``--data`` both say so in one line (`diplo load` into a store takes no JSON-LD at all)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import diplo, quads

REACTION = {"@id": "https://w3id.org/diplograph/id/reaction/test-offline", "name": "offline"}


@pytest.fixture()
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that serves a small JSON-LD context and records every path asked."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            asked.append(self.path)
            body = json.dumps({"@context": {"name": "http://www.w3.org/2000/01/rdf-schema#label"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", asked
    server.shutdown()
    thread.join(5)


def fetching_documents(url: str) -> dict[str, object]:
    """Every way JSON-LD names a context to fetch, by name."""
    return {
        "context-url": {"@context": f"{url}/context", **REACTION},
        "context-list": {"@context": [{"x": "urn:x:"}, f"{url}/listed"], **REACTION},
        "import": {"@context": {"@import": f"{url}/imported", "x": "urn:x:"}, **REACTION},
        "nested-node": {"@id": "urn:x:a", "urn:x:p": {"@context": f"{url}/nested", **REACTION}},
        "scoped-term": {"@context": {"p": {"@id": "urn:x:p", "@context": f"{url}/scoped"}}, "@id": "urn:x:a", "p": {"name": "z"}},
        "graph-list": [{"@context": f"{url}/in-a-list", **REACTION}],
        "relative-file": {"@context": "other-context.jsonld", **REACTION},
    }


@pytest.mark.parametrize("name", list(fetching_documents("http://x")))
def test_validate_refuses_a_jsonld_context_it_would_fetch(tmp_path: Path, context_server, name: str):
    url, asked = context_server
    file = tmp_path / f"{name}.jsonld"
    file.write_text(json.dumps(fetching_documents(url)[name]), encoding="utf-8")
    (tmp_path / "other-context.jsonld").write_text(json.dumps({"@context": {"name": "urn:x:name"}}), encoding="utf-8")
    result = diplo("validate", str(file))
    assert result.exit_code == 2, result.output
    assert str(file) in result.stderr and "refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert asked == []


def test_extra_data_refuses_it_too(tmp_path: Path, context_server):
    url, asked = context_server
    file = tmp_path / "remote.jsonld"
    file.write_text(json.dumps(fetching_documents(url)["context-url"]), encoding="utf-8")
    result = diplo("--data", str(file), "actors")
    assert result.exit_code == 2 and str(file) in result.stderr and "refused" in result.stderr
    assert asked == []


def test_a_store_does_not_take_jsonld_at_all(tmp_path: Path, store_dir: Path, context_server):
    url, asked = context_server
    file = tmp_path / "remote.jsonld"
    file.write_text(json.dumps(fetching_documents(url)["context-url"]), encoding="utf-8")
    before = quads(store_dir)
    result = diplo("--store", str(store_dir), "load", str(file))
    assert result.exit_code == 2 and str(file) in result.stderr
    assert quads(store_dir) == before
    assert asked == []


def test_a_context_written_into_the_file_is_read(tmp_path: Path, context_server):
    url, asked = context_server
    file = tmp_path / "inline.jsonld"
    # The context's own IRIs mention the server, but nothing in it is a context to fetch.
    document = {"@context": {"name": "http://www.w3.org/2000/01/rdf-schema#label", "see": {"@id": f"{url}/term", "@type": "@id"}},
                "@id": "urn:x:a", "name": "inline", "see": f"{url}/page"}
    file.write_text(json.dumps(document), encoding="utf-8")
    result = diplo("validate", str(file))
    assert result.exit_code in (0, 1), result.stderr  # validated (conforming or not), not refused
    assert "refused" not in result.stderr
    assert asked == []
