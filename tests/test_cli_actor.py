"""`diplo actor` and `diplo actors`: an analyst looks up who said what."""

from __future__ import annotations

from conftest import diplo, diplo_json


def by_class(positions: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in positions:
        out.setdefault(p["stance_class"], []).append(p)
    return out


def test_turkey_backs_azerbaijan_and_condemns_armenia_in_its_officials_words():
    data = diplo_json("actor", "Turkey")
    assert data["actor"]["label"] == "Turkey"
    classes = by_class(data["positions"])
    support_targets = {t for p in classes["SUPPORT"] for t in p["targets"]}
    disapprove_targets = {t for p in classes["DISAPPROVE"] for t in p["targets"]}
    assert support_targets == {"Azerbaijan"}
    assert disapprove_targets == {"Armenia"}
    speakers = {p["speaker"] for p in data["positions"]}
    assert {"Mevlüt Çavuşoğlu", "Recep Tayyip Erdoğan"} <= speakers
    words = " ".join(p["quote"] or p["evidence"] for p in data["positions"])
    assert "What Armenia did is unacceptable" in words
    assert "Azerbaijan is not alone" in words
    assert "This attack goes beyond the diametre of Armenia" in words


def test_every_position_names_its_source_and_evidence():
    data = diplo_json("actor", "Russia")
    assert len(data["positions"]) == 3
    for p in data["positions"]:
        assert p["source_url"].startswith("https://www.trtworld.com/")
        assert p["published"] == "2020-07-14"
        assert p["evidence"] and p["start"] < p["end"]
        assert p["when"] == "2020-07-12..2020-07-14"


def test_table_shows_the_words_speaker_and_role():
    result = diplo("actor", "Russia")
    assert result.exit_code == 0
    assert "deeply concerned" in result.stdout
    assert "Dmitry Peskov" in result.stdout and "spokesman" in result.stdout
    assert "MEDIATE" in result.stdout


def test_an_official_is_found_without_diacritics_and_says_on_whose_behalf():
    data = diplo_json("actor", "cavusoglu")
    assert data["actor"]["label"] == "Mevlüt Çavuşoğlu"
    assert data["actor"]["posts"][0]["on_behalf_of"] == "Turkey"
    assert {p["actor"] for p in data["positions"]} == {"Turkey"}
    assert {p["stance_class"] for p in data["positions"]} == {"SUPPORT", "DISAPPROVE"}


def test_surname_capital_adjective_and_misspelling_resolve():
    assert diplo_json("actor", "Peskov")["actor"]["label"] == "Dmitry Peskov"
    assert diplo_json("actor", "baku")["actor"]["label"] == "Azerbaijan"
    assert diplo_json("actor", "Ilhan Aliyev")["actor"]["label"] == "Ilham Aliyev"
    assert diplo_json("actor", "ERDOGAN")["actor"]["label"] == "Recep Tayyip Erdoğan"
    assert diplo_json("actor", "the Kremlin")["actor"]["label"] == "Kremlin"


def test_a_body_shows_what_its_officials_said():
    data = diplo_json("actor", "State Department")
    assert {p["speaker"] for p in data["positions"]} == {"Morgan Ortagus"}
    assert {p["stance_class"] for p in data["positions"]} == {"DISAPPROVE", "APPEAL"}


def test_unknown_actor_suggests_close_names_and_exits_2():
    result = diplo("actor", "Turkei")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr and "Turkey" in result.stderr
    assert "Traceback" not in result.output


def test_stance_filter_accepts_coarse_class_and_fine_concept():
    appeals = diplo_json("actor", "Russia", "--stance", "APPEAL")["positions"]
    assert [p["stance"] for p in appeals] == ["call for restraint"]
    fine = diplo_json("actor", "Azerbaijan", "--stance", "threaten-force")["positions"]
    assert len(fine) == 1 and fine[0]["targets"] == ["Armenia"]


def test_unknown_stance_is_a_clear_error():
    result = diplo("actor", "Russia", "--stance", "LOVE")
    assert result.exit_code == 2
    assert "unknown stance 'LOVE'" in result.stderr


def test_date_filters_use_what_the_source_allows():
    # Aliyev's threat to quit talks was "last week" (6-12 July): excluded from 13 July on.
    later = diplo_json("actor", "Aliyev", "--since", "2020-07-13")["positions"]
    assert "THREATEN" not in {p["stance_class"] for p in later}
    earlier = diplo_json("actor", "Aliyev", "--until", "2020-07-11")["positions"]
    assert {p["stance_class"] for p in earlier} == {"THREATEN", "REJECT"}
    bad = diplo("actor", "Aliyev", "--since", "last week")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_positions_are_newest_first():
    positions = diplo_json("actor", "Azerbaijan")["positions"]
    ends = [p["when"].split("..")[-1] for p in positions]
    assert ends == sorted(ends, reverse=True)
    assert positions[-1]["date_expression"] == "last week"


def test_csv_has_one_row_per_position():
    result = diplo("actor", "United States", "--format", "csv")
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("reaction,when,stance_class,stance")
    assert len(lines) == 1 + 2


def test_event_option_restricts_to_that_event():
    talks = diplo_json("actor", "Azerbaijan", "--event", "Minsk Group peace talks")["positions"]
    assert {p["stance_class"] for p in talks} == {"THREATEN", "REJECT"}
    assert all(p["event"] == "Minsk Group peace talks" for p in talks)


def test_actors_lists_every_actor_with_counts():
    rows = {r["actor"]: r for r in diplo_json("actors", "--all")}
    assert rows["Turkey"]["type"] == "State" and rows["Turkey"]["code"] == "TUR"
    assert rows["Russia"]["made"] == 3
    assert rows["Dmitry Peskov"]["voiced"] == 3
    assert rows["Armenia"]["received"] >= 8


def test_an_actor_is_found_by_the_iri_the_json_output_gives():
    turkey = diplo_json("actor", "Turkey")["actor"]["iri"]
    for written in (turkey, f"<{turkey}>"):
        assert diplo_json("actor", written)["actor"]["label"] == "Turkey"
        rows = diplo_json("query", "--named", "reactions-by", "--param", f"who={written}")["results"]["bindings"]
        actors = {r["value"]["value"] for r in rows if r["field"]["value"] == "actor"}
        assert actors == {turkey}
    missing = diplo("actor", turkey + "-nowhere")
    assert missing.exit_code == 2
    assert f"no actor matches '{turkey}-nowhere'" in missing.stderr
    # An event's IRI is not an actor.
    event = diplo("actor", "https://w3id.org/diplograph/id/event/tavush-2020")
    assert event.exit_code == 2 and "no actor matches" in event.stderr


def test_a_lookup_that_finds_nothing_says_which_options_left_nothing():
    # An empty table alone does not tell a date in the wrong year from an actor with no record.
    late = diplo("actor", "Turkey", "--since", "2030-01-01", "--format", "csv")
    assert late.exit_code == 0
    total = len(diplo_json("actor", "Turkey")["positions"])
    assert f"no positions of Turkey match --since 2030-01-01; {total} position(s) without them" in late.stderr
    kinds = diplo("timeline", "Turkey", "--source-kind", "gdelt", "--format", "json")
    assert kinds.exit_code == 0 and kinds.stdout.strip() == "[]"
    assert f"no positions of Turkey match --source-kind gdelt; {total} position(s) without them" in kinds.stderr
    event = diplo("event", "Tavush clashes", "--stance", "MEDIATE", "--until", "2020-01-01")
    assert "no reactions of July 2020 Tavush border clashes match --stance MEDIATE --until 2020-01-01;" in event.stderr
    # What was found needs no note.
    assert "note:" not in diplo("actor", "Turkey").stderr
