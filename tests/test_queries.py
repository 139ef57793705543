"""`diplo query`: shipped questions, any SPARQL, and parameters that can't inject."""

from __future__ import annotations

import json

import pytest
from rdflib.plugins.sparql import prepareQuery

from conftest import diplo
from graph import vocab
from graph.queries import PARAM_KINDS, named_queries


def rows(*args: str) -> list[dict[str, str]]:
    result = diplo("query", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_at_least_eight_questions_are_shipped_each_with_a_header_that_parses():
    queries = named_queries()
    assert len(queries) >= 8
    for q in queries.values():
        assert q.question.endswith("?") or q.question.endswith(".")
        assert all(p.kind in PARAM_KINDS for p in q.params)
        prepareQuery(q.text, initNs=dict(vocab.namespaces()))


def test_no_shipped_query_reaches_another_server():
    # run_query checks only the user's own text for SERVICE: the shipped ones must have none.
    from graph.sparql import refuse_service

    for q in named_queries().values():
        refuse_service(q.text)


def test_list_shows_names_and_questions():
    result = diplo("query", "--list")
    assert result.exit_code == 0
    for name in ("who-called-for-restraint", "casualty-claims", "officials"):
        assert name in result.stdout


def test_who_called_for_restraint_is_exactly_the_four_international_actors():
    found = {r["actorLabel"] for r in rows("--named", "who-called-for-restraint", "--param", "event=tavush-2020")}
    assert found == {"Russia", "NATO", "European Union", "United States"}


def test_event_param_accepts_a_label_and_restricts():
    assert rows("--named", "who-called-for-restraint", "--param", "event=Minsk Group peace talks") == []
    assert len(rows("--named", "who-called-for-restraint", "--param", "event=Tavush clashes")) == 4


def test_who_offered_mediation_is_russia_as_minsk_group_co_chair():
    found = rows("--named", "who-offered-mediation")
    assert [r["actorLabel"] for r in found] == ["Russia"]
    assert "co-chair of OSCE Minsk Group" in found[0]["capacities"]


def test_who_sided_with_whom():
    found = {(r["actorLabel"], r["side"], r["targetLabel"]) for r in rows("--named", "who-sided-with-whom")}
    assert ("Turkey", "with", "Azerbaijan") in found
    assert ("Turkey", "against", "Armenia") in found
    assert ("Armenia", "against", "Azerbaijan") in found
    assert not any(actor in ("Russia", "NATO", "European Union") for actor, _, _ in found)


def test_stances_toward_an_actor_need_the_actor():
    found = rows("--named", "stances-toward-actor", "--param", "target=Yerevan")
    assert {"Turkey", "Azerbaijan", "Russia", "NATO"} <= {r["actorLabel"] for r in found}
    missing = diplo("query", "--named", "stances-toward-actor")
    assert missing.exit_code == 2 and "needs --param target" in missing.stderr


def test_what_each_minsk_group_co_chair_said():
    found = rows("--named", "minsk-group-co-chairs-said")
    assert {r["coChairLabel"] for r in found} == {"France", "Russia", "United States"}
    said = {r["coChairLabel"] for r in found if r.get("stanceLabel")}
    assert said == {"Russia", "United States"}


def test_officials_and_whom_they_represent():
    listed = rows("--named", "officials", "--all")
    found = {r["personLabel"]: r["onBehalfOfLabel"] for r in listed}
    assert found["Dmitry Peskov"] == "Russia"
    assert found["Mevlüt Çavuşoğlu"] == "Turkey"
    assert found["Morgan Ortagus"] == "United States"
    assert found["James Appathurai"] == "NATO"
    assert found["Toivo Klaar"] == "European Union"
    assert found["António Guterres"] == "United Nations"  # from the world reference data
    # The eight who speak in the seed are the ones with statements.
    assert {r["personLabel"] for r in listed if int(r["statements"]) > 0} == {
        "Dmitry Peskov", "James Appathurai", "Toivo Klaar", "Mevlüt Çavuşoğlu", "Recep Tayyip Erdoğan",
        "Morgan Ortagus", "Ilham Aliyev", "Nikol Pashinyan",
    }


def test_casualty_claims_keep_each_claimant():
    found = rows("--named", "casualty-claims")
    claims = {(r["claimantLabel"], r.get("casualtiesOfLabel"), r["count"]) for r in found}
    assert ("Azerbaijan", "Azerbaijan", "7") in claims
    assert ("Azerbaijan", "Azerbaijan", "1") in claims
    assert ("Armenia", "Armenia", "4") in claims
    assert ("TRT World", None, "16") in claims


def test_reactions_over_time_count_every_reaction_once():
    found = rows("--named", "reactions-over-time")
    assert sum(int(r["reactions"]) for r in found) == 22


def test_any_sparql_with_predeclared_prefixes_and_csv():
    text = "SELECT ?code WHERE { ?s dr:isoCode ?code FILTER (STRSTARTS(?code, 'A')) } ORDER BY ?code LIMIT 4"
    result = diplo("query", "-e", text, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.split() == ["code", "AFG", "AGO", "ALB", "AND"]


def test_query_file_with_a_literal_param(tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("SELECT ?s WHERE { ?s dr:isoCode ?code }")
    assert [r["s"].rsplit("/", 1)[-1] for r in rows(str(q), "--param", "code=TUR")] == ["turkey"]


def test_construct_prints_turtle():
    result = diplo("query", "-e", "CONSTRUCT { ?s dr:isoCode ?c } WHERE { ?s dr:isoCode ?c }")
    assert result.exit_code == 0
    assert '"TUR"' in result.stdout and "isoCode" in result.stdout


@pytest.mark.parametrize(
    "value",
    ['Turkey" } ?s ?p ?o { "', "x } UNION { ?s ?p ?o", "<http://evil>", "'; DROP ALL; '"],
)
def test_param_values_are_bound_not_pasted(value):
    # As a literal bound to ?code, hostile text matches nothing and changes nothing.
    assert rows("-e", "SELECT ?s WHERE { ?s dr:isoCode ?code }", "--param", f"code={value}") == []
    # Resolved as an event name it is simply unknown.
    result = diplo("query", "--named", "who-called-for-restraint", "--param", f"event={value}")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_malformed_sparql_names_the_position():
    result = diplo("query", "-e", "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 2
    assert "line 1, column" in result.stderr


def test_unknown_named_query_lists_the_known_ones():
    result = diplo("query", "--named", "who-won")
    assert result.exit_code == 2
    assert "who-called-for-restraint" in result.stderr


def test_unknown_param_is_refused():
    result = diplo("query", "--named", "officials", "--param", "x=1")
    assert result.exit_code == 2 and "has no parameter 'x'" in result.stderr


def test_appeals_and_offers_naming_no_one_do_not_break_the_summaries(tmp_path):
    untargeted = tmp_path / "untargeted.ttl"
    untargeted.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> . @prefix st: <https://w3id.org/diplograph/stance/> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "<urn:test:r1> a dr:Reaction ; dr:actor <https://w3id.org/diplograph/id/actor/iran> ; dr:stance st:call-for-restraint ; prov:wasDerivedFrom <urn:test:s> .\n"
        "<urn:test:r2> a dr:Reaction ; dr:actor <https://w3id.org/diplograph/id/actor/iran> ; dr:stance st:offer-mediation ; prov:wasDerivedFrom <urn:test:s> .\n",
        encoding="utf-8",
    )
    def named(name: str) -> list[dict[str, str]]:
        result = diplo("--data", str(untargeted), "query", "--named", name, "--format", "json")
        assert result.exit_code == 0, result.output
        return [{k: v["value"] for k, v in b.items()} for b in json.loads(result.stdout)["results"]["bindings"]]

    appeals = {r["actorLabel"]: r.get("targets") for r in named("who-called-for-restraint")}
    assert appeals["Iran"] in ("", None) and appeals["Russia"] == "Armenia, Azerbaijan"
    offers = {r["actorLabel"]: r for r in named("who-offered-mediation")}
    assert offers["Iran"].get("between") in ("", None) and offers["Russia"]["capacities"] == "co-chair of OSCE Minsk Group"


def test_reactions_is_paged_newest_first_with_the_count_of_the_rest():
    first = diplo("query", "--named", "reactions", "--limit", "5", "--format", "json")
    assert first.exit_code == 0 and "reactions 1–5 of 22, newest first; 17 more (--offset 5, or --all)" in first.stderr
    page_one = [b["reaction"]["value"] for b in json.loads(first.stdout)["results"]["bindings"]]
    every = [b["reaction"]["value"] for b in json.loads(diplo("query", "--named", "reactions", "--all", "--format", "json").stdout)["results"]["bindings"]]
    assert len(every) == 22 and len(set(every)) == 22 and page_one == every[:5]
    rest = rows("--named", "reactions", "--offset", "5", "--limit", "50")
    assert [r["reaction"] for r in rest] == every[5:]


def test_each_reaction_is_one_row_with_its_targets_together():
    found = rows("--named", "reactions", "--all", "--param", "within=tavush-2020")
    assert len(found) == len({r["reaction"] for r in found}) == 19
    appeals = {r["actorLabel"]: r["targets"] for r in found if r["stanceClass"] == "APPEAL"}
    assert set(appeals["NATO"].split(", ")) == {"Armenia", "Azerbaijan"}


def test_only_paged_queries_take_a_page():
    refused = diplo("query", "--named", "casualty-claims", "--limit", "3")
    paged = ["actors", "officials", "reaction-details", "reaction-keys", "reactions", "reactions-by", "reactions-over-time", "reactions-toward",
             "sources", "stances-toward-actor", "who-sided-with-whom"]
    assert refused.exit_code == 2 and (
        "page only the paged queries (actors, officials, reaction-details, reaction-keys, reactions-by, reactions-over-time, reactions-toward, "
        "reactions, sources, stances-toward-actor, who-sided-with-whom)" in refused.stderr
    )
    listed = {q["name"]: q["paged"] for q in json.loads(diplo("query", "--list", "--format", "json").stdout)}
    assert sorted(name for name, how in listed.items() if how) == paged
    assert listed["sources"].startswith("by source: newest published first") and listed["reactions"].startswith("by reaction: newest first")


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_hostile_parameter_values_stay_values_on_both_stores(backend: str, store_dir):
    where = ["--store", str(store_dir)] if backend == "disk" else []
    # A value that looks like another variable, and one that would close the query's braces.
    sneaky = "SELECT ?s WHERE { ?s skos:prefLabel ?l . FILTER (STR(?l) = ?a || STR(?l) = ?b) }"
    found = diplo(*where, "query", "-e", sneaky, "--param", "a=?b", "--param", "b=|| true ||", "--format", "json")
    assert found.exit_code == 0 and json.loads(found.stdout)["results"]["bindings"] == []
    name = '1\n"Russia" } ?thing skos:prefLabel ?x } #\\"'
    lookup = diplo(*where, "actor", name)
    assert lookup.exit_code == 2 and "no actor matches" in lookup.stderr
    labelled = diplo(*where, "query", "-e", "SELECT ?s WHERE { ?s skos:prefLabel ?l }", "--param", f"l={name}", "--format", "json")
    assert labelled.exit_code == 0 and json.loads(labelled.stdout)["results"]["bindings"] == []
