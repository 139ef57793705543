"""`diplo view`: an offline network page of who reacted how to whom."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DATA, diplo
from graph.errors import BadInput
from graph.store import Store
from graph.views import POLARITY_COLORS, write_view


def page_data(html: str) -> dict:
    """The nodes and edges the page hands to vis-network."""
    match = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


def edges_between(data: dict) -> set[tuple[str, str, str]]:
    return {(e["from"], e["to"], e["color"]) for e in data["edges"]}


def test_whole_graph_shows_the_seed_actors_and_who_sided_with_whom(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    summary = write_view(store, out)
    data = page_data(out.read_text(encoding="utf-8"))
    labels = {n["id"] for n in data["nodes"]}
    assert {"Turkey", "Azerbaijan", "Armenia", "Russia", "NATO", "European Union", "United States"} <= labels
    edges = edges_between(data)
    assert ("Turkey", "Azerbaijan", POLARITY_COLORS[1]) in edges
    assert ("Turkey", "Armenia", POLARITY_COLORS[-1]) in edges
    assert ("NATO", "Armenia", POLARITY_COLORS[0]) in edges
    assert summary.nodes == len(data["nodes"]) and summary.edges == len(data["edges"])


def test_reactions_without_target_are_dashed_edges_to_their_event(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    write_view(store, out)
    data = page_data(out.read_text(encoding="utf-8"))
    dashed = {(e["from"], e["to"]) for e in data["edges"] if e["dashes"]}
    assert ("Russia", "July 2020 Tavush border clashes") in dashed
    assert ("United States", "July 2020 Tavush border clashes") in dashed


def test_tooltips_carry_quote_speaker_date_and_source(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    write_view(store, out)
    titles = [e["title"] for e in page_data(out.read_text(encoding="utf-8"))["edges"] if e["from"] == "Russia"]
    assert any("deeply concerned" in t and "Dmitry Peskov" in t and "2020-07-12..2020-07-14" in t for t in titles)
    assert all("Death toll ticks up" in t for t in titles)


def test_actor_view_keeps_its_reactions_and_those_aimed_at_it(tmp_path: Path):
    out = tmp_path / "turkey.html"
    result = diplo("view", "--actor", "Turkey", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    labels = {n["id"] for n in data["nodes"]}
    assert labels == {"Turkey", "Azerbaijan", "Armenia"}
    assert "NATO" not in labels


def test_armenia_view_includes_appeals_aimed_at_it(tmp_path: Path):
    out = tmp_path / "armenia.html"
    assert diplo("view", "--actor", "Yerevan", "-o", str(out)).exit_code == 0
    sources = {e["from"] for e in page_data(out.read_text(encoding="utf-8"))["edges"]}
    assert {"Armenia", "Turkey", "NATO", "Russia", "Azerbaijan"} <= sources


def test_event_view_is_limited_to_that_event(tmp_path: Path):
    out = tmp_path / "talks.html"
    assert diplo("view", "--event", "Minsk Group peace talks", "-o", str(out)).exit_code == 0
    data = page_data(out.read_text(encoding="utf-8"))
    assert {e["from"] for e in data["edges"]} == {"Azerbaijan"}


def test_page_is_self_contained(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    write_view(store, out)
    html = out.read_text(encoding="utf-8")
    assert re.search(r"<script[^>]+src=", html, re.I) is None
    assert re.search(r"<link[^>]+href=", html, re.I) is None
    assert "@import" not in html
    assert re.search(r"url\(\s*['\"]?https?:", html) is None
    assert "default-src 'none'" in html  # the page forbids itself any network request
    assert "vis.Network" in html


def test_hostile_labels_and_quotes_are_shown_as_text(tmp_path: Path):
    hostile = tmp_path / "hostile.ttl"
    good = (DATA / "reaction-good.ttl").read_text(encoding="utf-8")
    hostile.write_text(
        good.replace(
            '"France calls on both sides to show restraint"',
            '"</script><script>alert(1)</script><img src=x onerror=alert(2)>"',
        )
        + '\n<https://w3id.org/diplograph/id/actor/france> '
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "<b onmouseover=alert(3)>France</b>" .\n',
        encoding="utf-8",
    )
    out = tmp_path / "hostile.html"
    write_view(Store.bundled([hostile]), out)
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # the table shows it, escaped
    data = page_data(html)
    assert any("<img src=x onerror=alert(2)>" in e["title"] for e in data["edges"])  # plain text in JSON


def test_unwritable_output_is_a_clear_error_and_leaves_nothing(tmp_path: Path, store: Store):
    target = tmp_path / "no-such-folder" / "view.html"
    with pytest.raises(BadInput, match="cannot write"):
        write_view(store, target)
    assert not target.parent.exists()
    result = diplo("view", "-o", str(target))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_unknown_actor_in_view_exits_2(tmp_path: Path):
    result = diplo("view", "--actor", "Atlantis", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()
