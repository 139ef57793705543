"""Issue 14's adversarial run, repeatable: bad inputs, injection attempts, kill -9 trials and
endpoint checks against a fresh store, each case judged clean or not by what a user would see.

- bad input: malformed, hostile and odd files (RDF in every format, XML entity bombs, remote
  JSON-LD contexts, mappings, event files, corpora, queries) through validate, --data, load,
  import, ingest and query. Clean: it finished in time, no traceback, exit 0/1/2, and when
  refused, one short line and the store unchanged; cases that must be refused were.
- injection: hostile names and parameter values on the store in memory and on disk (the answers
  must be the same, and match nothing), and event ids that try to write quads from an import
  (the curated source unchanged, everything the import added gone after forget).
- kill -9: load, import and forget killed at random points (every graph whole: as before or as
  after), and `diplo serve` query and update workers killed mid-answer (answered again; each
  update whole or absent).
- endpoint: the protections of `diplo serve` checked one by one (SERVICE/LOAD refused and
  nothing fetched, the update token, caps, negotiation, Host, sizes, runaway queries).

Prints "N tried / N clean" per category and writes every case to JSON. Bounded: a few minutes.

    nice -n 10 python scripts/attack.py --json test-output/attack.json
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASE_SECONDS = 60
CLEAR_SCREEN = "\x1b[2J"


# -- running diplo -------------------------------------------------------------------------------


class Hung(Exception):
    """A case ran past :data:`CASE_SECONDS`."""


@contextlib.contextmanager
def bounded(seconds: int = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`Hung` in this (main) thread when the block runs past ``seconds``."""

    def alarm(*_: object) -> None:
        raise Hung

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def diplo(*args: str) -> tuple[int, str, str]:
    """``diplo ARGS…`` in this process: exit code, stdout, stderr (a traceback counts as exit 99)."""
    from click.testing import CliRunner

    from graph.cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        return 99, result.stdout, "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.stdout, result.stderr


def digest(folder: Path) -> str:
    """A hash of every quad of an on-disk store: equal means unchanged."""
    import pyoxigraph

    ox = pyoxigraph.Store.read_only(str(folder / "oxigraph"))
    lines = sorted(str(q) for q in ox.quads_for_pattern(None, None, None, None))
    del ox
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def graph_sizes(folder: Path) -> dict[str, int]:
    """Quads per named graph, the store opened as any command would (interrupted writes mended),
    but the summaries: bookkeeping that a kill before the recount leaves pending (the questions
    then count every reaction, rightly, until ``diplo doctor --repair``)."""
    from collections import Counter

    import pyoxigraph

    from graph.store import Store
    from graph.summaries import graph_iri

    store = Store.open(folder)
    try:
        return dict(Counter(q.graph_name.value for q in store._ox.quads_for_pattern(None, None, None, None)  # type: ignore[union-attr]
                            if isinstance(q.graph_name, pyoxigraph.NamedNode) and q.graph_name.value != graph_iri()))
    finally:
        store.close()


def judge(code: int, err: str, must_refuse: bool, unchanged: bool | None) -> tuple[bool, str]:
    """Whether a bad-input case ended cleanly, and if not why."""
    if code == 99 or "Traceback" in err:
        return False, "traceback"
    if code not in (0, 1, 2):
        return False, f"exit {code}"
    if code == 0 and must_refuse:
        return False, "accepted what must be refused"
    if code == 2:
        message = err.strip()
        if message.startswith("Usage:"):  # click's usage error: its own one line comes last
            message = message.splitlines()[-1]
        if "\n" in message or len(message) > 700:
            return False, "error longer than one short line"
        if CLEAR_SCREEN in message:
            return False, "raw escape in the message"
        if unchanged is False:
            return False, "refused but the store changed"
    return True, ""


# -- bad input -----------------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 2 else "&lol;" * 10}">' for i in range(2, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
    '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>\n'
)
RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'


