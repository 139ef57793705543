"""`diplo import`: GDELT, ICEWS and mapped CAMEO tables become reactions beside curated and
extracted ones; bad rows are skipped and counted, or reject the file with --strict.

The fixtures are rows we write in each data set's documented column layout (GDELT 2.0 Event
Codebook, GDELT 1.0 Data Format Codebook, the ICEWS header), with made-up event ids and URLs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import diplo, diplo_json, quads
from graph.eventdata import GDELT1_COLUMNS, GDELT2_COLUMNS, cameo_stances, plover_stances, stance_for

GDELT2 = list(GDELT2_COLUMNS)
GDELT1 = list(GDELT1_COLUMNS)


def gdelt_row(columns: list[str] = GDELT2, **values: str) -> str:
    fields = {c: "" for c in columns}
    fields.update({"SQLDATE": "20200714", "IsRootEvent": "1", "DATEADDED": "20200714120000"})
    fields.update(values)
    code = fields["EventCode"]
    fields.update({"EventBaseCode": code[:3], "EventRootCode": code[:2]})
    return "\t".join(fields[c] for c in columns)


def event(event_id: str, actor: str, target: str, code: str, **more: str) -> str:
    """A GDELT 2.0 row between two country codes (or known groups, given as "UNO" etc.)."""
    groups = {"UNO", "EEC", "NAT"}
    a1 = {"Actor1Code": f"IGO{actor}", "Actor1KnownGroupCode": actor} if actor in groups else {"Actor1Code": f"{actor}GOV", "Actor1CountryCode": actor}
    a2 = {"Actor2Code": f"{target}GOV", "Actor2CountryCode": target} if target else {}
    return gdelt_row(GLOBALEVENTID=event_id, EventCode=code, GoldsteinScale="-2.0", NumMentions="10", NumSources="3",
                     NumArticles="10", AvgTone="-4.5", SOURCEURL=f"https://example.org/news/{event_id}", **{**a1, **a2, **more})


GOOD_ROWS = [
    event("900001", "TUR", "ARM", "111"),          # Turkey criticizes Armenia
    event("900002", "RUS", "AZE", "0256"),         # Russia appeals to Azerbaijan for de-escalation
    event("900003", "UNO", "ARM", "026"),          # the UN appeals to Armenia to negotiate
    event("900004", "FRA", "TUR", "112", IsRootEvent="0"),  # not a root event
    event("900005", "ARM", "AZE", "190"),          # fighting: not verbal
    event("900006", "USA", "USA", "111"),          # domestic
    event("900007", "GBR", "RUS", "040"),          # consult: no stance concept
    event("900008", "AZE", "ARM", "138"),          # a threat of force
]


@pytest.fixture()
def gdelt_file(tmp_path: Path) -> Path:
    path = tmp_path / "20200714120000.export.CSV"
    path.write_text("\n".join(GOOD_ROWS) + "\n", encoding="utf-8")
    return path


def summary(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_cameo_codes_map_through_the_stance_scheme():
    assert stance_for("111").label == "criticize"
    assert stance_for("1123").notation == "accuse"  # its own, finer mapping
    assert stance_for("0256").label == "call for de-escalation"  # exactMatch beats closeMatch
    assert stance_for("106").notation == "APPEAL"  # a demand: the parent code 10
    assert stance_for("040") is None  # consultations carry no stance
    assert {s.coarse for s in cameo_stances().values()} == {"CONCERN", "APPEAL", "MEDIATE", "SUPPORT", "DISAPPROVE", "THREATEN", "REJECT"}
    assert plover_stances()["ACCUSE"].notation == "DISAPPROVE"  # PLOVER types are coarse: the class wins
    assert plover_stances()["REQUEST"].notation == "APPEAL"


def test_gdelt_rows_become_reactions_beside_the_curated_ones(store_dir: Path, gdelt_file: Path):
    result = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))[0]
    assert (result["rows"], result["imported"]) == (8, 4)
    assert result["skipped_by_reason"] == {
        "not a root event": 1, "not a verbal event (CAMEO root 19)": 1,
        "actor and target are the same": 1, "no stance concept for CAMEO 040": 1,
    }
    turkey = json.loads(diplo("--store", str(store_dir), "actor", "Turkey", "--since", "2020-07-12", "--format", "json").stdout)
    kinds = {(p["source_kind"], p["stance_class"], tuple(p["targets"])) for p in turkey["positions"]}
    assert ("gdelt", "DISAPPROVE", ("Armenia",)) in kinds
    assert ("curated", "SUPPORT", ("Azerbaijan",)) in kinds
    imported = next(p for p in turkey["positions"] if p["source_kind"] == "gdelt")
    assert imported["source_url"] == "https://example.org/news/900001"
    assert imported["when"] == "2020-07-14" and imported["confidence"] == 0.5
    table = diplo("--store", str(store_dir), "actor", "Turkey").stdout
    assert "gdelt" in table and "curated" in table  # each position labelled with its kind
    # An imported row's fixed 0.5 is no extractor's confidence: a confidence cut keeps it.
    cut = json.loads(diplo("--store", str(store_dir), "actor", "Turkey", "--since", "2020-07-12", "--min-confidence", "0.9",
                           "--format", "json").stdout)
    assert {p["reaction"] for p in cut["positions"]} == {p["reaction"] for p in turkey["positions"]}
    un = json.loads(diplo("--store", str(store_dir), "actor", "United Nations", "--format", "json").stdout)
    assert [(p["stance"], p["targets"]) for p in un["positions"]] == [("call for dialogue", ["Armenia"])]


def test_reimporting_a_file_adds_nothing_and_forget_removes_it(store_dir: Path, gdelt_file: Path):
    before = quads(store_dir)
    first = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))[0]
    after = quads(store_dir)
    again = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))[0]
    assert again["unchanged"] and not again["written"]  # the same file, importer and options: left alone
    assert quads(store_dir) == after > before
    narrower = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--codes", "11", "--format", "json"))[0]
    assert narrower["written"] and narrower["imported"] == 1  # other options replace the graph
    summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))
    assert quads(store_dir) == after
    key = first["graph"].rsplit("/", 1)[-1]
    listed = json.loads(diplo("--store", str(store_dir), "sources", "--format", "json").stdout)
    assert any(s["key"] == key and s["reactions"] == 4 and s["made_by"].startswith("diplograph gdelt importer") for s in listed)
    assert diplo("--store", str(store_dir), "forget", key).exit_code == 0
    assert quads(store_dir) == before


def test_filters_keep_only_what_is_asked(store_dir: Path, gdelt_file: Path):
    codes = summary(diplo("import", "gdelt", str(gdelt_file), "--dry-run", "--codes", "02", "--format", "json"))[0]
    assert codes["imported"] == 2 and codes["written"] is False
    countries = summary(diplo("import", "gdelt", str(gdelt_file), "--dry-run", "--countries", "aze", "--format", "json"))[0]
    assert countries["imported"] == 2  # Russia→Azerbaijan, Azerbaijan→Armenia
    everything = summary(diplo("import", "gdelt", str(gdelt_file), "--dry-run", "--all-events", "--format", "json"))[0]
    assert everything["imported"] == 5
    later = summary(diplo("import", "gdelt", str(gdelt_file), "--dry-run", "--since", "2020-07-15", "--format", "json"))[0]
    assert later["imported"] == 0 and later["skipped_by_reason"]["outside --since/--until"] == 6


def test_gdelt_1_rows_with_and_without_source_url(tmp_path: Path):
    daily = gdelt_row(GDELT1, GLOBALEVENTID="700001", Actor1Code="RUSGOV", Actor1CountryCode="RUS", Actor2Code="UKRGOV",
                      Actor2CountryCode="UKR", EventCode="130", DATEADDED="20160728", SOURCEURL="https://example.org/a")
    backfile = "\t".join(gdelt_row(GDELT1, GLOBALEVENTID="700002", SQLDATE="19820110", Actor1Code="GBRGOV", Actor1CountryCode="GBR",
                                   Actor2Code="ARGGOV", Actor2CountryCode="ARG", EventCode="111", DATEADDED="20130203").split("\t")[:57])
    path = tmp_path / "events.csv"
    path.write_text(f"{daily}\n{backfile}\n", encoding="utf-8")
    result = summary(diplo("import", "gdelt", str(path), "--dry-run", "--format", "json"))[0]
    assert (result["rows"], result["imported"]) == (2, 2)


def test_zip_files_and_a_header_line(tmp_path: Path, gdelt_file: Path, store_dir: Path):
    archive = tmp_path / "export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("export.CSV", "\t".join(GDELT2) + "\n" + gdelt_file.read_text(encoding="utf-8"))
    result = summary(diplo("--store", str(store_dir), "import", "gdelt", str(archive), "--format", "json"))[0]
    assert (result["rows"], result["imported"]) == (8, 4)


def test_bad_rows_are_skipped_and_counted(tmp_path: Path, store_dir: Path):
    path = tmp_path / "bad.CSV"
    rows = [
        event("800001", "TUR", "ARM", "111"),
        "\t".join(event("800002", "TUR", "ARM", "111").split("\t")[:40]),  # wrong column count
        event("800003", "TUR", "ARM", "111", SQLDATE="20201345"),        # bad date
        event("800004", "TUR", "ARM", "999"),                             # unknown code
    ]
    data = ("\n".join(rows) + "\n").encode("utf-8") + event("800005", "TUR", "ARM", "111", Actor1Name="ANKARA\udcff").encode("utf-8", "surrogateescape") + b"\n"
    path.write_bytes(data)
    result = summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--format", "json"))[0]
    assert (result["rows"], result["imported"]) == (5, 1)
    assert result["skipped_by_reason"] == {"wrong column count": 1, "bad date": 1, "unknown CAMEO code": 1, "not UTF-8": 1}


@pytest.mark.parametrize("line, bad", [(2, lambda r: "\t".join(r.split("\t")[:40])), (2, lambda r: r.replace("20200714", "2020-99-99", 1))])
def test_strict_rejects_the_file_at_its_first_bad_row(tmp_path: Path, store_dir: Path, line: int, bad):
    path = tmp_path / "strict.CSV"
    path.write_text(GOOD_ROWS[0] + "\n" + bad(GOOD_ROWS[1]) + "\n", encoding="utf-8")
    before = quads(store_dir)
    result = diplo("--store", str(store_dir), "import", "gdelt", str(path), "--strict")
    assert result.exit_code == 2 and f"{path}:{line}:" in result.stderr
    assert quads(store_dir) == before


def test_a_truncated_zip_loses_only_its_tail_or_fails_with_strict(tmp_path: Path, store_dir: Path):
    rows = [event(str(600000 + i), "TUR", "ARM", "111") for i in range(3000)]
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.CSV", "\n".join(rows) + "\n")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    before = quads(store_dir)
    strict = diplo("--store", str(store_dir), "import", "gdelt", str(cut), "--strict")
    assert strict.exit_code == 2 and str(cut) in strict.stderr and quads(store_dir) == before
    lenient = diplo("--store", str(store_dir), "import", "gdelt", str(cut), "--format", "json")
    if lenient.exit_code == 0:
        report = json.loads(lenient.stdout)[0]
        assert report["imported"] < 3000 and any("zip" in reason for reason in report["skipped_by_reason"])
    else:  # the central directory is gone: the file can't be opened at all
        assert "zip" in lenient.stderr and quads(store_dir) == before


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\t"
                "Target Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\t"
                "Province\tCountry\tLatitude\tLongitude")


def icews_row(event_id: str, source: str, source_country: str, code: str, target: str, target_country: str) -> str:
    return "\t".join([event_id, "2018-06-01", source, "Government", source_country, "Criticize or denounce", code, "-2",
                      target, "Government", target_country, "5551", "1", "Example Wire", "NA", "NA", "NA", "NA", "NA", "NA"])


def test_icews_rows_resolve_country_names_and_organizations(tmp_path: Path, store_dir: Path):
    path = tmp_path / "events.tab"
    path.write_text("\n".join([
        ICEWS_HEADER,
        icews_row("1", "Foreign Affairs (Iran)", "Iran", "111", "Government (Israel)", "Israel"),
        icews_row("2", "United Nations", "NA", "0256", "Military (Syria)", "Syria"),
        icews_row("3", "Citizen (Chile)", "Chile", "040", "Government (Peru)", "Peru"),
    ]) + "\n", encoding="utf-8")
    result = summary(diplo("--store", str(store_dir), "import", "icews", str(path), "--format", "json"))[0]
    assert (result["rows"], result["imported"]) == (3, 2)
    iran = json.loads(diplo("--store", str(store_dir), "actor", "Iran", "--format", "json").stdout)
    assert [(p["stance"], p["targets"], p["source_kind"]) for p in iran["positions"]] == [("criticize", ["Israel"], "icews")]
    assert iran["positions"][0]["source_title"] == "Example Wire story 5551 (ICEWS)"


def test_a_mapped_table_and_states_added_from_iso_data(tmp_path: Path, store_dir: Path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("id: event_id\ndate: day\nactor: source_iso3\ntarget: target_iso3\ncode: cameo\nurl: link\n", encoding="utf-8")
    table = tmp_path / "events.csv"
    table.write_text("event_id,day,source_iso3,target_iso3,cameo,link\n"
                     "a1,2020-07-13,GRL,ARM,0256,https://example.org/t\n", encoding="utf-8")
    result = summary(diplo("--store", str(store_dir), "import", "csv", "--map", str(mapping), str(table), "--format", "json"))[0]
    assert result["imported"] == 1
    # Greenland is no state of the reference data; the import adds it from ISO 3166 (pycountry).
    added = json.loads(diplo("--store", str(store_dir), "actor", "GRL", "--format", "json").stdout)
    assert added["actor"]["label"] == "Greenland" and added["positions"][0]["source_kind"] == "csv"
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: event_id\ndate: day\n", encoding="utf-8")
    bad = diplo("--store", str(store_dir), "import", "csv", "--map", str(broken), str(table))
    assert bad.exit_code == 2 and "needs actor, code (or plover)" in bad.stderr


def test_a_plover_coded_table_maps_through_the_stance_scheme(tmp_path: Path):
    mapping = tmp_path / "plover.yaml"
    mapping.write_text("id: id\ndate: date\nactor: actor\ntarget: target\nplover: event_type\nactor_kind: name\n", encoding="utf-8")
    table = tmp_path / "plover.csv"
    table.write_text("id,date,actor,target,event_type\n"
                     "p1,2023-02-01,Russia,Ukraine,THREATEN\np2,2023-02-02,Turkey,Russia,REQUEST\np3,2023-02-03,China,Russia,PROTEST\n",
                     encoding="utf-8")
    report = summary(diplo("import", "csv", "--map", str(mapping), str(table), "--dry-run", "--format", "json"))[0]
    assert report["imported"] == 2 and report["skipped_by_reason"] == {"no stance concept for PLOVER PROTEST": 1}


def test_import_needs_a_store_or_a_dry_run(gdelt_file: Path):
    result = diplo("import", "gdelt", str(gdelt_file))
    assert result.exit_code == 2 and "--store" in result.stderr


def test_the_view_can_show_one_source_kind(store_dir: Path, gdelt_file: Path, tmp_path: Path):
    import re

    summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))
    out = tmp_path / "gdelt.html"
    assert diplo("--store", str(store_dir), "view", "--source-kind", "gdelt", "-o", str(out)).exit_code == 0
    data = json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1))
    assert len(data["reactions"]) == 4
    assert {(e["from"], e["to"]) for e in data["edges"]} == {("Turkey", "Armenia"), ("Russia", "Azerbaijan"), ("United Nations", "Armenia"), ("Azerbaijan", "Armenia")}


def test_the_analyses_can_leave_out_imported_event_data(store_dir: Path, gdelt_file: Path):
    curated_blocs = diplo_json("--store", str(store_dir), "blocs")
    curated_timeline = diplo_json("--store", str(store_dir), "timeline", "Turkey")
    summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))
    assert diplo_json("--store", str(store_dir), "timeline", "Turkey") != curated_timeline
    # Asking for the curated graph alone gives what the store said before the import.
    assert diplo_json("--store", str(store_dir), "blocs", "--source-kind", "curated") == curated_blocs
    assert diplo_json("--store", str(store_dir), "timeline", "Turkey", "--source-kind", "curated") == curated_timeline
    # And the imported rows alone are GDELT's: Turkey's one event row, against Armenia.
    imported = diplo_json("--store", str(store_dir), "timeline", "Turkey", "--source-kind", "gdelt")
    assert [(p["source_kind"], p["targets"]) for p in imported] == [("gdelt", ["Armenia"])]
    compared = diplo_json("--store", str(store_dir), "compare", "Turkey", "Russia", "--source-kind", "gdelt")
    assert [(row["stance_class"], row["verdict"], row["Turkey"], row["Russia"]) for row in compared] == [
        ("APPEAL", "only Russia", [], ["call for de-escalation → Azerbaijan"]),
        ("DISAPPROVE", "only Turkey", ["criticize → Armenia"], []),
    ]
    bad = diplo("--store", str(store_dir), "mediators", "--source-kind", "rumour")
    assert bad.exit_code == 2 and "--source-kind" in bad.stderr


def test_the_real_samples_import(shared: Path, store_dir: Path):
    data = shared / "data"
    if not (data / "gdelt2").is_dir():
        pytest.skip(f"no real event samples under {data}")
    for kind, path in (("gdelt", data / "gdelt2" / "20191024143000.export.CSV"), ("gdelt", data / "gdelt1" / "events.csv"),
                       ("icews", data / "icews" / "events.2018.sample.tab")):
        report = summary(diplo("--store", str(store_dir), "import", kind, str(path), "--format", "json"))[0]
        assert report["rows"] > 500 and report["imported"] > 50, report
        assert not {"wrong column count", "bad date", "not UTF-8", "unknown CAMEO code"} & set(report["skipped_by_reason"])
    assert diplo("--store", str(store_dir), "validate").exit_code == 0


# -- nothing forged: identifiers from the input become IRIs only through data_iri ---------------

HOSTILE = [
    "fake> <p> <o> <https://w3id.org/diplograph/id/source/x> . #",
    'quoted "id" \\" end',
    "nul\u0000inside",
    "tab\\tand\\nslashes/../#frag",
    "x" * 100_000,
]


def graph_contents(folder: Path) -> dict[str, set]:
    """Every quad of an on-disk store, by graph (but the summaries, which every write recounts)."""
    from graph.store import Store

    store = Store.open(folder)
    try:
        out: dict[str, set] = {}
        for s, p, o, g in store.quads():
            out.setdefault(str(g), set()).add((s, p, o))
        return out
    finally:
        store.close()


def test_any_text_becomes_one_valid_iri_of_its_own():
    from urllib.parse import unquote

    import pyoxigraph

    from graph.model import data_iri

    keys = [*HOSTILE, "line\nbreak", "a/b", "a%2Fb", "~h", "Côte d'Ivoire", "\udcff lone surrogate"]
    iris = [str(data_iri("reaction", key)) for key in keys]
    assert len(set(iris)) == len(keys)  # no two keys meet
    for key, iri in zip(keys, iris):
        pyoxigraph.NamedNode(iri)  # a valid IRI (raises otherwise)
        segment = iri.rsplit("/", 1)[-1]
        assert iri.startswith("https://w3id.org/diplograph/id/reaction/") and "#" not in iri and len(iri) < 200
        if not segment.startswith("~"):
            assert unquote(segment, errors="surrogatepass") == key
    assert data_iri("actor", "united-nations").endswith("/actor/united-nations")  # slugs stay as they are


def test_hostile_ids_and_names_forge_nothing_and_forget_leaves_nothing(tmp_path: Path, store_dir: Path):
    import csv

    from rdflib import Literal

    from graph.vocab import DR

    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("id: id\ndate: day\nactor: from\ntarget: to\ncode: cameo\n", encoding="utf-8")
    table = tmp_path / "hostile.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", "day", "from", "to", "cameo"])
        for hostile in HOSTILE:
            out.writerow([hostile.replace("\n", " "), "2020-07-14", "TUR", "ARM", "111"])
    gdelt = tmp_path / "hostile.CSV"
    gdelt.write_text("\n".join([
        event(HOSTILE[0], "TUR", "ARM", "111"),  # an event id GDELT never writes: skipped, counted
        *(event(str(500001 + i), "TUR", "ARM", "111", Actor1Code="MNCTUR", Actor1Name=name, Actor1Type1Code="MNC")
          for i, name in enumerate(HOSTILE)),
    ]) + "\n", encoding="utf-8")
    before = graph_contents(store_dir)

    report = summary(diplo("--store", str(store_dir), "import", "csv", "--map", str(mapping), str(table), "--format", "json"))[0]
    assert (report["rows"], report["imported"]) == (len(HOSTILE), len(HOSTILE))
    hostile_gdelt = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt), "--actors", "all", "--format", "json"))[0]
    assert hostile_gdelt["imported"] == len(HOSTILE) and hostile_gdelt["skipped_by_reason"] == {"bad event id": 1}

    after = graph_contents(store_dir)
    new = set(after) - set(before)
    assert new == {report["graph"], hostile_gdelt["graph"]}  # no other graph appeared …
    assert {g: after[g] for g in before} == before  # … and none changed
    table_graph = after[report["graph"]]
    assert {str(o) for s, p, o in table_graph if p == DR.externalId} == {h.replace("\n", " ") for h in HOSTILE}
    assert {str(o) for s, p, o in after[hostile_gdelt["graph"]] if p == DR.externalId} == {str(500001 + i) for i in range(len(HOSTILE))}
    labels = {str(o) for s, p, o in after[hostile_gdelt["graph"]] if str(p).endswith("#prefLabel")}
    assert labels == {f"{name} (Turkey)" if not name.isupper() else f"{name.title()} (Turkey)" for name in HOSTILE}
    for graph in new:
        for s, p, o in after[graph]:
            for iri in (t for t in (s, p, o) if not isinstance(t, Literal)):
                assert len(str(iri)) < 300 and not set(str(iri)) & set(' <>"{}|\\^`\x00\n'), iri

    for graph in new:
        assert diplo("--store", str(store_dir), "forget", graph.rsplit("/", 1)[-1]).exit_code == 0
    assert graph_contents(store_dir) == before


# -- faithful actors: only a state's organs speak for it ----------------------------------------


def sample_rows(shared: Path, tmp_path: Path, *ids: str) -> Path:
    """The rows of the real GDELT 2.0 sample with these event ids, as a file of their own."""
    sample = shared / "data" / "gdelt2" / "20191024143000.export.CSV"
    if not sample.is_file():
        pytest.skip(f"no real GDELT sample at {sample}")
    rows = [line for line in sample.read_text(encoding="utf-8").splitlines() if line.split("\t", 1)[0] in ids]
    assert len(rows) == len(ids)
    path = tmp_path / "sample-rows.CSV"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def gdelt_positions(store_dir: Path, actor: str) -> list[dict]:
    return [p for p in diplo_json("--store", str(store_dir), "actor", actor)["positions"] if p["source_kind"] == "gdelt"]


def test_a_company_is_not_its_country(shared: Path, tmp_path: Path, store_dir: Path):
    # 881992198: MNCUSA "SHERWIN WILLIAMS" (MNC) expresses concern; 881992215: MNCUSAMED "GOOGLE"
    # criticizes; 881992914: USAMED "REUTERS" accuses Turkey; 881992398: Russia accuses USAMED
    # "REUTERS"; 881992866: USAGOV "HILLARY CLINTON" and 881992902: USAGOVCVL "NASA" are the state's.
    path = sample_rows(shared, tmp_path, "881992198", "881992215", "881992914", "881992398", "881992866", "881992902")
    report = summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--format", "json"))[0]
    assert report["imported"] == 2
    assert report["skipped_by_reason"] == {
        "actor does not speak for its state (Multinational Corporation)": 2,
        "actor does not speak for its state (Media)": 1,
        "target does not speak for its state (Media)": 1,
    }
    usa = gdelt_positions(store_dir, "United States")
    assert sorted(p["stance"] for p in usa) == sorted([stance_for("1014").label, stance_for("012").label])
    assert "sherwin" not in json.dumps(usa).lower()


def test_with_actors_all_a_company_speaks_for_itself(shared: Path, tmp_path: Path, store_dir: Path):
    path = sample_rows(shared, tmp_path, "881992198", "881992398")
    report = summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--actors", "all", "--format", "json"))[0]
    assert report["imported"] == 2
    company = diplo_json("--store", str(store_dir), "actor", "Sherwin Williams")
    assert company["actor"]["label"] == "Sherwin Williams (United States)"
    assert [(p["stance_class"], p["source_kind"]) for p in company["positions"]] == [("CONCERN", "gdelt")]
    assert [p["targets"] for p in gdelt_positions(store_dir, "Russia")] == [["Reuters (United States)"]]
    assert gdelt_positions(store_dir, "United States") == []


def test_the_gdelt_sample_credits_states_only_with_their_organs(shared: Path):
    sample = shared / "data" / "gdelt2" / "20191024143000.export.CSV"
    if not sample.is_file():
        pytest.skip(f"no real GDELT sample at {sample}")
    states = summary(diplo("import", "gdelt", str(sample), "--dry-run", "--format", "json"))[0]
    everyone = summary(diplo("import", "gdelt", str(sample), "--dry-run", "--actors", "all", "--format", "json"))[0]
    not_states = {why: n for why, n in states["skipped_by_reason"].items() if "does not speak for its state" in why}
    assert not_states["actor does not speak for its state (Multinational Corporation)"] == 10
    # 17 of these rows were imported, credited to the state, before; 4 were skipped as a state reacting to itself.
    assert sum(not_states.values()) == 21
    assert states["imported"] == 181 and everyone["imported"] > states["imported"]
    assert not any("does not speak" in why for why in everyone["skipped_by_reason"])


def test_icews_sectors_and_a_mapped_type_column_decide_who_speaks_for_a_state(tmp_path: Path):
    rows = [
        icews_row("1", "Foreign Affairs (Iran)", "Iran", "111", "Government (Israel)", "Israel"),
        icews_row("2", "Citizen (Chile)", "Chile", "111", "Government (Peru)", "Peru").replace("Government", "General Population / Civilian / Social", 1),
        icews_row("3", "Ministry of Finance (Peru)", "Peru", "111", "Business (Chile)", "Chile").replace("\tGovernment\t", "\tFinance / Economy / Commerce / Trade Ministry\t", 1).replace("\tGovernment\t", "\tBusiness\t", 1),
        icews_row("4", "Russia", "Russian Federation", "111", "Ukraine", "Ukraine").replace("\tGovernment\t", "\tNA\t"),
    ]
    path = tmp_path / "events.tab"
    path.write_text("\n".join([ICEWS_HEADER, *rows]) + "\n", encoding="utf-8")
    report = summary(diplo("import", "icews", str(path), "--dry-run", "--format", "json"))[0]
    assert report["imported"] == 2  # Iran's foreign ministry; Russia itself (no sector)
    assert report["skipped_by_reason"] == {"actor does not speak for its state (no state sector)": 1,
                                           "target does not speak for its state (no state sector)": 1}
    mapping = tmp_path / "typed.yaml"
    mapping.write_text("id: id\ndate: day\nactor: actor\nactor_type: actor_type\ntarget: target\ncode: cameo\n", encoding="utf-8")
    table = tmp_path / "typed.csv"
    table.write_text("id,day,actor,actor_type,target,cameo\n"
                     "t1,2020-07-13,TUR,GOV,ARM,111\nt2,2020-07-13,TUR,MNCMED,ARM,111\nt3,2020-07-13,TUR,,ARM,111\n", encoding="utf-8")
    typed = summary(diplo("import", "csv", "--map", str(mapping), str(table), "--dry-run", "--format", "json"))[0]
    assert typed["imported"] == 2 and typed["skipped_by_reason"] == {"actor does not speak for its state (Multinational Corporation)": 1}
    named = tmp_path / "named.yaml"
    named.write_text(mapping.read_text(encoding="utf-8") + "actor_kind: name\n", encoding="utf-8")
    table.write_text(table.read_text(encoding="utf-8").replace(",TUR,", ",Turkey,").replace(",ARM,", ",Armenia,"), encoding="utf-8")
    by_name = summary(diplo("import", "csv", "--map", str(named), str(table), "--dry-run", "--format", "json"))[0]
    assert by_name["imported"] == 2 and by_name["skipped_by_reason"] == typed["skipped_by_reason"]


# -- bad input --------------------------------------------------------------------------------


def test_one_bad_event_id_is_skipped_not_fatal(tmp_path: Path, store_dir: Path):
    path = tmp_path / "spaced.CSV"
    path.write_text(GOOD_ROWS[0] + "\n" + event("9000 02", "RUS", "AZE", "0256") + "\n", encoding="utf-8")
    report = summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--format", "json"))[0]
    assert (report["imported"], report["skipped_by_reason"]) == (1, {"bad event id": 1})
    before = quads(store_dir)
    strict = diplo("--store", str(store_dir), "import", "gdelt", str(path), "--strict")
    assert strict.exit_code == 2 and f"{path}:2: bad event id" in strict.stderr and quads(store_dir) == before


@pytest.mark.parametrize("text, says", [
    ("- id\n- date\n", "not a list"),
    ("just a string\n", "not a str"),
    ("id: id\ndate: day\nactor: a\ncode: c\ndelimiter: ';;'\n", "delimiter must be one character"),
    ("id: [a, b]\ndate: day\nactor: a\ncode: c\n", "must be column names"),
])
def test_a_malformed_mapping_is_one_line_of_error(tmp_path: Path, text: str, says: str):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(text, encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("id,day,a,c\n1,2020-01-01,TUR,111\n", encoding="utf-8")
    result = diplo("import", "csv", "--map", str(mapping), str(table), "--dry-run")
    assert result.exit_code == 2 and says in result.stderr and str(mapping) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_file_of_another_kind_is_refused_and_registers_nothing(shared: Path, tmp_path: Path, store_dir: Path):
    binary = tmp_path / "picture.CSV"
    binary.write_bytes(bytes(range(256)) * 64)
    icews = shared / "data" / "icews" / "events.2018.sample.tab"
    before = quads(store_dir)
    for path in (binary, icews, tmp_path / "empty.CSV"):
        if path.name == "empty.CSV":
            path.write_text("", encoding="utf-8")
        result = diplo("--store", str(store_dir), "import", "gdelt", str(path))
        assert result.exit_code == 2 and f"{path}: not a GDELT event export file" in result.stderr, result.stderr
    assert quads(store_dir) == before
    assert not any("gdelt" in (s["made_by"] or "") for s in json.loads(diplo("--store", str(store_dir), "sources", "--format", "json").stdout))


def test_imports_leave_no_folders_behind(tmp_path: Path, store_dir: Path, gdelt_file: Path, monkeypatch: pytest.MonkeyPatch):
    import tempfile

    from graph.eventdata import PARTS_FOLDER

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))
    failing = tmp_path / "bad.CSV"
    failing.write_text(GOOD_ROWS[0] + "\n" + "\t".join(GOOD_ROWS[1].split("\t")[:40]) + "\n", encoding="utf-8")
    assert diplo("--store", str(store_dir), "import", "gdelt", str(failing), "--strict").exit_code == 2
    assert list(temp.iterdir()) == [] and not (store_dir / PARTS_FOLDER).exists()


# -- reference data survives ------------------------------------------------------------------


def test_states_an_import_adds_survive_reimport_and_forgetting_a_source(tmp_path: Path, store_dir: Path):
    bermuda = event("910001", "BMU", "GBR", "111")  # Bermuda: no state of the bundled graph
    first, second = tmp_path / "first.CSV", tmp_path / "second.CSV"
    first.write_text(bermuda + "\n", encoding="utf-8")
    second.write_text(bermuda.replace("910001", "910002") + "\n", encoding="utf-8")
    one = summary(diplo("--store", str(store_dir), "import", "gdelt", str(first), "--format", "json"))[0]
    again = summary(diplo("--store", str(store_dir), "import", "gdelt", str(first), "--all-events", "--format", "json"))[0]
    assert again["written"]  # other options: the graph was replaced
    assert [p["targets"] for p in diplo_json("--store", str(store_dir), "actor", "Bermuda")["positions"]] == [["United Kingdom"]]
    summary(diplo("--store", str(store_dir), "import", "gdelt", str(second), "--format", "json"))
    assert diplo("--store", str(store_dir), "forget", one["graph"].rsplit("/", 1)[-1]).exit_code == 0
    left = diplo_json("--store", str(store_dir), "actor", "Bermuda")
    assert left["actor"]["label"] == "Bermuda" and len(left["positions"]) == 1
    assert diplo("--store", str(store_dir), "validate").exit_code == 0


# -- a re-import replaces the old graph only when the new one is complete ------------------------


@pytest.mark.parametrize("dies, survivor", [("staging", "0.1.0"), ("moving", "9.9.9")])
def test_a_killed_reimport_leaves_one_whole_import(tmp_path: Path, store_dir: Path, gdelt_file: Path, dies: str, survivor: str):
    import subprocess
    import sys
    import textwrap

    from graph.eventdata import IMPORTER_VERSION

    assert IMPORTER_VERSION == "0.1.0"
    first = summary(diplo("--store", str(store_dir), "import", "gdelt", str(gdelt_file), "--format", "json"))[0]
    imported = quads(store_dir)
    # The same file under a newer importer version replaces the graph; this process dies (as with
    # kill -9) while the new graph is being staged, or while the staged graph is moved into place.
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        import graph.eventdata as ed
        from graph.store import Store

        store = Store.open(Path({str(store_dir)!r}))
        real = store._ox

        class Dies:
            moved = False

            def __getattr__(self, name):
                return getattr(real, name)

            def bulk_load(self, **kw):
                if {dies!r} == "staging" and "#staging" in str(kw.get("to_graph")):
                    real.bulk_load(**kw)
                    os._exit(9)
                return real.bulk_load(**kw)

            def bulk_extend(self, quads):
                real.bulk_extend(quads)
                real.flush()
                self.moved = True

            def update(self, text, **kw):
                if {dies!r} == "moving" and self.moved:
                    os._exit(9)
                return real.update(text, **kw)

        store._ox = Dies()
        ed.IMPORTER_VERSION = "9.9.9"
        ed.import_files(store, [Path({str(gdelt_file)!r})], "gdelt")
    """)
    died = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    reopened = diplo("--store", str(store_dir), "sources", "--format", "json")
    if dies == "staging":  # the half-staged graph is dropped; a complete one is moved into place
        assert "an interrupted load was undone" in reopened.stderr
    assert quads(store_dir) == imported  # one whole import, nothing staged left over
    listed = [s for s in json.loads(reopened.stdout) if s["source"] == first["graph"]]
    assert [(s["reactions"], s["made_by"]) for s in listed] == [(4, f"diplograph gdelt importer {survivor}")]


def test_a_state_an_older_import_wrote_into_its_own_graph_moves_to_the_reference_graph(tmp_path: Path, store_dir: Path):
    from rdflib import URIRef

    from graph.eventdata import REFERENCE_GRAPH
    from graph.store import Store

    path = tmp_path / "bermuda.CSV"
    path.write_text(event("910001", "BMU", "GBR", "111") + "\n", encoding="utf-8")
    first = summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--format", "json"))[0]
    # As imports before the reference graph did: Bermuda only in the imported file's graph.
    store = Store.open(store_dir)
    store.update(f"MOVE GRAPH {URIRef(REFERENCE_GRAPH).n3()} TO GRAPH <urn:x-old:bermuda>")
    store.update(f"ADD GRAPH <urn:x-old:bermuda> TO GRAPH {URIRef(first['graph']).n3()} ; DROP GRAPH <urn:x-old:bermuda>")
    store.close()
    assert summary(diplo("--store", str(store_dir), "import", "gdelt", str(path), "--all-events", "--format", "json"))[0]["written"]
    bermuda = diplo_json("--store", str(store_dir), "actor", "Bermuda")
    assert bermuda["actor"]["label"] == "Bermuda" and len(bermuda["positions"]) == 1
