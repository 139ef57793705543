"""Issue 14's "Bad input" cases and issue 13's small ones, each kept as a test: a hostile or
careless input gets one short line naming the problem, a non-zero exit and an unchanged store;
data with control characters never reaches a terminal raw."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from graph.output import json_text, safe, write_rows
from graph.store import Store
from tests.conftest import diplo, diplo_json

ARTICLE = (
    "Russia condemned the shelling of Tavush by Armenia on Monday. "
    "The Russian Foreign Ministry said Moscow was deeply concerned and called on both sides to show restraint. "
    "Turkey expressed solidarity with Azerbaijan."
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>
"""


def store_digest(folder: Path) -> tuple[int, str]:
    """How many quads a store holds and a hash of them all: equal before and after means the
    store was not changed."""
    store = Store.open(folder)
    try:
        lines = sorted(" ".join(t.n3() for t in q if t is not None) for q in store.dataset.quads((None, None, None, None)))
    finally:
        store.close()
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def refused(result, *words: str) -> str:
    """The result failed with one short line of error that says ``words``."""
    assert result.exit_code != 0, result.output
    message = result.stderr.strip()
    assert message.count("\n") == 0, message
    assert len(message) < 700, message[:500]
    for word in words:
        assert word in message, message
    return message


def gdelt_rows(shared: Path, n: int = 30) -> list[str]:
    return (shared / "data" / "gdelt1" / "events.csv").read_text(encoding="utf-8").splitlines()[:n]


# -- RDF/XML entity expansion ---------------------------------------------------------------


def test_billion_laughs_rdfxml_is_refused_by_validate_at_once(tmp_path: Path):
    bomb = tmp_path / "lol.rdf"
    bomb.write_text(BILLION_LAUGHS)
    refused(diplo("validate", str(bomb)), "lol.rdf:", "entit")


def test_billion_laughs_is_refused_by_load_and_the_store_is_unchanged(store_dir: Path, tmp_path: Path):
    bomb = tmp_path / "lol.rdf"
    bomb.write_text(BILLION_LAUGHS)
    before = store_digest(store_dir)
    refused(diplo("--store", str(store_dir), "load", str(bomb)), "lol.rdf")
    refused(diplo("--store", str(store_dir), "validate", str(bomb)), "lol.rdf", "entit")
    assert store_digest(store_dir) == before


def test_rdfxml_with_a_plain_namespace_entity_still_validates(tmp_path: Path):
    ok = tmp_path / "ok.rdf"
    ok.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://example.org/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="&ex;a"><ex:p>hello</ex:p></rdf:Description></rdf:RDF>\n'
    )
    result = diplo("validate", str(ok))
    assert result.exit_code == 0, result.output + result.stderr


# -- mappings and event files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_text", "words"),
    [("- id\n- date\n", ("not a list",)), ("just a string\n", ("not a str",)),
     ("id: id\ndate: date\nactor: actor\ncode: code\ndelimiter: ';;'\n", ("delimiter", "';;'"))],
)
def test_a_mapping_that_is_not_a_column_map_is_refused(store_dir: Path, tmp_path: Path, yaml_text: str, words: tuple[str, ...]):
    rows = tmp_path / "rows.csv"
    rows.write_text("id,date,actor,code\n1,2020-07-13,RUS,051\n")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(yaml_text)
    before = store_digest(store_dir)
    refused(diplo("--store", str(store_dir), "import", "csv", "--map", str(mapping), str(rows)), "map.yaml", *words)
    assert store_digest(store_dir) == before


def test_a_gdelt_row_with_a_space_in_its_id_is_skipped_and_counted(store_dir: Path, tmp_path: Path, shared: Path):
    lines = gdelt_rows(shared)
    first, rest = lines[4].split("\t", 1)
    lines[4] = f"{first} x\t{rest}"
    events = tmp_path / "events.csv"
    events.write_text("\n".join(lines) + "\n")
    result = diplo("--store", str(store_dir), "import", "gdelt", str(events), "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads(result.stdout)[0]
    assert summary["skipped_by_reason"].get("bad event id") == 1
    assert summary["imported"] > 0
    before = store_digest(store_dir)
    strict = diplo("--store", str(store_dir), "import", "gdelt", "--strict", str(events))
    refused(strict, "events.csv:5", "bad event id")
    assert store_digest(store_dir) == before


@pytest.mark.parametrize("what", ["binary", "icews"])
def test_import_gdelt_of_a_file_with_no_gdelt_row_is_an_error_and_registers_nothing(store_dir: Path, tmp_path: Path, what: str):
    path = tmp_path / "events.csv"
    if what == "binary":
        path.write_bytes(os.urandom(4096))
    else:
        path.write_text("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\n"
                        "1\t2020-07-13\tRussia\tGovernment\tRussian Federation\tx\t051\n")
    before = store_digest(store_dir)
    refused(diplo("--store", str(store_dir), "import", "gdelt", str(path)), "events.csv", "not a GDELT")
    assert store_digest(store_dir) == before
    assert not any("events.csv" in (s["title"] or "") for s in diplo_json("--store", str(store_dir), "sources"))


# -- ingest ----------------------------------------------------------------------------------


def test_a_jsonl_title_with_a_newline_and_an_escaped_quote_is_kept_whole(store_dir: Path, tmp_path: Path):
    title = 'A title\nwith \\" and "quotes"'
    corpus = tmp_path / "a.jsonl"
    corpus.write_text(json.dumps({"title": title, "text": ARTICLE, "url": "https://example.org/a b>c"}) + "\n")
    result = diplo("--store", str(store_dir), "ingest", str(corpus))
    assert result.exit_code == 0, result.output + result.stderr
    [source] = [s for s in diplo_json("--store", str(store_dir), "sources") if s["url"] and "example.org" in s["url"]]
    assert source["title"] == title
    assert source["url"] == "https://example.org/a%20b%3Ec"


def test_a_single_object_json_file_is_one_article(store_dir: Path, tmp_path: Path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "One", "text": ARTICLE, "url": "https://example.org/one"}))
    result = diplo("--store", str(store_dir), "ingest", str(one))
    assert result.exit_code == 0, result.output + result.stderr
    assert "1 added" in result.stderr
    assert any(s["url"] == "https://example.org/one" for s in diplo_json("--store", str(store_dir), "sources"))