def rdf_files(remote: str) -> list[tuple[str, bytes, bool]]:
    """(file name, content, must be refused) of hostile or broken RDF files."""
    rng = random.Random(14)
    ttl = "@prefix ex: <http://example.org/> .\n"
    return [
        ("missing-object.ttl", (ttl + "ex:a ex:p .\n").encode(), True),
        ("open-string.ttl", (ttl + 'ex:a ex:p "never closed .\n').encode(), True),
        ("space-in-iri.ttl", (ttl + "<http://x/a b> ex:p ex:c .\n").encode(), True),
        ("undeclared-prefix.ttl", b"nope:a nope:p nope:c .\n", True),
        ("open-graph.trig", (ttl + "ex:g { ex:a ex:p ex:c .\n").encode(), True),
        ("five-terms.nq", b"<http://x/a> <http://x/p> <http://x/c> <http://x/g> <http://x/h> .\n", True),
        ("open-literal.nt", b'<http://x/a> <http://x/p> "open .\n', True),
        ("literal-subject.nt", b'"s" <http://x/p> <http://x/c> .\n', True),
        ("empty.ttl", b"", False),
        ("random-bytes.ttl", bytes(rng.randrange(256) for _ in range(4000)), True),
        ("not-utf8.ttl", (ttl + 'ex:a ex:p "caf').encode() + b"\xe9\xff" + b'" .\n', True),
        ("nul-bytes.ttl", (ttl + "ex:a ex:p ex:c .\x00\x00\n").encode(), True),
        ("deep-list.ttl", (ttl + "ex:a ex:p " + "(" * 5000 + ")" * 5000 + " .\n").encode(), False),
        ("long-iri.ttl", (ttl + f"<http://x/{'a' * 1_000_000}> ex:p ex:c .\n").encode(), False),
        ("escape-in-data.ttl", (ttl + 'ex:a ex:p "x\\u001b[2Jy" .\n').encode(), False),
        ("billion-laughs.rdf", BILLION_LAUGHS.encode(), True),
        ("external-entity.rdf", f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n{RDF_HEAD}'
         '<rdf:Description rdf:about="http://x/a"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>\n'.encode(), True),
        ("parameter-entity.rdf", f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "{remote}/dtd"> %p;]>\n{RDF_HEAD}</rdf:RDF>\n'.encode(), True),
        ("unclosed.rdf", f"{RDF_HEAD}<rdf:Description>".encode(), True),
        ("remote-context.jsonld", json.dumps({"@context": f"{remote}/context", "@id": "http://x/a", "name": "n"}).encode(), True),
        ("import-context.jsonld", json.dumps({"@context": {"@import": f"{remote}/imported"}, "@id": "http://x/a"}).encode(), True),
        ("file-context.jsonld", json.dumps({"@context": "/etc/passwd", "@id": "http://x/a"}).encode(), True),
        ("not-json.jsonld", b"{ this is not json", True),
        ("deep-json.jsonld", b"[" * 100_000 + b"]" * 100_000, True),
        ("formula.n3", (ttl + "{ ex:a ex:p ex:b } => { ex:a ex:q ex:b } .\n").encode(), False),
        ("unknown.xyz", b"whatever\n", True),
    ]


