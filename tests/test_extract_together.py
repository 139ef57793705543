"""Extracting many documents at once (what `diplo ingest` does) finds exactly what extracting each
alone finds, while their sentences go to the parser in one batch."""

from __future__ import annotations

from datetime import date

import pytest

import graph.extract as extract
from graph.documents import Document
from graph.extract import Extractor
from graph.store import Store

TEXTS = [
    "Japan's Foreign Ministry summoned Russia's ambassador in Tokyo, saying the deployment was unacceptable.",
    "Germany is deeply worried about Iran's decision, a government spokesman said. Iran rejected the criticism.",
    "The talks went on all night. The mood was tense.",
    "Norway, Sweden, Finland and Denmark asked for an emergency session. Russia condemned the attack.",
    # The same sentence in another document, another day and another setting.
    "DUBAI, United Arab Emirates (AP) — Russia condemned the attack. Turkey sent troops and warned Syria against new attacks.",
]


@pytest.fixture(scope="module")
def extractor(store: Store) -> Extractor:
    return Extractor.from_store(store)


def _docs() -> list[Document]:
    return [Document(name=f"d{i}", text=t, published=date(2020, 7, 10 + i)) for i, t in enumerate(TEXTS)]


def test_documents_extracted_together_give_what_each_gives_alone(extractor: Extractor):
    alone = [[r.record() for r in extractor.extract(d)] for d in _docs()]
    together = [(doc.name, [r.record() for r in found]) for doc, found in extractor.extract_many(_docs(), chunk=4)]
    assert [name for name, _ in together] == [d.name for d in _docs()]
    assert [records for _, records in together] == alone
    assert any(alone)  # the texts do hold reactions


def test_the_sentences_of_a_chunk_are_parsed_in_one_call(extractor: Extractor, monkeypatch: pytest.MonkeyPatch):
    calls: list[list[str]] = []
    real = extract.parse_where

    def spy(sentences, holds, **kw):
        calls.append([s for s in sentences if holds(s)])
        return real(sentences, holds, **kw)

    monkeypatch.setattr(extract, "parse_where", spy)
    list(extractor.extract_many(_docs(), chunk=3))
    assert len(calls) == 2  # 3 documents, then 2
    assert "Germany is deeply worried about Iran's decision, a government spokesman said." in calls[0]
    assert "Turkey sent troops and warned Syria against new attacks." in calls[1]
