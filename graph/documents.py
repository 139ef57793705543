"""Reading news into plain text: files, folders, corpora and web pages.

Each input becomes one or more :class:`Document` (a corpus file gives one per row). What cannot be
read is reported, never guessed at: a whole file that is unusable raises :class:`BadInput` naming
it; a bad row of a corpus, or a bad file inside a folder, comes back as :class:`Skipped` with the
reason, so batch runs can go on and count it.

Supported: plain text (.txt), Markdown with YAML/TOML front matter (.md), HTML (.html/.htm, main
text by trafilatura), CSV/TSV and JSON Lines corpora with a text field, the Reuters-21578 SGML
(.sgm), and http(s) URLs.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from graph.errors import BadInput

#: Files larger than this are refused: no news article is 20 MB of text.
MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".csv", ".tsv"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
#: A .json file holds one article (an object) or a list of them.
JSON_SUFFIXES = {".json"}
SGML_SUFFIXES = {".sgm", ".sgml"}
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | SGML_SUFFIXES
#: Files in a corpus folder that describe it rather than hold an article: skipped and counted.
NOT_ARTICLES = {"source.md", "readme.md", "readme.txt", "readme", "license", "license.md", "license.txt", "metadata.tsv", "metadata.csv"}
#: Field names tried, in order, when a corpus does not say which field holds what.
TEXT_FIELDS = ("text", "content_original", "content", "body", "article", "story")
TITLE_FIELDS = ("title", "headline", "header")
DATE_FIELDS = ("date", "published", "publish_date", "datetime")
URL_FIELDS = ("url", "source_url", "link")
#: Common English words; a text with too few of them is not English (the cue lexicons are).
_ENGLISH = frozenset(
    "the of and to in a is that for on with as was by it said at from be has have are his an not were this "
    "which or their its but had they been will who also would more after than".split()
)


@dataclass(frozen=True)
class Document:
    """One article's text and what is known about it."""

    name: str
    """How the user can find it again: a path, ``path#row``, or a URL."""
    text: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    record: str | None = None
    """Within a corpus file: the row (0-based) or the record's own id."""


@dataclass(frozen=True)
class Skipped:
    """An input that was not read, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class Fields:
    """Which corpus fields hold the text, title, date and URL (None: try the usual names)."""

    text: str | None = None
    title: str | None = None
    date: str | None = None


def parse_date(value: object) -> date | None:
    """A date from the forms corpora use (ISO, ``2020-09-05 10:00``, ``19-OCT-1987 11:46``)."""
    if value is None:
        return None
    text = str(value).strip()
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            return None
    for fmt in ("%d-%b-%Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text.split(" ")[0] if fmt == "%d-%b-%Y" else text, fmt).date()
        except ValueError:
            continue
    return None


def check_text(name: str, text: str) -> str | None:
    """Why ``text`` can't be an article (empty, not English), or None when it can."""
    if not text.strip():
        return "empty: no text to read"
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if len(words) >= 20 and sum(w in _ENGLISH for w in words) / len(words) < 0.08:
        return "not English (the stance cues are English)"
    if len(words) < 20 and not re.search(r"[A-Za-z]{3}", text):
        return "no readable words"
    return None