def bad_inputs(work: Path, store: Path, remote: str) -> list[dict[str, Any]]:
    cases: list[tuple[str, list[str], bool, bool]] = []  # (name, args, must refuse, touches the store)
    files = work / "bad"
    files.mkdir()
    for name, content, must in rdf_files(remote):
        path = files / name
        path.write_bytes(content)
        cases.append((f"validate {name}", ["validate", str(path)], must, False))
        cases.append((f"--data {name}", ["--data", str(path), "actors"], must, False))
        cases.append((f"load {name}", ["--store", str(store), "load", str(path)], must, True))

    def write(name: str, text: str | bytes) -> str:
        path = files / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return str(path)

    rows = write("rows.csv", "id,date,actor,code\n1,2020-07-13,RUS,051\n")
    for name, mapping, must in [
        ("map-list.yaml", "- id\n- date\n", True), ("map-string.yaml", "just a string\n", True),
        ("map-delimiter.yaml", "id: id\ndate: date\nactor: actor\ncode: code\ndelimiter: ';;'\n", True),
        ("map-missing-column.yaml", "id: nope\ndate: date\nactor: actor\ncode: code\n", True),
        ("map-not-yaml.yaml", "id: [unclosed\n", True), ("map-anchor-bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", True),
    ]:
        cases.append((f"import csv {name}", ["--store", str(store), "import", "csv", "--map", write(name, mapping), rows], must, True))
    cases.append(("import csv missing mapping", ["--store", str(store), "import", "csv", "--map", str(files / "none.yaml"), rows], True, True))
    garbage = write("20200714120000.export.CSV", bytes(random.Random(1).randrange(256) for _ in range(5000)))
    cases.append(("import gdelt binary", ["--store", str(store), "import", "gdelt", garbage], True, True))
    cases.append(("import gdelt empty", ["--store", str(store), "import", "gdelt", write("20200714130000.export.CSV", "")], True, True))
    cases.append(("import gdelt icews file", ["--store", str(store), "import", "gdelt",
                                                write("20200714140000.export.CSV", "Event ID\tEvent Date\tSource Name\n1\t2020-07-13\tRussia\n")], True, True))
    cases.append(("import icews binary", ["--store", str(store), "import", "icews", write("icews.tab", bytes(range(256)) * 20)], True, True))
    cases.append(("import icews gdelt-shaped", ["--store", str(store), "import", "icews", write("icews2.tab", "1\t2\t3\n" * 5)], True, True))
    article = ("Russia condemned the shelling of Tavush by Armenia on Monday. Turkey expressed solidarity with Azerbaijan. ")
    for name, line, must in [
        ("title-newline-quote.jsonl", json.dumps({"title": 'A "quoted"\ntitle \\" end', "text": article, "url": "https://example.org/q"}), False),
        ("title-escapes.jsonl", json.dumps({"title": f"Evil{CLEAR_SCREEN}\x07", "text": article, "url": "https://example.org/e"}), False),
        ("not-json.jsonl", "{ nope", True),
        ("list-rows.jsonl", json.dumps([1, 2, 3]), True),
        ("url-injection.jsonl", json.dumps({"title": "t", "text": article, "url": "https://example.org/a> <p> <o> . #"}), False),
    ]:
        cases.append((f"ingest {name}", ["--store", str(store), "ingest", write(name, line + "\n")], must, True))
    cases.append(("ingest binary .md", ["--store", str(store), "ingest", write("binary.md", bytes(range(256)) * 10)], True, True))
    cases.append(("ingest empty .md", ["--store", str(store), "ingest", write("empty.md", "")], True, True))
    cases.append(("query syntax error", ["query", "-e", "SELECT * WHERE { ?s ?p }"], True, False))
    cases.append(("query missing file", ["query", str(files / "missing.rq")], True, False))
    cases.append(("query an update", ["query", "-e", "DELETE WHERE { ?s ?p ?o }"], True, False))
    cases.append(("actor 100,000 chars", ["actor", "x" * 100_000], True, False))
    cases.append(("param '>}'", ["query", "--named", "stances-toward-actor", "--param", "target=>}"], True, False))
    cases.append(("param without =", ["query", "--named", "stances-toward-actor", "--param", "target"], True, False))
    cases.append(("unknown named query", ["query", "--named", "no-such-query"], True, False))
    cases.append(("negative limit", ["actor", "Russia", "--limit", "-1"], True, False))
    cases.append(("date not a date", ["actor", "Russia", "--since", "2020-13-45"], True, False))

    results = []
    for name, args, must, touches in cases:
        before = digest(store) if touches else None
        started = time.monotonic()
        try:
            with bounded():
                code, _out, err = diplo(*args)
        except Hung:
            code, err = 98, f"ran past {CASE_SECONDS} s"
        unchanged = (digest(store) == before) if touches else None
        clean, why = judge(code, err, must, unchanged) if code != 98 else (False, "hung")
        if touches and code == 0:  # accepted: later cases compare against the store as it is now
            pass
        results.append({"case": name, "exit": code, "clean": clean, "why": why, "seconds": round(time.monotonic() - started, 2),
                        "message": err.strip().splitlines()[-1][:200] if err.strip() else ""})
    return results


# -- injection -----------------------------------------------------------------------------------

HOSTILE = [
    '1\n"Russia" } ?thing skos:prefLabel ?x } #\\"',
    '"Russia" } #', "Russia' } #", "Russia> } #", '?b', "|| true ||", "}} UNION { ?s ?p ?o }",
    '" || true || "', "<https://w3id.org/diplograph/id/actor/russia>", "\\\" ) } #", "$thing", "?thing",
    "Russia\" . ?s ?p ?o . FILTER(\"\"=\"", "\x00Russia", f"Russia{CLEAR_SCREEN}", "' OR '1'='1", "Rus\u202esia",
    "SERVICE <http://127.0.0.1:9/> { }", "# comment\nRussia", "Russia\\", "\"\"\"Russia\"\"\"",
]
FILTER_QUERY = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                "SELECT ?x WHERE { ?x skos:prefLabel ?l FILTER(STR(?l) = ?a || STR(?l) = ?b) }")


