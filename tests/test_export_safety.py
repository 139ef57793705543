"""`diplo export` of data that holds control characters: a terminal never gets them raw (they
could clear the screen or rewrite what it shows), a file or a pipe gets the exact bytes, and the
XML network formats stay well-formed XML."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import DATA, ROOT, diplo

#: A quote holding a clear-screen sequence, a C1 CSI, a bidi override and a bell (as Turtle escapes).
EVIL_QUOTE = r"France \u001b[2J calls \u009b31m for \u202e restraint\u0007"
RAW = ("\x1b", "\x9b", "\u202e", "\x07")


@pytest.fixture()
def evil(tmp_path: Path) -> Path:
    """A valid reaction whose quote holds terminal control sequences."""
    path = tmp_path / "evil.ttl"
    text = (DATA / "reaction-good.ttl").read_text(encoding="utf-8")
    path.write_text(text.replace("France calls on both sides to show restraint", EVIL_QUOTE), encoding="utf-8")
    return path


def on_a_terminal(*args: str) -> bytes:
    """What ``diplo ARGS…`` writes when its standard output is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "graph", *args], cwd=ROOT, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            raise AssertionError("diplo export wrote nothing to the terminal for 120 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower side closed: the command ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(60) == 0, process.stderr.read().decode() if process.stderr else ""
    return shown


@pytest.mark.parametrize("fmt", ["ttl", "nq", "jsonld", "csv", "gexf"])
def test_export_to_a_terminal_shows_control_characters_as_escapes(evil: Path, fmt: str):
    shown = on_a_terminal("--data", str(evil), "export", "--format", fmt)
    text = shown.decode("utf-8", errors="replace")
    assert "restraint" in text  # the data is there…
    assert not any(c in text for c in RAW)  # …but none of its control characters raw
    if fmt != "jsonld":  # JSON-LD writes them as \u001b itself
        assert "\\x1b[2J" in text


@pytest.mark.parametrize("fmt", ["ttl", "trig", "nt", "nq", "csv"])
def test_export_to_a_pipe_or_a_file_keeps_the_exact_bytes(evil: Path, tmp_path: Path, fmt: str):
    piped = subprocess.run([sys.executable, "-m", "graph", "--data", str(evil), "export", "--format", fmt],
                           cwd=ROOT, capture_output=True, timeout=300, check=True).stdout
    written = tmp_path / f"out.{fmt}"
    assert diplo("--data", str(evil), "export", "--format", fmt, "-o", str(written)).exit_code == 0
    # The serialisers' order of graphs may differ from run to run; the lines may not.
    assert sorted(piped.splitlines()) == sorted(written.read_bytes().splitlines())
    quote = EVIL_QUOTE.encode().decode("unicode_escape").encode("utf-8")
    assert quote in piped or quote.replace(b"\x07", b"\\u0007") in piped  # the data as it is


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_stay_well_formed_xml(evil: Path, tmp_path: Path, fmt: str):
    written = tmp_path / f"out.{fmt}"
    result = diplo("--data", str(evil), "export", "--format", fmt, "-o", str(written))
    assert result.exit_code == 0, result.stderr
    text = ElementTree.tostring(ElementTree.parse(written).getroot(), encoding="unicode")
    assert "\\x1b[2J" in text and "\x1b" not in text and "\x07" not in text