def _decode(name: str, data: bytes, encoding: str = "utf-8") -> str:
    if b"\x00" in data[:8192]:
        raise BadInput(f"{name}: binary file, not text")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise BadInput(f"{name}: not {encoding} text (byte {e.start})") from None


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise BadInput(f"{path}: cannot read: {e.strerror or e}") from e
    if size > MAX_BYTES:
        raise BadInput(f"{path}: too large ({size / 1e6:.0f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    try:
        return path.read_bytes()
    except OSError as e:
        raise BadInput(f"{path}: cannot read: {e.strerror or e}") from e


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split YAML (``---``) or TOML (``+++``) front matter from a Markdown body."""
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n") or text.startswith(fence + "\r\n"):
            end = text.find("\n" + fence, len(fence))
            if end < 0:
                return {}, text
            head = text[len(fence) + 1 : end]
            body = text[end + len(fence) + 1 :].lstrip("\r\n")
            meta = {}
            for line in head.splitlines():
                m = re.match(r"\s*([A-Za-z_]+)\s*[:=]\s*(.*)$", line)
                if m:
                    meta[m.group(1).lower()] = m.group(2).strip().strip("'\"")
            return meta, body
    return {}, text


def _markdown(name: str, text: str) -> Document:
    meta, body = _front_matter(text)
    url = meta.get("source") or meta.get("url")
    return Document(
        name=name,
        text=body,
        title=meta.get("title"),
        published=parse_date(meta.get("date")),
        url=clean_url(url),
    )


def _html(name: str, markup: str, url: str | None = None) -> Document:
    import trafilatura

    text = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_precision=True)
    if not text:
        raise BadInput(f"{name}: no article text found in the HTML")
    meta = trafilatura.extract_metadata(markup)
    return Document(
        name=name,
        text=text,
        title=getattr(meta, "title", None) if meta else None,
        published=parse_date(getattr(meta, "date", None)) if meta else None,
        url=clean_url(url or (getattr(meta, "url", None) if meta else None)),
    )


def _pick(row: dict[str, object], wanted: str | None, usual: tuple[str, ...]) -> object:
    if wanted:
        return row.get(wanted)
    for key in usual:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


def clean_url(value: object) -> str | None:
    """An http(s) URL usable as an IRI: characters IRIs forbid (spaces, ``<>"{}|\\^```,
    control characters) are percent-encoded; anything else is None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    return re.sub(r'[\x00-\x20<>"{}|\\^`\x7f]', lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _json_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(f"{path}:{e.lineno}: not JSON ({e.msg})") from None
    items = data if isinstance(data, list) else [data]
    for i, row in enumerate(items):
        yield i, row if isinstance(row, dict) else {"__error__": f"item {i}: not a JSON object"}


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, object]]]:
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        yield from _json_rows(path, text)
    elif suffix in JSONL_SUFFIXES:
        for i, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                yield i, {"__error__": f"line {i + 1}: not JSON ({e.msg})"}
                continue
            yield i, row if isinstance(row, dict) else {"__error__": f"line {i + 1}: not a JSON object"}
    else:
        csv.field_size_limit(MAX_BYTES)
        reader = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else _delimiter(text))
        header = reader.fieldnames or []
        if len(text.split("\n", 1)[0]) > 1000 or any(len(name or "") > 200 for name in header):
            # The first row is prose, not column names: reading on would drop it and find no text.
            yield 0, {"__error__": "no header line (the first row is data): add one naming the columns, e.g. title,text"}
            return
        yield from enumerate(reader)


def _delimiter(text: str) -> str:
    """The separator of a CSV file, read off its header row: European exports often use ";"."""
    header = text.split("\n", 1)[0]
    return max(",;\t|", key=header.count) if any(c in header for c in ",;\t|") else ","


def _corpus(path: Path, text: str, fields: Fields) -> Iterator[Document | Skipped]:
    for i, row in _rows(path, text):
        name = f"{path}#{i}"
        if "__error__" in row:
            yield Skipped(name, str(row["__error__"]))
            continue
        body = _pick(row, fields.text, TEXT_FIELDS)
        if not isinstance(body, str) or not body.strip():
            field = fields.text or "/".join(TEXT_FIELDS)
            yield Skipped(name, f"row has no text (field {field})")
            continue
        why = check_text(name, body)
        if why:
            yield Skipped(name, why)
            continue
        title = _pick(row, fields.title, TITLE_FIELDS)
        yield Document(
            name=name,
            text=body,
            title=str(title) if title else None,
            published=parse_date(_pick(row, fields.date, DATE_FIELDS)),
            url=clean_url(_pick(row, None, URL_FIELDS)),
            record=str(i),
        )


