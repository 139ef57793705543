"""Generated hostile input for every parser and parameter (hypothesis): actor names, --param
values, mapping YAML, JSONL and CSV corpus rows, GDELT rows.

The property is the same everywhere: the command either succeeds, or fails with one short line
on stderr and a non-zero exit and leaves the store as it was; it never raises a traceback (the
``diplo()`` helper does not catch exceptions) and never prints a raw control character. Each
property runs a bounded number of examples so the file takes seconds, not minutes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import diplo
from tests.test_bad_input import ARTICLE, store_digest

hypothesis = pytest.importorskip("hypothesis", reason="the fuzz suite needs hypothesis (pip install -e '.[test]')")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

#: Examples per property; DIPLO_FUZZ_EXAMPLES=200 runs a deeper search (the suite's default stays quick).
EXAMPLES = int(os.environ.get("DIPLO_FUZZ_EXAMPLES", "20"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOW_FUZZ = settings(max_examples=max(1, EXAMPLES * 2 // 5), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: Text as hostile as it gets: quotes, braces, SPARQL and Turtle punctuation, control characters,
#: escapes, line breaks, non-Latin letters and the odd very long run.
NASTY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list('"\'<>{}()?.;,#\\ \n\t\x1b\x00|&%$@^`~=*+-/:_') + ["\u202e", "\u0131", "Ş", "й"]), max_size=80),
    st.sampled_from(['>}', '1\n"Russia" } ?thing skos:prefLabel ?x } #\\"', "?b", "|| true ||", "fake> <p> <o> .", "\x1b[2J",
                     "Russia", "russia'", "<https://w3id.org/diplograph/id/actor/russia>", "X" * 5000, "", " ", "\\", '"""']),
)


def clean_or_one_line(result) -> bool:
    """The run succeeded, or it said why in one short line; either way no raw escape reached
    the terminal. Returns whether it succeeded."""
    assert "\x1b" not in result.stdout + result.stderr, (result.stdout + result.stderr)[:300]
    if result.exit_code == 0:
        return True
    message = result.stderr.strip()
    assert message.startswith("Error:"), message[:300]
    assert "\n" not in message and len(message) < 700, message[:500]
    return False


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("fuzz") / "store"
    assert diplo("init", str(folder)).exit_code == 0
    yield folder


@FUZZ
@given(name=NASTY)
def test_any_actor_name_gets_an_answer_or_one_line(fuzz_store: Path, name: str):
    before = store_digest(fuzz_store)
    clean_or_one_line(diplo("--store", str(fuzz_store), "actor", "--", name))
    clean_or_one_line(diplo("--store", str(fuzz_store), "event", "--", name))
    assert store_digest(fuzz_store) == before


@FUZZ
@given(value=NASTY, other=NASTY)
def test_any_param_value_is_bound_as_a_value(fuzz_store: Path, value: str, other: str):
    before = store_digest(fuzz_store)
    clean_or_one_line(diplo("--store", str(fuzz_store), "query", "--named", "who-called-for-restraint", "--param", f"event={value}"))
    free = diplo("--store", str(fuzz_store), "query", "-e",
                 "SELECT ?x WHERE { ?x skos:prefLabel ?l FILTER(STR(?l) = ?a || STR(?l) = ?b) }",
                 "--param", f"a={value}", "--param", f"b={other}", "--format", "json")
    if clean_or_one_line(free):
        # A value is never query text: the rows are the actors whose label is one of the two.
        rows = json.loads(free.stdout)["results"]["bindings"]
        assert len(rows) <= 2 * 3, rows
    assert store_digest(fuzz_store) == before


MAPPING_VALUES = st.one_of(NASTY, st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3), st.booleans())
MAPPINGS = st.one_of(
    NASTY,
    st.dictionaries(st.sampled_from(["id", "date", "actor", "code", "target", "delimiter", "actor_kind", "type_scheme", "url", "plover", "extra"]),
                    MAPPING_VALUES, max_size=8).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.lists(MAPPING_VALUES, max_size=4).map(yaml.safe_dump),
)


