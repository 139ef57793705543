"""Nothing forged, nothing lost (issue 14): reading commands leave the store as it was, a load
of several files is all or nothing, damaged or missing stores are refused in one line, and
killed imports leave nothing behind in the temp folder."""

from __future__ import annotations

from pathlib import Path

from graph.store import Store
from tests.conftest import diplo

GOOD = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b .
ex:b ex:p ex:c .
"""


def snapshot(folder: Path) -> tuple[int, list[str]]:
    """How many quads the store holds and the names of its graphs."""
    store = Store.open(folder, read_only=True)
    try:
        count = sum(1 for _ in store._ox.quads_for_pattern(None, None, None, None))  # type: ignore[union-attr]
        graphs = sorted(str(g.value) for g in store._ox.named_graphs())  # type: ignore[union-attr]
        return count, graphs
    finally:
        store.close()


def test_validate_with_a_file_never_writes_to_the_store(tmp_path: Path, store_dir: Path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(GOOD, encoding="utf-8")
    before = snapshot(store_dir)
    result = diplo("--store", str(store_dir), "validate", str(extra))
    assert result.exit_code in (0, 1), result.output
    assert snapshot(store_dir) == before


def test_validate_reads_the_file_it_is_given(tmp_path: Path, store_dir: Path):
    # A reaction with no actor: the shapes must see the file's triples, not only the store's.
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix dr: <https://w3id.org/diplograph/ontology#> .\n"
        "<http://example.org/r1> a dr:Reaction .\n",
        encoding="utf-8",
    )
    clean = diplo("--store", str(store_dir), "validate")
    with_file = diplo("--store", str(store_dir), "validate", str(bad))
    assert with_file.exit_code == 1, with_file.output
    assert "example.org/r1" in with_file.output or "r1" in with_file.output
    assert clean.output != with_file.output
