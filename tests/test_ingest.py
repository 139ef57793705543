"""`diplo init` and `diplo ingest`: articles into an on-disk store, one named graph per source,
idempotent, forgettable, and nothing written from bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import diplo, diplo_json, quads
from graph.store import Store

ARTICLE = (
    "Fighting flared on the border between Armenia and Azerbaijan on Sunday.\n\n"
    "“We are deeply concerned about the shelling,” Kremlin spokesman Dmitry Peskov told reporters, adding that "
    "Moscow was calling on both sides to show restraint.\n\n"
    "Turkish Foreign Minister Mevlut Cavusoglu condemned Armenia and voiced strong support for Baku.\n"
)


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "clashes.md"
    path.write_text(f"---\ntitle: Clashes on the border\ndate: 2020-07-14\n---\n{ARTICLE}", encoding="utf-8")
    return path


def test_ingested_reactions_answer_the_usual_lookups(store_dir: Path, article: Path):
    result = diplo("--store", str(store_dir), "ingest", str(article))
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr
    turkey = json.loads(diplo("--store", str(store_dir), "actor", "Turkey", "--format", "json").stdout)
    extracted = [p for p in turkey["positions"] if p["source_title"] == "Clashes on the border"]
    assert {(p["stance_class"], tuple(p["targets"])) for p in extracted} == {("DISAPPROVE", ("Armenia",)), ("SUPPORT", ("Azerbaijan",))}
    assert all(p["speaker"] == "Mevlüt Çavuşoğlu" and p["confidence"] < 1 for p in extracted)
    # The bundled seed is in the store too, and still answers.
    assert any(p["source_title"].startswith("Death toll") for p in turkey["positions"])
    russia = json.loads(diplo("--store", str(store_dir), "actor", "Peskov", "--format", "json").stdout)
    concern = next(p for p in russia["positions"] if p["stance_class"] == "CONCERN" and p["published"] == "2020-07-14")
    assert concern["quote"].startswith("We are deeply concerned")
    assert ARTICLE.replace("---", "").find(concern["evidence"]) >= 0
    # The table says which positions were extracted, and how likely each is to be right.
    table = diplo("--store", str(store_dir), "actor", "Turkey").stdout
    shown = {f"extracted {p['confidence']:.2f}" for p in extracted}
    assert all(cell in table for cell in shown) and "curated" in table


def test_min_confidence_keeps_the_likelier_extracted_reactions_and_every_curated_one(store_dir: Path, article: Path):
    assert diplo("--store", str(store_dir), "ingest", str(article), "--min-confidence", "0").exit_code == 0
    every = {who: diplo_json("--store", str(store_dir), "actor", who, "--all", "--format", "json")["positions"] for who in ("Russia", "Turkey")}
    extracted = sorted({p["confidence"] for positions in every.values() for p in positions if p["source_kind"] == "extracted"})
    assert len(extracted) >= 2, "the article should give Russia and Turkey reactions of different confidence"
    cut = extracted[-1]
    for who, positions in every.items():
        expected = {p["reaction"] for p in positions if p["source_kind"] != "extracted" or p["confidence"] >= cut}
        kept = diplo_json("--store", str(store_dir), "actor", who, "--all", "--min-confidence", str(cut), "--format", "json")
        assert {p["reaction"] for p in kept["positions"]} == expected and kept["total"] == len(expected), who
    # The event lookup takes it too: its curated reactions stay.
    about = diplo_json("--store", str(store_dir), "event", "tavush-2020", "--min-confidence", str(cut), "--format", "json")
    assert about["total"] == diplo_json("--store", str(store_dir), "event", "tavush-2020", "--format", "json")["total"]
    bad = diplo("--store", str(store_dir), "actor", "Turkey", "--min-confidence", "1.5")
    assert bad.exit_code != 0 and "--min-confidence" in bad.stderr


def test_analyses_with_min_confidence_one_see_only_the_curated_graph(store_dir: Path, article: Path):
    assert diplo("--store", str(store_dir), "ingest", str(article), "--min-confidence", "0").exit_code == 0
    curated = diplo_json("blocs", "--format", "json")  # the bundled graph alone
    assert diplo_json("--store", str(store_dir), "blocs", "--format", "json") != curated
    assert diplo_json("--store", str(store_dir), "blocs", "--min-confidence", "1", "--format", "json") == curated
    # Without a cut, an analysis or a view says how many unsure reactions it used: make two so.
    store = Store.open(store_dir)
    store.update(
        "DELETE { GRAPH ?g { ?r dr:confidence ?c } } INSERT { GRAPH ?g { ?r dr:confidence 0.3 } }"
        " WHERE { GRAPH ?g { ?r dr:confidence ?c ; dr:actor ?who } GRAPH ?h { ?who skos:prefLabel ?name } FILTER (STR(?name) = 'Turkey' && ?c < 1) }"
    )
    store.close()
    assert "note: 2 of the reactions used were extracted with confidence below 0.5" in diplo("--store", str(store_dir), "blocs").stderr
    assert "note: 2 of" in diplo("--store", str(store_dir), "view", "-o", str(store_dir.parent / "v.html")).stderr
    assert "confidence below" not in diplo("--store", str(store_dir), "blocs", "--min-confidence", "0.5").stderr
    timeline = diplo_json("--store", str(store_dir), "timeline", "Turkey", "--min-confidence", "1", "--format", "json")
    assert timeline and all(p["source_kind"] == "curated" for p in timeline)


def test_ingesting_the_same_article_twice_adds_nothing(store_dir: Path, article: Path):
    assert diplo("--store", str(store_dir), "ingest", str(article)).exit_code == 0
    before = quads(store_dir)
    again = diplo("--store", str(store_dir), "ingest", str(article))
    assert again.exit_code == 0 and "1 unchanged" in again.stderr
    assert quads(store_dir) == before


def test_a_newer_extractor_replaces_the_source_graph(store_dir: Path, article: Path, monkeypatch: pytest.MonkeyPatch):
    import graph.ingest

    assert diplo("--store", str(store_dir), "ingest", str(article)).exit_code == 0
    before = quads(store_dir)
    monkeypatch.setattr(graph.ingest, "EXTRACTOR_VERSION", "99.0.0")
    again = diplo("--store", str(store_dir), "ingest", str(article))
    assert "1 replaced" in again.stderr
    assert quads(store_dir) == before  # the same facts, now credited to the new version
    listed = json.loads(diplo("--store", str(store_dir), "sources", "--format", "json").stdout)
    assert any(s["made_by"] == "diplograph extractor 99.0.0" for s in listed)


def test_sources_lists_and_forget_removes_a_source(store_dir: Path, article: Path):
    before = quads(store_dir)
    diplo("--store", str(store_dir), "ingest", str(article))
    listed = json.loads(diplo("--store", str(store_dir), "sources", "--format", "json").stdout)
    ours = next(s for s in listed if s["title"] == "Clashes on the border")
    assert ours["reactions"] == 4 and ours["published"] == "2020-07-14"  # concern, appeal, condemnation, support
    gone = diplo("--store", str(store_dir), "forget", ours["key"])
    assert gone.exit_code == 0 and "Clashes on the border" in gone.stderr
    assert quads(store_dir) == before
    again = diplo("--store", str(store_dir), "forget", ours["key"])
    assert again.exit_code == 2 and "no source" in again.stderr


def test_dry_run_prints_records_and_writes_nothing(store_dir: Path, article: Path):
    before = quads(store_dir)
    result = diplo("--store", str(store_dir), "ingest", str(article), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert {(r["actor"], r["stance_class"]) for r in records} >= {("Russia", "CONCERN"), ("Russia", "APPEAL"), ("Turkey", "SUPPORT")}
    appeal = next(r for r in records if r["stance_class"] == "APPEAL")
    assert appeal["targets"] == ["Armenia", "Azerbaijan"] and appeal["stance"].endswith("call-for-restraint")
    # Each record names the path that found its actor: the quotation's speaker, the parse's subject.
    paths = {(r["actor"], r["stance_class"]): r["path"] for r in records}
    assert paths[("Russia", "CONCERN")] == "quote:attributed"
    assert paths[("Turkey", "SUPPORT")].startswith("tree:")
    assert quads(store_dir) == before
    # Without any store a dry run still works, on the bundled graph.
    assert diplo("ingest", str(article), "--dry-run").exit_code == 0


def test_by_default_ingest_leaves_out_what_is_almost_surely_wrong_and_a_dry_run_shows_it(store_dir: Path, tmp_path: Path):
    from graph.confidence import DEFAULT_MIN_CONFIDENCE

    # A treaty "calling for" something is no one's appeal: the model gives it a low confidence.
    path = tmp_path / "geneva.md"
    path.write_text(
        "---\ntitle: Geneva accord\ndate: 2014-04-24\n---\n"
        "Last week, Ukraine and Russia struck an agreement in Geneva calling for separatists to leave official premises.\n\n"
        "Russia condemned the attack by Armenia on Tuesday.\n",
        encoding="utf-8",
    )
    dry = diplo("ingest", str(path), "--dry-run", "--format", "json")
    found = json.loads(dry.stdout)
    low = [r for r in found if r["confidence"] < DEFAULT_MIN_CONFIDENCE]
    assert low and len(low) < len(found)
    table = diplo("ingest", str(path), "--dry-run")
    assert f"{len(low)} below {DEFAULT_MIN_CONFIDENCE}" in table.stdout
    stored = diplo("--store", str(store_dir), "ingest", str(path))
    assert stored.exit_code == 0, stored.stderr
    assert f"{len(found) - len(low)} reaction(s); {len(low)} below --min-confidence" in stored.stderr
    russia = diplo_json("--store", str(store_dir), "actor", "Russia", "--all", "--format", "json")
    mine = [p for p in russia["positions"] if p["source_title"] == "Geneva accord"]
    assert [(p["stance_class"], p["targets"]) for p in mine] == [("DISAPPROVE", ["Armenia"])]


def test_min_confidence_keeps_only_confident_reactions(article: Path):
    everything = json.loads(diplo("ingest", str(article), "--dry-run", "--format", "json").stdout)
    # Confidences differ from record to record (graph/data/confidence.yaml): cut at the highest one here.
    top = max(r["confidence"] for r in everything)
    records = json.loads(diplo("ingest", str(article), "--dry-run", "--format", "json", "--min-confidence", str(top)).stdout)
    assert records and all(r["confidence"] >= top for r in records)
    assert len(everything) > len(records)


def test_two_processes_extract_what_one_does(tmp_path: Path, article: Path):
    for i in range(6):
        (tmp_path / f"copy{i}.txt").write_text(ARTICLE.replace("Sunday", f"Sunday {i}"), encoding="utf-8")
    one = json.loads(diplo("ingest", str(tmp_path), "--dry-run", "--format", "json").stdout)
    two = json.loads(diplo("ingest", str(tmp_path), "--dry-run", "--format", "json", "--jobs", "2").stdout)
    assert one == two and len(one) > 6


def test_html_pages_and_corpus_rows_are_read(tmp_path: Path):
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
    page.write_text(f"<html><head><title>Clashes</title></head><body><nav>Home | World</nav><article>{paragraphs}</article></body></html>", encoding="utf-8")
    records = json.loads(diplo("ingest", str(page), "--dry-run", "--format", "json").stdout)
    assert ("Turkey", "SUPPORT") in {(r["actor"], r["stance_class"]) for r in records}
    corpus = tmp_path / "news.csv"
    corpus.write_text('id,body,headline\n1,"NATO called on Russia to withdraw.",A\n2,,B\n', encoding="utf-8")
    result = diplo("ingest", str(corpus), "--dry-run", "--format", "json", "--text-field", "body", "--title-field", "headline")
    assert result.exit_code == 0
    assert [(r["actor"], r["targets"]) for r in json.loads(result.stdout)] == [("NATO", ["Russia"])]
    assert "skipped 1: 1 row has no text (field body)" in result.stderr


def test_a_semicolon_separated_corpus_is_read_by_its_header(tmp_path: Path):
    corpus = tmp_path / "exports.csv"
    corpus.write_text('tag;header;body\nUK;Clashes;"NATO called on Russia to withdraw, its chief said."\n', encoding="utf-8")
    result = diplo("ingest", str(corpus), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["actor"], r["targets"]) for r in json.loads(result.stdout)] == [("NATO", ["Russia"])]


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path | str, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" + bytes(range(256)))
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("Die Regierung in Berlin verurteilte den Angriff auf das Land und forderte eine sofortige Waffenruhe. " * 5, encoding="utf-8")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><div><script>var x = 1;</script></div", encoding="utf-8")
    return {
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "not English": (foreign, "not English"),
        "50 MB": (huge, "too large"),
        "broken HTML": (broken, "no article text"),
        "unreachable URL": ("http://127.0.0.1:9/news", "cannot fetch"),
        "missing": (tmp_path / "nowhere.txt", "no such file"),
    }


@pytest.mark.parametrize("case", ["empty", "binary", "not English", "50 MB", "broken HTML", "unreachable URL", "missing"])
def test_bad_input_is_named_and_leaves_the_store_as_it_was(case: str, tmp_path: Path, store_dir: Path, article: Path):
    bad, message = _bad_inputs(tmp_path)[case]
    before = quads(store_dir)
    # The good article first on the command line: nothing at all is written when one input is bad.
    result = diplo("--store", str(store_dir), "ingest", str(bad)) if case == "unreachable URL" else diplo("--store", str(store_dir), "ingest", str(article), str(bad))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and str(bad) in result.stderr
    assert "Traceback" not in result.stderr
    if case != "unreachable URL":
        assert quads(store_dir) == before


def test_a_folder_skips_and_counts_what_it_cannot_read(tmp_path: Path, store_dir: Path, article: Path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.md").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    result = diplo("--store", str(store_dir), "ingest", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "1 added" in result.stderr and "skipped 1" in result.stderr


def test_ingest_needs_a_store_or_a_dry_run(article: Path):
    result = diplo("ingest", str(article))
    assert result.exit_code == 2 and "--store" in result.stderr


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path):
    result = diplo("--store", str(tmp_path), "actor", "Turkey")
    assert result.exit_code == 2 and "not a diplograph store" in result.stderr


def test_init_refuses_a_folder_with_files(tmp_path: Path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = diplo("init", str(tmp_path))
    assert result.exit_code == 2 and "not an empty folder" in result.stderr
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_store_in_use_is_a_clear_error(store_dir: Path):
    holder = Store.open(store_dir)
    try:
        result = diplo("--store", str(store_dir), "actor", "Turkey")
        assert result.exit_code == 2 and "in use" in result.stderr
    finally:
        holder.close()
    assert diplo("--store", str(store_dir), "actor", "Turkey").exit_code == 0


def test_a_label_with_a_line_break_inside_is_found_in_text_broken_the_same_way(store_dir: Path, tmp_path: Path):
    # Labels loaded from elsewhere (or written by an older extractor) can hold a line break, and
    # wire copy breaks lines inside names: such a name used to stop the whole ingest (KeyError).
    people = tmp_path / "people.ttl"
    people.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        '<https://example.org/people/rha> a dr:Person ; skos:prefLabel "Rha\\nWoong-bae" ;\n'
        "    org:holds <https://example.org/posts/rha> .\n"
        "<https://example.org/posts/rha> a org:Post ; org:postIn <https://w3id.org/diplograph/id/actor/south-korea> .\n",
        encoding="utf-8",
    )
    assert diplo("--store", str(store_dir), "load", str(people)).exit_code == 0
    text = tmp_path / "talks.md"
    text.write_text(
        "---\ntitle: Talks\ndate: 2020-07-15\n---\nA statement from Rha\nWoong-bae came late.\n\n"
        "Foreign Minister Rha Woong-bae condemned the test.\n",
        encoding="utf-8",
    )
    result = diplo("--store", str(store_dir), "ingest", str(text), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert [(r["actor"], r["stance_class"], r["speaker"]) for r in found] == [("South Korea", "DISAPPROVE", "Rha Woong-bae")]


def test_the_store_says_which_targets_the_text_named_and_which_were_assumed(store_dir: Path, restraint_article: Path):
    assert diplo("--store", str(store_dir), "ingest", str(restraint_article), "--min-confidence", "0").exit_code == 0
    sparql = """SELECT ?actor ?basis (GROUP_CONCAT(?target; separator=",") AS ?targets) WHERE {
        ?r dr:targetBasis ?basis ; dr:actor/skos:prefLabel ?actor . ?r dr:target/skos:prefLabel ?target .
    } GROUP BY ?r ?actor ?basis"""
    rows = diplo_json("--store", str(store_dir), "query", "-e", sparql)["results"]["bindings"]
    found = {(row["actor"]["value"], row["basis"]["value"], ",".join(sorted(row["targets"]["value"].split(",")))) for row in rows}
    # Turkey named whom it condemned; Russia's call names no one, so its targets are the article's
    # two parties, assumed.
    assert found == {("Turkey", "tree", "Armenia"), ("Russia", "the parties", "Armenia,Azerbaijan")}
    # A lookup says so too, beside the confidence.
    russia = diplo_json("--store", str(store_dir), "actor", "Russia", "--min-confidence", "0")["positions"]
    assert {(p["stance_class"], p["target_basis"]) for p in russia if p["source_title"] == "Restraint"} == {("APPEAL", "the parties")}
    assert all(p["target_basis"] is None for p in russia if p["source_kind"] == "curated")
    # A table row marks the assumed targets, not the named ones.
    from graph.cli import position_row
    from graph.lookup import actor_positions

    store = Store.open(store_dir, read_only=True)
    rows = {name: [position_row(p)["toward"] for p in actor_positions(store, name, min_confidence=0)[1] if p.source_title == "Restraint"]
            for name in ("Russia", "Turkey")}
    store.close()
    assert rows == {"Russia": ["Armenia, Azerbaijan (assumed)"], "Turkey": ["Armenia"]}
    # Curated reactions (the bundled seed) carry no basis: a person wrote their targets down.
    sparql = "SELECT (COUNT(?r) AS ?n) WHERE { ?r a dr:Reaction ; dr:confidence 1.00 . FILTER EXISTS { ?r dr:targetBasis ?b } }"
    assert diplo_json("--store", str(store_dir), "query", "-e", sparql)["results"]["bindings"][0]["n"]["value"] == "0"