@FUZZ
@given(mapping=MAPPINGS)
def test_any_mapping_yaml_is_used_or_refused_in_one_line(fuzz_store: Path, tmp_path_factory: pytest.TempPathFactory, mapping: str):
    folder = tmp_path_factory.mktemp("map")
    (folder / "map.yaml").write_text(mapping, encoding="utf-8")
    (folder / "rows.csv").write_text("id,date,actor,code\n1,2020-07-13,RUS,051\n", encoding="utf-8")
    before = store_digest(fuzz_store)
    result = diplo("--store", str(fuzz_store), "import", "csv", "--map", str(folder / "map.yaml"), str(folder / "rows.csv"))
    if not clean_or_one_line(result):
        assert store_digest(fuzz_store) == before
    else:
        diplo("--store", str(fuzz_store), "forget", str(folder / "rows.csv"))


def _gdelt_row(fields: list[str]) -> str:
    return "\t".join(f.replace("\t", " ").replace("\n", " ").replace("\r", " ") for f in fields)


@st.composite
def gdelt_rows(draw: st.DrawFn) -> str:
    """A GDELT 1.0 row (58 columns) built from plausible values with some fields made hostile."""
    fields = [""] * 58
    fields[0] = draw(st.one_of(st.integers(1, 10**12).map(str), NASTY))
    fields[1] = draw(st.one_of(st.sampled_from(["20200713", "20201301", "2020", "0"]), NASTY))
    for at in (5, 15):
        fields[at] = draw(st.one_of(st.sampled_from(["RUS", "ARM", "AZE", "USA", "TUR", "RUSGOV", "USABUS", ""]), NASTY))
        fields[at + 1] = draw(NASTY)
        fields[at + 2] = draw(st.sampled_from(["RUS", "ARM", "", "XXX"]))
    fields[25] = draw(st.sampled_from(["1", "0", "x"]))
    fields[26] = draw(st.one_of(st.sampled_from(["051", "0311", "111", "173", "042", "1"]), NASTY))
    fields[27], fields[28] = fields[26][:3], fields[26][:2]
    for at in (30, 31, 32, 34):
        fields[at] = draw(st.one_of(st.sampled_from(["1", "-3.5", "1e400", "nan", ""]), NASTY))
    fields[57] = draw(st.one_of(st.just("https://example.org/news/1"), NASTY.map(lambda t: "http://x/" + t)))
    return _gdelt_row(fields)


@SLOW_FUZZ
@given(rows=st.lists(gdelt_rows(), min_size=1, max_size=4), strict=st.booleans())
def test_any_gdelt_rows_are_imported_skipped_or_refused(fuzz_store: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[str], strict: bool):
    path = tmp_path_factory.mktemp("gdelt") / "events.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = store_digest(fuzz_store)
    result = diplo("--store", str(fuzz_store), "import", "gdelt", *(["--strict"] if strict else []), str(path))
    if clean_or_one_line(result):
        clean_or_one_line(diplo("--store", str(fuzz_store), "sources"))
        clean_or_one_line(diplo("--store", str(fuzz_store), "forget", str(path)))
    else:
        assert store_digest(fuzz_store) == before


CORPUS_VALUE = st.one_of(NASTY, st.integers(), st.none(), st.floats(allow_nan=True), st.lists(st.text(max_size=5), max_size=2))


@st.composite
def corpus_rows(draw: st.DrawFn) -> dict[str, object]:
    row: dict[str, object] = draw(st.dictionaries(st.sampled_from(["title", "url", "date", "id", "other"]), CORPUS_VALUE, max_size=5))
    row["text"] = draw(st.one_of(st.just(ARTICLE), NASTY.map(lambda t: ARTICLE + " " + t), CORPUS_VALUE))
    return row


@SLOW_FUZZ
@given(rows=st.lists(corpus_rows(), min_size=1, max_size=3), suffix=st.sampled_from([".jsonl", ".json", ".csv", ".tsv"]))
def test_any_corpus_rows_are_ingested_skipped_or_refused(fuzz_store: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, object]], suffix: str):
    path = tmp_path_factory.mktemp("corpus") / f"corpus{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(rows if len(rows) > 1 else rows[0]), encoding="utf-8")
    else:
        import csv
        import io

        keys = sorted({k for r in rows for k in r})
        out = io.StringIO()
        writer = csv.DictWriter(out, keys, delimiter="," if suffix == ".csv" else "\t")
        writer.writeheader()
        writer.writerows({k: "" if r.get(k) is None else str(r.get(k)) for k in keys} for r in rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    before = store_digest(fuzz_store)
    result = diplo("--store", str(fuzz_store), "ingest", str(path))
    if clean_or_one_line(result):
        clean_or_one_line(diplo("--store", str(fuzz_store), "sources"))
    else:
        assert store_digest(fuzz_store) == before