def injection(work: Path, store: Path) -> list[dict[str, Any]]:
    results = []
    for value in HOSTILE:
        for name, args in [
            ("actor", ["actor", value]),
            ("event", ["event", value]),
            ("query --param", ["query", "-e", FILTER_QUERY, "--param", f"a={value}", "--param", "b=|| true ||", "--format", "csv"]),
            ("named --param", ["query", "--named", "stances-toward-actor", "--param", f"target={value}", "--format", "csv"]),
        ]:
            try:
                with bounded():
                    memory = diplo(*args)
                    disk = diplo("--store", str(store), *args)
            except Hung:
                results.append({"case": f"{name} {value!r}", "clean": False, "why": "hung"})
                continue
            why = ""
            if 99 in (memory[0], disk[0]):
                why = "traceback"
            elif memory[:2] != disk[:2]:
                why = "memory and disk answer differently"
            elif name == "query --param" and memory[0] == 0 and len(memory[1].strip().splitlines()) > 1:
                why = "a hostile value matched rows"
            elif name in ("actor", "event") and memory[0] == 0:
                # Names are matched leniently (punctuation aside): a value holding "Russia" may
                # find Russia, but then exactly what the plain name finds, and nothing else may.
                plain = diplo(name, "Russia") if "Russia" in value or "Rus" in value else None
                if plain is None or plain[1] != memory[1]:
                    why = "a hostile value resolved to something other than the name in it"
            results.append({"case": f"{name} {value[:60]!r}", "clean": not why, "why": why, "exit": memory[0]})
    results.extend(import_injection(work, store))
    return results


def gdelt_line(event_id: str, actor: str = "RUS", target: str = "ARM", code: str = "111") -> str:
    """One GDELT 2.0 export row (61 tab-separated columns)."""
    fields = [""] * 61
    fields[0], fields[1], fields[26], fields[27], fields[28], fields[29] = event_id, "20200714", code, code[:3], code[:2], "1"
    fields[5], fields[7], fields[15], fields[17] = f"{actor}GOV", actor, f"{target}GOV", target
    fields[30], fields[31], fields[32], fields[33], fields[34] = "-2.0", "10", "1", "3", "-1.0"
    fields[59], fields[60] = "20200714120000", "https://example.org/news"
    return "\t".join(fields)


def import_injection(work: Path, store: Path) -> list[dict[str, Any]]:
    """Event ids that try to write quads into the curated source; then forget the import."""
    curated = "https://w3id.org/diplograph/source/trtworld-death-toll-tavush-2020"
    payloads = [
        f"fake> <http://x/p> <http://x/o> <{curated}> . #",
        f'fake> <https://w3id.org/diplograph/ontology#actor> "x" <{curated}> .\n<a',
        "id with spaces", "id\"quote", "<>", "../../etc/passwd", f"x{CLEAR_SCREEN}", "%3E%20%3Cp%3E",
    ]
    results = []
    for i, payload in enumerate(payloads):
        folder = work / f"inject-{i}"
        shutil.copytree(store, folder)
        before = graph_sizes(folder)
        events = work / f"2020071412{i:02d}00.export.CSV"
        events.write_text(gdelt_line(payload) + "\n" + gdelt_line(f"9{i}0001") + "\n", encoding="utf-8")
        code, _out, err = diplo("--store", str(folder), "import", "gdelt", str(events))
        after = graph_sizes(folder)
        why = ""
        if code == 99:
            why = "traceback"
        elif after.get(curated) != before.get(curated):
            why = "the curated source changed"
        elif code == 0:
            added = [g for g in after if g not in before and "gdelt" in g]
            forgotten = [diplo("--store", str(folder), "forget", g)[0] for g in added]
            now = graph_sizes(folder)
            left = {g: n for g, n in now.items() if before.get(g) != n and "reference" not in g}
            if any(forgotten) or left:
                why = f"forget left {sorted(left)[:2]}"
        results.append({"case": f"import gdelt id {payload[:50]!r}", "clean": not why, "why": why, "exit": code})
        shutil.rmtree(folder)
    return results


