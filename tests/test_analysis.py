"""Network analysis: blocs, mediators, comparisons and timelines, on the seed and on small
hand-built signed graphs whose answers are known."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from conftest import diplo, diplo_json
from graph.analysis import compare, find_blocs, rank_mediators, signed_graph, timeline
from graph.lookup import Position

POLARITY = {"SUPPORT": 1, "DISAPPROVE": -1, "THREATEN": -1, "APPEAL": 0, "MEDIATE": 0, "CONCERN": 0}


def said(actor: str, stance_class: str, *targets: str, day: str | None = None, event: str = "war") -> Position:
    """A hand-made reaction: just what the analyses read."""
    when = date.fromisoformat(day) if day else None
    return Position(
        reaction=f"{actor}-{stance_class}-{'-'.join(targets)}-{day}", when=day or "undated",
        stance_class=stance_class, stance=stance_class.lower(), stance_iri="", polarity=POLARITY[stance_class],
        actor=actor, targets=list(targets), event=event, speaker=None, role=None, quote=None, evidence=None,
        start=None, end=None, channel=None, date_expression=None, source="test", source_title=None,
        source_url=None, publisher=None, published=None, confidence=None, earliest=when, latest=when,
    )


# Two camps: A and B back each other, C and D back each other, the camps attack each other;
# E calls on A and C for restraint, F only ever addresses A.
TWO_CAMPS = [
    said("A", "SUPPORT", "B"), said("B", "SUPPORT", "A"), said("C", "SUPPORT", "D"),
    said("A", "DISAPPROVE", "C"), said("D", "THREATEN", "B"), said("C", "DISAPPROVE", "A"),
    said("E", "APPEAL", "A", "C"), said("E", "MEDIATE", "A", "C"), said("F", "CONCERN", "A"),
]


def test_two_camps_are_found_as_two_balanced_blocs():
    result = find_blocs(TWO_CAMPS)
    assert [b.members for b in result.blocs] == [["A", "B"], ["C", "D"]]
    assert result.frustration == 0
    assert result.even_handed == ["E"]
    assert result.unaligned == ["F"]


def test_an_unbalanced_triangle_reports_its_frustration():
    # Three mutual enemies: each its own bloc, perfectly balanced.
    found = [said("X", "DISAPPROVE", "Y"), said("Y", "DISAPPROVE", "Z"), said("X", "DISAPPROVE", "Z")]
    result = find_blocs(found)
    assert len(result.blocs) == 3 and result.frustration == 0
    # X now befriends both (net +1 each) while Y and Z stay enemies: no partition is balanced.
    found += [said("X", "SUPPORT", "Y"), said("X", "SUPPORT", "Y"), said("Z", "SUPPORT", "X"), said("Z", "SUPPORT", "X")]
    assert find_blocs(found).frustration == 1


def test_signed_graph_nets_the_signs_of_both_directions():
    g = signed_graph([said("A", "SUPPORT", "B"), said("B", "DISAPPROVE", "A"), said("B", "DISAPPROVE", "A")])
    assert g["A"]["B"] == {"weight": -1, "positive": 1, "negative": 2}


def test_seed_blocs_put_turkey_with_azerbaijan_and_the_callers_for_restraint_apart(store):
    from graph.lookup import positions

    result = find_blocs(positions(store))
    blocs = [set(b.members) for b in result.blocs]
    assert {"Turkey", "Azerbaijan"} in blocs
    assert {"Armenia"} in blocs
    assert result.even_handed == ["European Union", "NATO", "Russia", "United States"]
    assert result.frustration == 0


def test_mediators_rank_those_who_appealed_to_both_sides():
    ranked = rank_mediators(TWO_CAMPS + [said("G", "APPEAL", "A", "C"), said("G", "SUPPORT", "A")])
    assert [(m.actor, m.score) for m in ranked] == [("E", 2), ("G", 0)]
    assert ranked[0].mediation_offers == 1 and ranked[1].partial == 1
    assert ranked[0].pairs == ["A – C"]


def test_seed_mediators_put_russia_first(store):
    from graph.lookup import positions

    ranked = rank_mediators(positions(store))
    assert [m.actor for m in ranked] == ["Russia", "European Union", "NATO", "United States"]
    assert ranked[0].mediation_offers == 1 and ranked[0].bridging == 2


def test_compare_finds_agreement_difference_and_solo_stances():
    first = [said("A", "APPEAL", "X", "Y"), said("A", "SUPPORT", "X")]
    second = [said("B", "APPEAL", "X"), said("B", "DISAPPROVE", "X"), said("B", "CONCERN")]
    rows = {(r.stance_class, r.verdict) for r in compare(first, second, ("A", "B"))}
    assert rows == {("APPEAL", "agreed"), ("SUPPORT", "differed"), ("DISAPPROVE", "differed"), ("CONCERN", "only B")}


def test_timeline_runs_oldest_first_with_undated_last():
    found = [said("A", "APPEAL", "X", day="2020-07-14"), said("A", "CONCERN"), said("A", "SUPPORT", "X", day="2020-07-01")]
    assert [p.when for p in timeline(found)] == ["2020-07-01", "2020-07-14", "undated"]


def test_diplo_blocs_on_the_seed():
    payload = diplo_json("blocs", "--event", "Tavush clashes")
    blocs = {b["bloc"]: b["members"] for b in payload["blocs"]}
    assert ["Azerbaijan", "Turkey"] in blocs.values()
    assert blocs["even-handed"] == ["European Union", "NATO", "Russia", "United States"]
    assert "correlation clustering" in payload["method"]
    assert "Bansal" in diplo("blocs", "--help").stdout  # the method is named where users look


def test_diplo_blocs_exports_the_signed_graph_for_gephi(tmp_path: Path):
    for name in ("blocs.graphml", "blocs.gexf"):
        out = tmp_path / name
        assert diplo("blocs", "--graph", str(out)).exit_code == 0
        g = nx.read_graphml(out) if name.endswith("graphml") else nx.read_gexf(out)
        bloc = nx.get_node_attributes(g, "bloc")
        label = nx.get_node_attributes(g, "label")
        by_label = {label[n]: bloc[n] for n in g}
        assert by_label["Turkey"] == by_label["Azerbaijan"] != by_label["Armenia"]
        assert by_label["Russia"] == "even-handed"
    bad = diplo("blocs", "--graph", str(tmp_path / "blocs.png"))
    assert bad.exit_code == 2 and ".graphml or .gexf" in bad.stderr
    assert not (tmp_path / "blocs.png").exists()


def test_diplo_mediators_names_its_measure_and_ranks_russia_first():
    rows = diplo_json("mediators")
    assert rows[0]["actor"] == "Russia" and rows[0]["score"] == 2
    assert {r["actor"] for r in rows} == {"Russia", "NATO", "European Union", "United States"}
    assert "even-handed appeals" in diplo("mediators", "--help").stdout


def test_diplo_compare_russia_and_turkey():
    rows = diplo_json("compare", "Moscow", "Ankara")
    verdicts = {(r["stance_class"], r["verdict"]) for r in rows}
    assert ("MEDIATE", "only Russia") in verdicts
    assert ("SUPPORT", "only Turkey") in verdicts
    support = next(r for r in rows if r["stance_class"] == "SUPPORT")
    assert "express support → Azerbaijan" in support["Turkey"]


def test_diplo_compare_nato_and_the_eu_agreed_on_restraint():
    rows = diplo_json("compare", "NATO", "EU")
    assert {(r["stance_class"], r["verdict"]) for r in rows} >= {("APPEAL", "agreed")}


def test_diplo_timeline_is_oldest_first():
    rows = diplo_json("timeline", "Azerbaijan")
    assert rows[0]["when"] == "2020-07-06..2020-07-12"
    assert {rows[0]["stance"], rows[1]["stance"]} == {"reject claim", "threaten to quit talks"}
    table = diplo("timeline", "Azerbaijan").stdout
    assert table.index("reject claim") < table.index("denounce")


@pytest.mark.parametrize("command", [["compare", "Russia", "Atlantis"], ["timeline", "Atlantis"], ["blocs", "--event", "Atlantis"]])
def test_unknown_names_in_analyses_exit_2(command: list[str]):
    result = diplo(*command)
    assert result.exit_code == 2 and "Atlantis" in result.stderr
