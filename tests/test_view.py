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


def test_nodes_are_coloured_by_the_type_of_the_actor_they_draw(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    write_view(store, out)
    kinds = {n["id"]: n["kind"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]}
    assert kinds["Turkey"] == "State" and kinds["Armenia"] == "State"
    assert kinds["NATO"] == kinds["European Union"] == "International organization"
    assert kinds["Dmitry Peskov"] == "Person"


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
    titles = [e["title"] for e in page_data(out.read_text(encoding="utf-8"))["edges"] if e["from"] == "Russia" and e["kind"] == "stance"]
    assert any("deeply concerned" in t and "Dmitry Peskov" in t and "2020-07-12..2020-07-14" in t for t in titles)
    assert all("Death toll ticks up" in t for t in titles)


def test_actor_view_keeps_its_reactions_and_those_aimed_at_it(tmp_path: Path):
    out = tmp_path / "turkey.html"
    result = diplo("view", "--actor", "Turkey", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    labels = {n["id"] for n in data["nodes"]}
    # Its officials are drawn beside it, joined by a "speaks for" edge.
    assert labels == {"Turkey", "Azerbaijan", "Armenia", "Mevlüt Çavuşoğlu", "Recep Tayyip Erdoğan"}
    speaks_for = {(e["from"], e["to"]) for e in data["edges"] if e["kind"] == "speaks-for"}
    assert speaks_for == {("Mevlüt Çavuşoğlu", "Turkey"), ("Recep Tayyip Erdoğan", "Turkey")}


def test_fold_officials_draws_only_the_actors(tmp_path: Path):
    out = tmp_path / "turkey.html"
    assert diplo("view", "--actor", "Turkey", "--fold-officials", "-o", str(out)).exit_code == 0
    data = page_data(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == {"Turkey", "Azerbaijan", "Armenia"}
    assert all(e["kind"] == "stance" for e in data["edges"])


def test_edges_aggregate_reactions_per_actor_target_and_stance_class(tmp_path: Path, store: Store):
    out = tmp_path / "reactions.html"
    write_view(store, out)
    data = page_data(out.read_text(encoding="utf-8"))
    stance_edges = [e for e in data["edges"] if e["kind"] == "stance"]
    keys = [(e["from"], e["to"], e["stance"]) for e in stance_edges]
    assert len(keys) == len(set(keys))
    by_key = {(e["from"], e["to"], e["stance"]): e for e in stance_edges}
    # Turkey criticised (Çavuşoğlu) and accused (Erdoğan) Armenia: one DISAPPROVE edge of two.
    turkey = by_key[("Turkey", "Armenia", "DISAPPROVE")]
    assert turkey["count"] == 2 and len(turkey["reactions"]) == 2
    single = by_key[("NATO", "Armenia", "APPEAL")]
    assert single["count"] == 1 and turkey["width"] > single["width"]
    # Every reaction index points at a reaction the edge really joins.
    for e in stance_edges:
        for i in e["reactions"]:
            r = data["reactions"][i]
            assert r["actor"] == e["from"] and r["stance_class"] == e["stance"]
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["Azerbaijan"] > sizes["NATO"]  # sized by degree


def test_stance_and_date_filters_narrow_the_view(tmp_path: Path):
    appeals = tmp_path / "appeals.html"
    assert diplo("view", "--stance", "APPEAL", "-o", str(appeals)).exit_code == 0
    data = page_data(appeals.read_text(encoding="utf-8"))
    assert {e["stance"] for e in data["edges"] if e["kind"] == "stance"} == {"APPEAL"}
    assert {e["from"] for e in data["edges"] if e["kind"] == "stance"} == {"Russia", "NATO", "European Union", "United States"}
    later = tmp_path / "later.html"
    assert diplo("view", "--since", "2020-07-13", "-o", str(later)).exit_code == 0
    events = {e["to"] for e in page_data(later.read_text(encoding="utf-8"))["edges"]}
    assert "Minsk Group peace talks" not in events  # Aliyev's words of 6-12 July are out


def test_actor_view_carries_a_timeline_chart(tmp_path: Path, store: Store):
    out = tmp_path / "azerbaijan.html"
    write_view(store, out, actor="Azerbaijan")
    html = out.read_text(encoding="utf-8")
    chart = re.search(r'<figure id="timeline">(.*?)</figure>', html, re.S)
    assert chart is not None
    assert "2020-07-06" in chart.group(1) and "2020-07-14" in chart.group(1)
    assert "threaten to quit talks" in chart.group(1)
    write_view(store, out)  # the whole-graph view has no single actor's timeline
    assert '<figure id="timeline">' not in out.read_text(encoding="utf-8")


def test_big_graphs_get_a_frozen_layout(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch):
    import graph.views

    monkeypatch.setattr(graph.views, "FROZEN_ABOVE", 5)
    out = tmp_path / "frozen.html"
    write_view(store, out)
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["frozen"] is True
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    xy = {(round(n["x"]), round(n["y"])) for n in data["nodes"]}
    assert len(xy) == len(data["nodes"])  # no two nodes stacked


def test_svg_picture_is_valid_and_escapes_labels(tmp_path: Path):
    from xml.etree import ElementTree

    hostile = tmp_path / "hostile.ttl"
    hostile.write_text(
        (DATA / "reaction-good.ttl").read_text(encoding="utf-8")
        + '\n<https://w3id.org/diplograph/id/actor/france> '
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "<b>France & co</b>" .\n',
        encoding="utf-8",
    )
    out = tmp_path / "seed.svg"
    result = diplo("--data", str(hostile), "view", "-o", str(out))
    assert result.exit_code == 0, result.output
    root = ElementTree.parse(out).getroot()
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Turkey", "Azerbaijan", "Armenia", "<b>France & co</b>"} <= texts
    drawn = re.search(r"(\d+) nodes, (\d+) edges", result.stderr)
    assert drawn is not None
    assert len(list(root.iter("{http://www.w3.org/2000/svg}circle"))) == int(drawn.group(1))
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) == int(drawn.group(2))


def test_armenia_view_includes_appeals_aimed_at_it(tmp_path: Path):
    out = tmp_path / "armenia.html"
    assert diplo("view", "--actor", "Yerevan", "-o", str(out)).exit_code == 0
    sources = {e["from"] for e in page_data(out.read_text(encoding="utf-8"))["edges"]}
    assert {"Armenia", "Turkey", "NATO", "Russia", "Azerbaijan"} <= sources


def test_event_view_is_limited_to_that_event(tmp_path: Path):
    out = tmp_path / "talks.html"
    assert diplo("view", "--event", "Minsk Group peace talks", "-o", str(out)).exit_code == 0
    data = page_data(out.read_text(encoding="utf-8"))
    assert {e["from"] for e in data["edges"] if e["kind"] == "stance"} == {"Azerbaijan"}


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


def test_reactions_without_target_or_event_are_listed_on_their_actor_not_drawn_to_a_placeholder(store_dir: Path, tmp_path: Path):
    from test_import import event

    rows = [event("910001", "USA", "", "111"), event("910002", "USA", "", "0256"), event("910003", "TUR", "ARM", "111")]
    gdelt = tmp_path / "20200714120000.export.CSV"
    gdelt.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert diplo("--store", str(store_dir), "import", "gdelt", str(gdelt)).exit_code == 0
    out = tmp_path / "gdelt.html"
    result = diplo("--store", str(store_dir), "view", "--source-kind", "gdelt", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert "(no event)" not in nodes and "(no event)" not in html
    usa = nodes["United States"]
    assert [data["reactions"][i]["actor"] for i in usa["loose"]] == ["United States"] * 2
    assert usa["label"] == "United States [2]"
    assert not any(e["from"] == "United States" for e in data["edges"])  # nothing drawn to a fake hub
    assert re.search(r"<title>diplograph: gdelt reactions</title>", html)
    options = set(re.findall(r'<option value="([^"]*)">', html))
    assert options == {"United States", "Turkey", "Armenia"}
    for e in data["edges"]:
        assert not re.search(r"Source: *(\n|$)", e["title"]), e["title"]


def test_title_names_every_filter():
    from datetime import date

    from graph.views import view_title

    assert view_title() == "diplograph: all reactions"
    assert view_title(stance="APPEAL", source_kind="gdelt", since=date(2020, 7, 13)) == "diplograph: APPEAL — gdelt reactions — made 2020-07-13 to …"
    assert view_title(actor="Iran", min_confidence=0.7) == "diplograph: Iran — extracted with confidence 0.7 or more"


def test_top_draws_the_busiest_and_folds_the_others(tmp_path: Path):
    out = tmp_path / "top.html"
    result = diplo("view", "--top", "4", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    real = [n for n in data["nodes"] if n["kind"] != "Folded"]
    core = sorted((n for n in real if n["core"]), key=lambda n: -n["weight"])
    assert len(core) == 4
    assert min(n["weight"] for n in core) >= max(n["weight"] for n in real if not n["core"])
    folded = [n for n in data["nodes"] if n["kind"] == "Folded"]
    assert sorted(m for f in folded for m in f["members"]) == sorted(n["id"] for n in real if not n["core"])
    assert {n["group_of"] for n in real if not n["core"]} <= {f["id"][1:-1] for f in folded}
    # Label size follows activity; the busiest node has the biggest label.
    assert core[0]["font"]["size"] == max(n["font"]["size"] for n in real)
    drawn = re.search(r"(\d+) nodes, (\d+) edges", result.stderr)
    assert drawn is not None and int(drawn.group(1)) <= 4 + len(folded)
    everything = tmp_path / "all.html"
    assert diplo("view", "--all", "-o", str(everything)).exit_code == 0
    assert all(n["core"] and n["kind"] != "Folded" for n in page_data(everything.read_text(encoding="utf-8"))["nodes"])


def test_blocs_colour_node_borders_and_fill_the_legend(tmp_path: Path, store: Store):
    from graph.analysis import find_blocs
    from graph.lookup import selection

    out = tmp_path / "reactions.html"
    write_view(store, out)
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    bloc_of = find_blocs(selection(store)).bloc_of()
    for n in data["nodes"]:
        if n.get("bloc"):
            assert bloc_of[n["id"]] == n["bloc"] and n["borderWidth"] == 3
    assert {n["bloc"] for n in data["nodes"] if n.get("bloc")} == {b for b in bloc_of.values() if b.startswith("bloc ")}
    assert 'aria-label="blocs"' in html and "bloc 1 (" in html


def test_svg_picture_has_the_legend_fits_its_labels_and_takes_a_size(tmp_path: Path):
    from xml.etree import ElementTree

    svg = "{http://www.w3.org/2000/svg}"
    out = tmp_path / "seed.svg"
    assert diplo("view", "-o", str(out)).exit_code == 0
    root = ElementTree.parse(out).getroot()
    width, height = float(root.get("width")), float(root.get("height"))
    legend = [t.text for g in root.iter(f"{svg}g") if g.get("class") == "legend" for t in g.iter(f"{svg}text")]
    assert "State" in legend and "hostile (disapprove, threaten, reject)" in legend
    assert any(t.startswith("bloc 1:") for t in legend)
    labels = [t for g in root.iter(f"{svg}g") if g.get("class") == "nodes" for t in g.iter(f"{svg}text")]
    assert labels and "July 2020 Tavush border clashes" in {t.text for t in labels}
    for t in labels:  # each label's generous box lies inside the picture
        size, half = float(t.get("font-size")), 0.31 * float(t.get("font-size")) * len(t.text)
        x, y = float(t.get("x")), float(t.get("y"))
        assert 0 <= x - half and x + half <= width and y - size >= 0 and y <= height, t.text
    sized = tmp_path / "sized.svg"
    assert diplo("view", "--width", "1200", "--height", "900", "-o", str(sized)).exit_code == 0
    root = ElementTree.parse(sized).getroot()
    assert (root.get("width"), root.get("height")) == ("1200", "900")
    assert root.get("viewBox") == f"0 0 {round(width)} {round(height)}"  # scaled, not cropped
    bad = diplo("view", "--width", "20", "-o", str(tmp_path / "tiny.svg"))
    assert bad.exit_code == 2 and "--width" in bad.stderr


def test_folded_nodes_count_their_members_in_the_singular_for_one():
    from graph.views import _folded_label

    assert _folded_label("bloc 2", 1) == "bloc 2: 1 more actor"
    assert _folded_label("bloc 2", 4) == "bloc 2: 4 more actors"
    assert _folded_label("other events", 1) == "1 other event"
    assert _folded_label("other events", 2) == "2 other events"
    assert _folded_label("others", 1) == "1 other"
    assert _folded_label("others", 486) == "486 others"


def test_an_edge_whose_target_the_text_did_not_name_says_it_was_assumed(store_dir: Path, restraint_article: Path, tmp_path: Path):
    assert diplo("--store", str(store_dir), "ingest", str(restraint_article), "--min-confidence", "0").exit_code == 0
    out = tmp_path / "restraint.html"
    assert diplo("--store", str(store_dir), "view", "--source-kind", "extracted", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    shown = {(r["actor"], r["toward"], r["assumed"]) for r in page_data(html)["reactions"]}
    # Russia's call named no one (the parties were assumed); Turkey named Armenia.
    assert shown == {("Russia", "Armenia, Azerbaijan", True), ("Turkey", "Armenia", False)}
    assert "target assumed: the text names no one" in html