# -- kill -9 -------------------------------------------------------------------------------------


def run_killed(folder: Path, args: list[str], temp: Path, kill_after: float | None = None) -> float:
    """``diplo --store FOLDER ARGS…`` in its own process, SIGKILLed after ``kill_after`` s."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIPLO_STORE")} | {"TMPDIR": str(temp)}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "graph", "--store", str(folder), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    else:
        if kill_after is None and proc.returncode != 0:
            raise SystemExit(f"diplo {' '.join(args)} failed: {proc.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
    return time.monotonic() - started


def kills(work: Path, store: Path, trials: int) -> list[dict[str, Any]]:
    from graph.doctor import examine

    rng = random.Random(1499)
    synthetic = work / "synthetic.nq"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_synthetic.py"), "4000", "--seed", "7",
                    "-o", str(synthetic)], cwd=ROOT, check=True, capture_output=True)
    events = work / "20200715120000.export.CSV"
    events.write_text("\n".join(gdelt_line(str(500000 + i), *rng.sample(["TUR", "ARM", "AZE", "RUS", "FRA", "USA", "IRN"], 2))
                                for i in range(6000)) + "\n", encoding="utf-8")
    imported = work / "kill-imported"
    shutil.copytree(store, imported)
    run_killed(imported, ["import", "gdelt", str(events)], work)
    key = next(g for g in graph_sizes(imported) if "gdelt" in g)
    cases = [("load", store, ["load", str(synthetic)]), ("import", store, ["import", "gdelt", str(events)]),
             ("forget", imported, ["forget", key])]
    results = []
    for name, base, args in cases:
        reference = work / f"kill-{name}-reference"
        shutil.copytree(base, reference)
        took = run_killed(reference, args, work)
        before, after = graph_sizes(base), graph_sizes(reference)
        if before == after:
            raise SystemExit(f"diplo {' '.join(args)} changed nothing: its kill trials would prove nothing")
        for trial in range(trials):
            folder, temp = work / f"kill-{name}-{trial}", work / f"kill-{name}-{trial}-tmp"
            shutil.copytree(base, folder)
            temp.mkdir()
            delay = rng.uniform(0.3 * took, took)
            run_killed(folder, args, temp, kill_after=delay)
            now = graph_sizes(folder)
            torn = [g for g in set(before) | set(now) if now.get(g, 0) not in (before.get(g, 0), after.get(g, 0))]
            findings = {f.check: f.count for f in examine(folder, shapes=False) if f.count and f.check != "summaries not current"}
            leftovers = [p.name for p in temp.iterdir()]
            why = "torn graphs" if torn else f"doctor: {findings}" if findings else f"left {leftovers}" if leftovers else ""
            results.append({"case": f"kill {name} at {delay:.2f} of {took:.2f} s", "clean": not why, "why": why,
                            "state": "before" if now == before else "after" if now == after else "mixed"})
            shutil.rmtree(folder)
            shutil.rmtree(temp)
    results.extend(worker_kills(store, trials, rng))
    return results


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app on a free loopback port, in a thread, for the block."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        app.state.workers.close()


NORMAL = "SELECT ?c WHERE { ?s <https://w3id.org/diplograph/ontology#isoCode> 'TUR' ; <https://w3id.org/diplograph/ontology#isoCode> ?c }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACTOR = "<https://w3id.org/diplograph/ontology#actor>"


def answered_within(url: str, seconds: float) -> bool:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(f"{url}/sparql", params={"query": NORMAL}, timeout=max(1.0, deadline - time.monotonic()))
            if answer.status_code == 200 and "TUR" in answer.text:
                return True
        time.sleep(0.1)
    return False


def worker_pid(app: Any) -> int | None:
    pool = app.state.workers
    with pool._lock:
        busy = [w.process.pid for w in pool._busy]
    idle = [w.process.pid for w in list(pool._idle.queue)]
    return (busy + idle or [None])[0]


def worker_kills(store: Path, trials: int, rng: random.Random) -> list[dict[str, Any]]:
    """Query workers and the update worker of `diplo serve` killed mid-answer."""
    import httpx

    from graph.server import Limits, make_app
    from graph.store import Store

    results = []
    app = make_app(Store.bundled(), Limits(timeout=8, workers=2))
    with serving(app) as url:
        for trial in range(trials):
            answers: list[Any] = []
            asking = [threading.Thread(target=lambda q=q: answers.append(httpx.get(f"{url}/sparql", params={"query": q}, timeout=60).status_code))
                      for q in (NORMAL, CARTESIAN if trial % 2 else NORMAL)]
            for thread in asking:
                thread.start()
            time.sleep(rng.uniform(0.0, 0.5))
            pid = worker_pid(app)
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(pid, signal.SIGKILL)  # type: ignore[arg-type]
            for thread in asking:
                thread.join(90)
            recovered = answered_within(url, 30)
            why = "" if recovered and all(a in (200, 503) for a in answers) and len(answers) == 2 else f"answers {answers}, recovered {recovered}"
            results.append({"case": f"kill a query worker (trial {trial})", "clean": not why, "why": why})
    folder = store.parent / "kill-serve-store"
    shutil.copytree(store, folder)
    token, size = "attack-token", 30_000
    app = make_app(Store.open(folder), Limits(timeout=60, workers=1, max_request_bytes=10_000_000), update_token=token)
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"}

    def insert(graph: str) -> str:
        return f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(f'<urn:k:s{i}> <urn:k:p> "{i}" .' for i in range(size)) + "\n} }"

    statuses: list[Any] = []
    with serving(app) as url:
        started = time.monotonic()
        httpx.post(f"{url}/sparql", content=insert("urn:k:timing"), headers=headers, timeout=120)
        took = time.monotonic() - started
        for trial in range(trials):
            outcome: list[Any] = []
            sender = threading.Thread(target=lambda t=trial: outcome.append(
                httpx.post(f"{url}/sparql", content=insert(f"urn:k:g{t}"), headers=headers, timeout=120).status_code))
            sender.start()
            time.sleep(rng.uniform(0.05, took))
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(worker_pid(app), signal.SIGKILL)  # type: ignore[arg-type]
            sender.join(120)
            statuses.append((outcome or ["no answer"])[0] if answered_within(url, 60) else "not recovered")
    store_now = Store.open(folder, read_only=True)
    try:
        counts = {str(r.g): int(r.n) for r in store_now.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <urn:k:p> ?o } } GROUP BY ?g")}
    finally:
        store_now.close()
    for trial, status in enumerate(statuses):
        held = counts.get(f"urn:k:g{trial}", 0)
        why = "" if status != "not recovered" and held in (0, size) and (status != 200 or held == size) else f"status {status}, {held} of {size} triples"
        results.append({"case": f"kill the update worker (trial {trial})", "clean": not why, "why": why, "triples": held})
    shutil.rmtree(folder)
    return results


# -- endpoint ------------------------------------------------------------------------------------


@contextlib.contextmanager
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback socket recording every connection to it."""
    calls: list[bytes] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with contextlib.suppress(OSError):
                calls.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", calls
    finally:
        stop.set()
        thread.join(5)
        sock.close()


