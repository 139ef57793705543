"""A user installs the wheel into a fresh environment, far from the checkout, and it works."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_answers_outside_the_checkout(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("diplograph-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    out = subprocess.run(
        [bin_dir / "diplo", "actor", "Turkey", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Azerbaijan" in out.stdout and "SUPPORT" in out.stdout
    where = subprocess.run(
        [bin_dir / "python", "-c", "import graph, sys; print(graph.__file__)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert str(env_dir) in where.stdout
    ontology = subprocess.run(
        [bin_dir / "diplo", "query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?c skos:topConceptOf st:scheme }", "--format", "csv"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert ontology.stdout.split() == ["n", "7"]
    # The cue lexicon ships too: extraction works from the wheel.
    article = elsewhere / "news.txt"
    article.write_text("NATO called on Russia to withdraw its troops.", encoding="utf-8")
    extracted = subprocess.run(
        [bin_dir / "diplo", "ingest", str(article), "--dry-run", "--format", "json"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert '"stance_class": "APPEAL"' in extracted.stdout
    # So does the trained parser: it loads from the installed package, not from the checkout.
    parsed = subprocess.run(
        [bin_dir / "python", "-c", "from graph.parse import model_path, parse; "
         "print(model_path()); print([t.dep_ for t in parse(['Russia condemned the strike.'])[0]])"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    where_model, deps = parsed.stdout.splitlines()
    assert where_model.startswith(str(env_dir)) and "'ROOT'" in deps
    # And the confidence model with its sentence model (graph/data/sentences.json).
    calibrated = subprocess.run(
        [bin_dir / "python", "-c", "from graph.confidence import Calibration; c = Calibration.shipped(); "
         "print(bool(c.weights), len(c.sentence) > 1000)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert calibrated.stdout.split() == ["True", "True"]
    # The query page's vendored editor and its licence ship, and are served from the package.
    static = subprocess.run(
        [bin_dir / "python", "-c", "from graph.querypage import query_page_html, static_file; "
         "print(all(static_file(p) for p in ('yasgui/yasqe.min.js', 'yasgui/yasr.min.css', 'yasgui/LICENSE', 'querypage.js'))); "
         "print('who-called-for-restraint' in query_page_html())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )
    assert static.stdout.split() == ["True", "True"]