def test_a_broken_json_file_is_refused_with_its_line(store_dir: Path, tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"text":\n')
    before = store_digest(store_dir)
    refused(diplo("--store", str(store_dir), "ingest", str(broken)), "broken.json:", "not JSON")
    assert store_digest(store_dir) == before


def test_folder_ingest_counts_binary_and_description_files_as_skipped(store_dir: Path, tmp_path: Path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE)
    (folder / "binary.bin").write_bytes(os.urandom(2048))
    (folder / "SOURCE.md").write_text("# Where this corpus comes from\n\nRussia condemned nothing here.\n")
    (folder / "README.md").write_text("A readme.\n")
    (folder / "metadata.tsv").write_text("file\ttitle\narticle.txt\tA\n")
    result = diplo("--store", str(store_dir), "ingest", str(folder))
    assert result.exit_code == 0, result.output + result.stderr
    assert "1 document(s)" in result.stderr
    assert "skipped 4" in result.stderr
    assert "1 not a kind of file ingest reads (.bin)" in result.stderr
    assert "3 describes the folder, not an article" in result.stderr


def test_ingest_reports_the_reactions_it_stored(store_dir: Path, seed_text: str, tmp_path: Path):
    article = tmp_path / "seed.txt"
    article.write_text(seed_text)
    result = diplo("--store", str(store_dir), "ingest", str(article))
    assert result.exit_code == 0, result.output + result.stderr
    [source] = [s for s in diplo_json("--store", str(store_dir), "sources") if s["made_by"] and "extractor" in s["made_by"]]
    assert f"; {source['reactions']} reaction(s)" in result.stderr


def test_a_csv_without_a_header_line_is_reported_not_silently_emptied(tmp_path: Path):
    rows = tmp_path / "testset.csv"
    rows.write_text(f"BG;A headline;\"{ARTICLE * 8}\";N\nRU;Another;\"{ARTICLE * 8}\";A\n")
    result = diplo("ingest", str(rows), "--dry-run")
    # Nothing in it is usable: an error naming the file and why, as for an import.
    assert result.exit_code == 2, result.output + result.stderr
    assert "testset.csv" in result.stderr and "no header line" in result.stderr


def test_the_karabakh_testset_without_a_header_is_reported(shared: Path):
    testset = shared / "corpus" / "karabakh2020-country-support" / "testset.csv"
    if not testset.is_file():
        pytest.skip(f"needs {testset}")
    result = diplo("ingest", str(testset), "--dry-run")
    assert result.exit_code == 2, result.stderr
    assert "testset.csv" in result.stderr and "no header line" in result.stderr


# -- names, parameters and queries -------------------------------------------------------------


def test_a_100000_character_name_is_not_echoed_whole():
    message = refused(diplo("actor", "X" * 100_000), "no actor matches")
    assert "100,000 characters" in message and len(message) < 300  # says how long the name was instead of printing it


def test_a_parameter_without_letters_is_named_as_such():
    refused(diplo("query", "--named", "who-called-for-restraint", "--param", "event=>}"), "'>}'", "no letters or digits")


@pytest.mark.parametrize("on_disk", [False, True])
def test_a_sparql_syntax_error_is_one_line_with_line_and_column(on_disk: bool, store_dir: Path):
    where = ("--store", str(store_dir)) if on_disk else ()
    refused(diplo(*where, "query", "-e", "SELECT ?x WHERE {\n ?x ?y }}"), "malformed SPARQL at line 2, column")


@pytest.mark.parametrize("on_disk", [False, True])
def test_an_update_given_to_query_says_where_updates_go(on_disk: bool, store_dir: Path):
    where = ("--store", str(store_dir)) if on_disk else ()
    before = store_digest(store_dir)
    message = refused(diplo(*where, "query", "-e", "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"), "update")
    assert "diplo load" in message and "ingest" in message
    assert store_digest(store_dir) == before


def test_an_export_read_back_with_data_lists_each_actor_once(tmp_path: Path):
    export = tmp_path / "export.nq"
    assert diplo("export", "--format", "nq", "-o", str(export)).exit_code == 0
    names = [a["iri"] for a in diplo_json("--data", str(export), "actors", "--all")]
    assert names and len(names) == len(set(names))
    assert len(names) == len(diplo_json("actors", "--all"))


# -- control characters never reach a terminal raw ---------------------------------------------

CLEAR_SCREEN = "\x1b[2J"


def test_safe_shows_control_characters_as_escapes():
    assert safe(f"a{CLEAR_SCREEN}b\u202ec\x07") == "a\\x1b[2Jb\\u202ec\\x07"
    assert safe("two\nlines\tand tab") == "two\nlines\tand tab"
    assert safe("two\nlines", newlines=False) == "two\\nlines"


def test_json_output_escapes_control_characters_and_stays_the_same_value():
    value = {"title": f"x{CLEAR_SCREEN}\x9b\u202e y"}
    text = json_text(value)
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert json.loads(text) == value


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_tables_and_json_never_carry_raw_escapes(fmt: str):
    out = io.StringIO()
    write_rows([{"title": f"Hello{CLEAR_SCREEN}world", "n": 1}], fmt, out=out, title=f"T{CLEAR_SCREEN}")
    assert "\x1b" not in out.getvalue()


def test_sources_does_not_print_an_ingested_title_s_escape_codes(store_dir: Path, tmp_path: Path):
    corpus = tmp_path / "evil.jsonl"
    corpus.write_text(json.dumps({"title": f"Evil{CLEAR_SCREEN}title\x07", "text": ARTICLE, "url": "https://example.org/evil"}) + "\n")
    assert diplo("--store", str(store_dir), "ingest", str(corpus)).exit_code == 0
    for fmt in ("table", "json"):
        result = diplo("--store", str(store_dir), "sources", "--format", fmt)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "Evil" in result.stdout
    result = diplo("--store", str(store_dir), "forget", "https://example.org/evil")
    assert result.exit_code == 0 and "\x1b" not in result.stderr and "Evil" in result.stderr


def test_actor_and_event_output_escape_control_characters_in_data(tmp_path: Path):
    evil = tmp_path / "evil.ttl"
    evil.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/diplograph/id/actor/evil> a dr:State ; skos:prefLabel "Evilland\\u001b[2J" .\n'
    )
    result = diplo("--data", str(evil), "actors", "--all")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Evilland" in result.stdout and "\x1b" not in result.stdout
    lookup = diplo("--data", str(evil), "actor", "Evilland")
    assert "\x1b" not in lookup.stdout + lookup.stderr
    missing = diplo("actor", f"Nowhere{CLEAR_SCREEN}")
    assert missing.exit_code != 0 and "\x1b" not in missing.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_machine_output_is_escaped_on_a_terminal_and_kept_whole_in_a_pipe():
    from graph.output import for_terminal

    text = f"title\nEvil{CLEAR_SCREEN}\n"
    assert for_terminal(text, _Terminal()) == "title\nEvil\\x1b[2J\n"
    assert for_terminal(text, io.StringIO()) == text
    out = _Terminal()
    write_rows([{"title": f"Evil{CLEAR_SCREEN}"}], "csv", out=out)
    assert "\x1b" not in out.getvalue()
    piped = io.StringIO()
    write_rows([{"title": f"Evil{CLEAR_SCREEN}"}], "csv", out=piped)
    assert CLEAR_SCREEN in piped.getvalue()  # a file gets the data as it is