def endpoint() -> list[dict[str, Any]]:
    import httpx

    from graph.server import Limits, make_app
    from graph.store import Store

    token = "attack-token"
    app = make_app(Store.bundled(), Limits(timeout=4, max_rows=5, max_request_bytes=50_000, workers=2), update_token=token)
    checks: list[tuple[str, Callable[[str, str, list[bytes]], bool]]] = []

    def check(name: str) -> Callable[[Callable[[str, str, list[bytes]], bool]], None]:
        return lambda fn: checks.append((name, fn))

    def get(url: str, query: str, **kw: Any) -> httpx.Response:
        return httpx.get(f"{url}/sparql", params={"query": query}, timeout=60, **kw)

    def post_update(url: str, text: str, auth: str | None = None, kind: str = "application/sparql-update") -> httpx.Response:
        headers = {"Content-Type": kind} | ({"Authorization": auth} if auth else {})
        return httpx.post(f"{url}/sparql", content=text, headers=headers, timeout=60)

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    for form, make in [
        ("no token", lambda u: post_update(u, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")),
        ("wrong token", lambda u: post_update(u, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "Bearer nope")),
        ("token without Bearer", lambda u: post_update(u, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", token)),
        ("token prefix", lambda u: post_update(u, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", f"Bearer {token[:-1]}")),
        ("form update= no token", lambda u: httpx.post(f"{u}/sparql", data={"update": "DROP ALL"}, timeout=30)),
        ("update as GET query", lambda u: get(u, "DROP ALL")),
        ("update in sparql-query body", lambda u: httpx.post(f"{u}/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-query"}, timeout=30)),
        ("basic auth", lambda u: post_update(u, "DROP ALL", f"Basic {token}")),
    ]:
        check(f"update refused: {form}")(lambda u, _r, _c, make=make: (lambda before: make(u).status_code in (400, 403, 415) and get(u, count).text == before)(get(u, count).text))
    check("SERVICE query refused, nothing fetched")(lambda u, r, c: get(u, f"SELECT * {{ SERVICE <{r}/q> {{ ?s ?p ?o }} }}").status_code == 400 and not c)
    check("SERVICE hidden after a dot refused")(lambda u, r, c: get(u, f"SELECT * {{ ?a ?b ?c .SERVICE <{r}/q> {{ }} }}").status_code == 400 and not c)
    check("SERVICE in an update (with token) refused")(lambda u, r, c: post_update(u, f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{r}/u> {{ ?s ?p ?o }} }}", f"Bearer {token}").status_code == 400 and not c)
    check("LOAD (with token) refused")(lambda u, r, c: post_update(u, f"LOAD <{r}/doc>", f"Bearer {token}").status_code == 400 and not c)
    check("LOAD after INSERT DATA refused whole")(lambda u, r, c: (lambda before: post_update(u, f"INSERT DATA {{ <urn:x> <urn:y> <urn:z> }} ; LOAD <{r}/doc>", f"Bearer {token}").status_code == 400 and get(u, count).text == before and not c)(get(u, count).text))
    check("rows capped, header says so")(lambda u, _r, _c: (lambda a: a.status_code == 200 and a.headers.get("x-diplo-truncated") == "true" and len(a.json()["results"]["bindings"]) == 5)(get(u, "SELECT * WHERE { ?s ?p ?o }")))
    check("CONSTRUCT capped")(lambda u, _r, _c: (lambda a: a.status_code == 200 and a.headers.get("x-diplo-truncated") == "true" and a.text.count("\n") < 60)(get(u, "CONSTRUCT WHERE { ?s ?p ?o }", headers={"Accept": "application/n-triples"})))
    check("DESCRIBE capped")(lambda u, _r, _c: get(u, "DESCRIBE ?s WHERE { ?s ?p ?o }").status_code == 200)
    check("bad q-value is 400")(lambda u, _r, _c: get(u, NORMAL, headers={"Accept": "text/csv;q=abc"}).status_code == 400)
    check("q=nan is 400")(lambda u, _r, _c: get(u, NORMAL, headers={"Accept": "text/csv;q=nan"}).status_code == 400)
    check("nothing acceptable is 406")(lambda u, _r, _c: get(u, NORMAL, headers={"Accept": "image/png"}).status_code == 406)
    check("ASK as CSV answers")(lambda u, _r, _c: (lambda a: a.status_code == 200 and a.text.strip() in ("true", "false"))(get(u, "ASK { ?s ?p ?o }", headers={"Accept": "text/csv"})))
    check("foreign Host refused")(lambda u, _r, _c: get(u, NORMAL, headers={"Host": "evil.example"}).status_code == 400)
    check("Host with our port answered")(lambda u, _r, _c: get(u, NORMAL, headers={"Host": "localhost:1234"}).status_code == 200)
    check("no Host refused")(lambda u, _r, _c: get(u, NORMAL, headers={"Host": ""}).status_code == 400)
    check("oversized body 413")(lambda u, _r, _c: httpx.post(f"{u}/sparql", content="#" * 60_000 + "\nASK {}", headers={"Content-Type": "application/sparql-query"}, timeout=30).status_code == 413)
    check("oversized query string 414")(lambda u, _r, _c: get(u, "ASK {} #" + "x" * 60_000).status_code in (414, 431))
    check("unknown content type 415")(lambda u, _r, _c: httpx.post(f"{u}/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}, timeout=30).status_code == 415)
    check("no query 400")(lambda u, _r, _c: httpx.get(f"{u}/sparql", timeout=30).status_code == 400)
    check("syntax error one line 400")(lambda u, _r, _c: (lambda a: a.status_code == 400 and len(a.text.strip().splitlines()) == 1)(get(u, "SELECT * WHERE { ?s ?p }")))
    check("no CORS header by default")(lambda u, _r, _c: "access-control-allow-origin" not in get(u, NORMAL, headers={"Origin": "https://evil.example"}).headers)
    check("view never returns a name as HTML")(lambda u, _r, _c: (lambda a: "<script>alert" not in a.text or not a.headers.get("content-type", "").startswith("text/html"))(
        httpx.get(f"{u}/view", params={"actor": "<script>alert(1)</script>"}, timeout=60)))
    check("static path traversal 404")(lambda u, _r, _c: httpx.get(f"{u}/static/../../server.py", timeout=30).status_code == 404)

    def runaway(u: str, _r: str, _c: list[bytes]) -> bool:
        outcome: list[httpx.Response] = []
        thread = threading.Thread(target=lambda: outcome.append(get(u, CARTESIAN)))
        thread.start()
        time.sleep(0.5)
        during = [get(u, NORMAL).status_code for _ in range(3)]
        thread.join(60)
        return bool(outcome) and outcome[0].status_code == 503 and during == [200] * 3 and answered_within(u, 30)

    check("runaway query stopped, others answered meanwhile")(runaway)
    check("path over everything stopped")(lambda u, _r, _c: get(u, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x ({ACTOR}|!{ACTOR}|^{ACTOR}|!^{ACTOR})* ?y }}").status_code == 503 and answered_within(u, 30))
    check("healthz 200 after the runaways")(lambda u, _r, _c: answered_within(u, 30) and httpx.get(f"{u}/healthz", timeout=30).status_code == 200)

    results = []
    with serving(app) as url, listener() as (remote, calls):
        for name, fn in checks:
            calls.clear()
            try:
                ok = bool(fn(url, remote, calls))
                why = "" if ok else "check failed"
            except Exception as e:  # noqa: BLE001 - a check that raises is a failed check
                ok, why = False, f"{type(e).__name__}: {str(e)[:150]}"
            results.append({"case": name, "clean": ok, "why": why})
    return results


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["bad input", "injection", "kill -9", "endpoint"], action="append",
                        help="Run only this category (repeatable).")
    parser.add_argument("--kill-trials", type=int, default=4, help="Trials per kind of kill (load, import, forget, query worker, update worker).")
    parser.add_argument("--json", type=Path, default=ROOT / "test-output" / "attack.json", help="Where to write every case.")
    args = parser.parse_args()
    if not 1 <= args.kill_trials <= 20:
        parser.error("keep it bounded: 1 to 20 kill trials per kind")
    wanted = args.only or ["bad input", "injection", "kill -9", "endpoint"]
    figures: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="diplo-attack-"))
    try:
        for category in wanted:
            started = time.monotonic()
            # Each category its own fresh store: what one accepts must not change another's answers.
            store = work / f"store-{category.replace(' ', '-')}"
            code, _out, err = diplo("init", str(store))
            if code != 0:
                raise SystemExit(f"diplo init failed: {err}")
            if category == "bad input":
                with listener() as (remote, calls):
                    results = bad_inputs(work, store, remote)
                    if calls:
                        results.append({"case": "nothing fetched while reading files", "clean": False, "why": f"{len(calls)} connections"})
                    else:
                        results.append({"case": "nothing fetched while reading files", "clean": True, "why": ""})
            elif category == "injection":
                results = injection(work, store)
            elif category == "kill -9":
                results = kills(work, store, args.kill_trials)
            else:
                results = endpoint()
            clean = sum(r["clean"] for r in results)
            figures[category] = {"tried": len(results), "clean": clean, "seconds": round(time.monotonic() - started, 1), "cases": results}
            print(f"{category:10} {len(results):4} tried / {clean:4} clean   ({figures[category]['seconds']} s)", flush=True)
            for r in results:
                if not r["clean"]:
                    print(f"    not clean: {r['case'][:70]}: {r.get('why')} {r.get('message', '')[:120]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    tried = sum(f["tried"] for f in figures.values())
    print(f"{'all':10} {tried:4} tried / {sum(f['clean'] for f in figures.values()):4} clean")


if __name__ == "__main__":
    main()
