"""Every query runs within a time, row and memory limit, and one over its limit ends with a clear
message naming the limit and how to raise it — in memory and on disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import diplo

#: Three unrelated patterns: every triple times every triple times every triple.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run_diplo(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``diplo ARGS…`` in a process of its own (a query past its limit may end the process)."""
    return subprocess.run([sys.executable, "-m", "graph", *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_a_query_past_its_time_limit_ends_with_the_limit_named(backend: str, store_dir: Path):
    where = ["--store", str(store_dir)] if backend == "disk" else []
    result = run_diplo(*where, "--time-limit", "1", "query", "-e", CARTESIAN)
    assert result.returncode == 2
    assert "1 s time limit" in result.stderr and "--time-limit" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("backend", ["memory", "disk"])
def test_an_answer_longer_than_the_row_limit_is_refused(backend: str, store_dir: Path):
    where = ["--store", str(store_dir)] if backend == "disk" else []
    result = diplo(*where, "--row-limit", "5", "query", "-e", "SELECT ?s WHERE { ?s a ?type }")
    assert result.exit_code == 2
    assert "more than 5 rows, the row limit" in result.stderr and "--row-limit" in result.stderr
    fits = diplo(*where, "--row-limit", "5", "query", "-e", "SELECT ?s WHERE { ?s a ?type } LIMIT 5", "--format", "csv")
    assert fits.exit_code == 0 and len(fits.stdout.strip().splitlines()) == 6


def test_graph_answers_are_capped_too(store_dir: Path):
    result = diplo("--store", str(store_dir), "--row-limit", "10", "query", "-e", "CONSTRUCT WHERE { ?s a ?type }")
    assert result.exit_code == 2 and "the row limit" in result.stderr


def test_a_query_that_grows_the_process_past_the_memory_limit_is_stopped(store_dir: Path):
    sorted_pairs = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
    result = run_diplo("--store", str(store_dir), "--memory-limit", "300", "query", "-e", sorted_pairs, timeout=120)
    assert result.returncode == 2 and "300 MB memory limit" in result.stderr and "--memory-limit" in result.stderr


def test_limits_come_from_the_environment_and_bad_values_are_named(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DIPLO_ROW_LIMIT", "3")
    capped = diplo("query", "-e", "SELECT ?s WHERE { ?s a ?type }")
    assert capped.exit_code == 2 and "more than 3 rows" in capped.stderr
    monkeypatch.setenv("DIPLO_ROW_LIMIT", "many")
    bad = diplo("actors")
    assert bad.exit_code == 2 and "DIPLO_ROW_LIMIT: 'many' is not a number" in bad.stderr
