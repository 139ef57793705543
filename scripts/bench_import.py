"""How many GDELT rows per minute `diplo import gdelt` loads into an on-disk store, and whether
its memory stays flat as files grow.

Writes synthetic GDELT 2.0 export files in the documented 61-column layout (verbal and material
events, skewed country pairs, a URL per row), then imports each into a fresh store in its own
process: rows/min, peak RSS. The baseline, in the same run, is reading the same file line by line
and splitting it into fields — the floor any importer pays.

    python scripts/bench_import.py                        # 100k and 400k rows
    python scripts/bench_import.py --rows 50000 200000 --json test-output/bench_import.json
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.eventdata import GDELT2_COLUMNS

COUNTRIES = ["USA", "RUS", "CHN", "TUR", "IRN", "ISR", "UKR", "ARM", "AZE", "FRA", "DEU", "GBR", "IND", "PAK", "SYR", "SAU"]
CODES = ["111", "112", "0256", "026", "036", "040", "051", "057", "1056", "120", "130", "138", "190", "173", "010", "043"]


def write_file(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(COUNTRIES))]
    index = {c: i for i, c in enumerate(GDELT2_COLUMNS)}
    with path.open("w", encoding="utf-8") as f:
        for n in range(rows):
            a, b = rng.choices(COUNTRIES, weights, k=2)
            code = rng.choice(CODES)
            fields = [""] * len(GDELT2_COLUMNS)
            values = {
                "GLOBALEVENTID": str(1_000_000_000 + n), "SQLDATE": f"2020{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                "Actor1Code": a + "GOV", "Actor1Name": a, "Actor1CountryCode": a,
                "Actor2Code": b + "GOV", "Actor2Name": b, "Actor2CountryCode": b,
                "IsRootEvent": "1" if rng.random() < 0.7 else "0", "EventCode": code, "EventBaseCode": code[:3],
                "EventRootCode": code[:2], "QuadClass": "1", "GoldsteinScale": "-2.0", "NumMentions": str(rng.randint(1, 50)),
                "NumSources": "1", "NumArticles": "3", "AvgTone": f"{rng.uniform(-10, 5):.2f}",
                "DATEADDED": "20201231120000", "SOURCEURL": f"https://example.org/news/{n % 50000}",
            }
            for k, v in values.items():
                fields[index[k]] = v
            f.write("\t".join(fields) + "\n")


def child(mode: str, path: Path) -> dict[str, float]:
    start = time.perf_counter()
    if mode == "baseline":
        rows = 0
        with path.open("rb") as f:
            for raw in f:
                raw.decode("utf-8").rstrip("\n").split("\t")
                rows += 1
        imported = rows
    else:
        from graph.eventdata import import_files
        from graph.store import Store

        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            store = Store.create(Path(tmp) / "store")
            report = import_files(store, [path], "gdelt")[0]
            store.close()
        rows, imported = report.rows, report.imported
    elapsed = time.perf_counter() - start
    return {"rows": rows, "imported": imported, "seconds": elapsed, "rows_per_min": rows / elapsed * 60,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--json", type=Path, default=Path("test-output/bench_import.json"))
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return 0
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        for rows in args.rows:
            path = Path(tmp) / f"{rows}.export.CSV"
            write_file(path, rows)
            for mode in ("baseline", "import"):
                out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)], check=True, capture_output=True, text=True)
                results.append({"mode": mode, "file_mb": path.stat().st_size / 1e6, **json.loads(out.stdout)})
    print(f"{'run':9} {'rows':>8} {'MB':>6} {'imported':>9} {'seconds':>8} {'rows/min':>11} {'peak RSS MB':>12}")
    for r in results:
        print(f"{r['mode']:9} {r['rows']:>8} {r['file_mb']:>6.0f} {r['imported']:>9} {r['seconds']:>8.2f} {r['rows_per_min']:>11,.0f} {r['peak_rss_mb']:>12.0f}")
    imports = [r for r in results if r["mode"] == "import"]
    for r in imports:
        base = next(b for b in results if b["mode"] == "baseline" and b["rows"] == r["rows"])
        print(f"import of {r['rows']} rows: {r['seconds'] / base['seconds']:.1f}x the baseline's time")
    if len(imports) > 1:
        print(f"peak RSS {imports[-1]['rows']} vs {imports[0]['rows']} rows: {imports[-1]['peak_rss_mb'] / imports[0]['peak_rss_mb']:.2f}x")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