def _sgml(path: Path, text: str) -> Iterator[Document | Skipped]:
    """Reuters-21578: one document per ``<REUTERS NEWID="…">``; the text is its BODY."""
    for match in re.finditer(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", text, re.S):
        newid = re.search(r'NEWID="(\d+)"', match.group(1))
        record = newid.group(1) if newid else str(match.start())
        name = f"{path}#{record}"
        inner = match.group(2)
        body = re.search(r"<BODY>(.*?)</BODY>", inner, re.S)
        if body is None:
            yield Skipped(name, "record has no BODY")
            continue
        title = re.search(r"<TITLE>(.*?)</TITLE>", inner, re.S)
        when = re.search(r"<DATE>(.*?)</DATE>", inner, re.S)
        yield Document(
            name=name,
            text=html_lib.unescape(body.group(1)),
            title=html_lib.unescape(title.group(1)).strip() if title else None,
            published=parse_date(when.group(1)) if when else None,
            record=record,
        )


def read_file(path: Path, fields: Fields = Fields()) -> Iterator[Document | Skipped]:
    """The documents in one file. :class:`BadInput` when the file as a whole can't be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BadInput(f"{path}: unknown kind of file {suffix or '(no suffix)'!r} (known: {', '.join(sorted(SUFFIXES))})")
    data = _read_bytes(path)
    text = _decode(str(path), data, "latin-1" if suffix in SGML_SUFFIXES else "utf-8")
    name = str(path)
    if suffix in TABLE_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES:
        yield from _corpus(path, text, fields)
        return
    if suffix in SGML_SUFFIXES:
        yield from _sgml(path, text)
        return
    if suffix in HTML_SUFFIXES:
        doc = _html(name, text)
    elif suffix in MARKDOWN_SUFFIXES:
        doc = _markdown(name, text)
    else:
        doc = Document(name=name, text=text)
    why = check_text(name, doc.text)
    if why:
        raise BadInput(f"{name}: {why}")
    yield doc


def fetch(url: str, timeout: float = 20.0) -> Document:
    """A web page's main text. :class:`BadInput` names the URL when it can't be had."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "diplograph (+https://w3id.org/diplograph)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked by caller
            data = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        raise BadInput(f"{url}: cannot fetch: {reason}") from e
    if len(data) > MAX_BYTES:
        raise BadInput(f"{url}: too large (over {MAX_BYTES // 2**20} MB)")
    doc = _html(url, data.decode(charset, errors="replace"), url=url)
    why = check_text(url, doc.text)
    if why:
        raise BadInput(f"{url}: {why}")
    return doc


def preflight(inputs: Iterable[str], fields: Fields = Fields()) -> list[Document | str]:
    """Check every named input before anything is written: single articles and URLs are read
    now (a bad one raises :class:`BadInput` naming it); folders and corpus files are only
    checked to exist and decode, and are read later, row by row, by :func:`read_inputs`."""
    ready: list[Document | str] = []
    for item in inputs:
        if item.startswith(("http://", "https://")):
            ready.append(fetch(item))
            continue
        path = Path(item)
        if path.is_dir():
            ready.append(item)
        elif not path.exists():
            raise BadInput(f"{item}: no such file or folder")
        elif path.suffix.lower() in TABLE_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | SGML_SUFFIXES:
            text = _decode(item, _read_bytes(path), "latin-1" if path.suffix.lower() in SGML_SUFFIXES else "utf-8")
            if path.suffix.lower() in JSON_SUFFIXES:
                list(_json_rows(path, text))  # a .json file is parsed whole: refuse a broken one now
            ready.append(item)
        else:
            ready.extend(d for d in read_file(path, fields) if isinstance(d, Document))
    return ready


def read_inputs(inputs: Iterable[str | Document], fields: Fields = Fields()) -> Iterator[Document | Skipped]:
    """Every document behind ``inputs`` (files, folders — read recursively, in name order —,
    URLs, or documents already read). A named file that can't be read raises :class:`BadInput`;
    inside a folder, such a file is skipped and reported."""
    for item in inputs:
        if isinstance(item, Document):
            yield item
            continue
        if item.startswith(("http://", "https://")):
            yield fetch(item)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if child.name.lower() in NOT_ARTICLES:
                    yield Skipped(str(child), "describes the folder, not an article")
                    continue
                if child.suffix.lower() not in SUFFIXES:
                    yield Skipped(str(child), f"not a kind of file ingest reads ({child.suffix or 'no suffix'})")
                    continue
                try:
                    yield from read_file(child, fields)
                except BadInput as e:
                    yield Skipped(str(child), str(e).split(": ", 1)[-1])
        elif path.exists():
            yield from read_file(path, fields)
        else:
            raise BadInput(f"{item}: no such file or folder")