# -- found by scripts/attack.py --------------------------------------------------------------


@pytest.mark.parametrize("command", [["validate"], ["--data"]])
def test_an_iri_with_a_space_is_refused_like_the_store_refuses_it(tmp_path: Path, command: list[str]):
    bad = tmp_path / "space.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n<http://example.org/a b> ex:p ex:c .\n", encoding="utf-8")
    result = diplo(*command, str(bad), *(["actors"] if command == ["--data"] else []))
    refused(result, "space.ttl", "not an IRI")


def test_json_nested_too_deeply_is_one_line(tmp_path: Path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    refused(diplo("validate", str(deep)), "deep.jsonld", "nested too deeply")


def test_ingest_of_a_file_with_no_usable_document_is_an_error(tmp_path: Path):
    folder = tmp_path / "store"
    assert diplo("init", str(folder)).exit_code == 0
    rows = tmp_path / "nothing.jsonl"
    rows.write_text(json.dumps({"title": "no text here"}) + "\n", encoding="utf-8")
    result = diplo("--store", str(folder), "ingest", str(rows))
    assert result.exit_code == 2, result.output + result.stderr
    assert "nothing.jsonl" in result.stderr and "no usable document" in result.stderr
    assert diplo_json("--store", str(folder), "sources")[0]["key"] == "trtworld-death-toll-tavush-2020"
