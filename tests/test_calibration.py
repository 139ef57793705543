"""The confidence calibration's sentence model (scripts/calibrate_confidence.py), fit on small articles."""

from __future__ import annotations

from conftest import script

from graph.extract import split_sentences

STATES = ["Russia", "France", "Japan", "Brazil", "Kenya", "Chile", "Norway", "Egypt", "India", "Peru"]


def article(cc, k: int):
    """An article with one reaction sentence (the gold evidence) among background sentences."""
    a, b = STATES[k % len(STATES)], STATES[(k + 3) % len(STATES)]
    said = f"{a} condemned the strike and urged {b} to show restraint, a foreign ministry spokesman said."
    text = (f"The bridge over the river was built in {1950 + k} by engineers from the region. "
            f"{said} The former mayor opened a museum there last year. Tourists visit the old town in summer.")
    gold = {"reactions": [{"actor": a, "stance": "DISAPPROVE", "targets": [b], "evidence": said}]}
    spans = [(s.start, s.end) for s in split_sentences(text)]
    return cc.Scored(f"doc{k}", gold, text, [], [], spans, [])


def test_the_sentence_model_learns_reaction_sentences_from_gold_evidence_and_hides_names():
    cc = script("calibrate_confidence")
    tuned = [article(cc, k) for k in range(20)]
    held = [article(cc, k) for k in range(20, 24)]
    fitted = cc.sentence_model(tuned, held)
    assert fitted["quality"]["with_evidence"] == 20 and fitted["quality"]["sentences"] == 80
    assert fitted["quality"]["auc_tuned_10fold"] > 0.9 and fitted["quality"]["auc_held_out"] > 0.9
    words = fitted["weights"]
    assert words["condemned"] > 0 and words["urged"] > 0 and "russia" not in words and "<Cap>" in words
    from graph.confidence import Calibration

    model = Calibration(0.0, {}, {}, {}, words)
    reaction = "Peru condemned the strike and urged Chile to show restraint, a spokesman said."
    assert model.sentence_probability(reaction) > 0.5 > model.sentence_probability("The museum opened in the old town last year.")
