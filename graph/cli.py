"""The ``diplo`` command: thin click wrappers around the library.

Each command opens the store, calls one library function and prints. Library errors
(:class:`graph.errors.DiploError`) become a one-line message on stderr and exit status 2;
``diplo validate`` exits 1 when the data violates the shapes.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graph.confidence import DEFAULT_MIN_CONFIDENCE
from graph.errors import BadInput, DiploError
from graph.output import for_terminal, json_text, safe

if TYPE_CHECKING:
    from graph.lookup import Position
    from graph.store import Store


class Failure(click.ClickException):
    """A library error shown to the user: one line, exit status 2."""

    exit_code = 2


class DiploGroup(click.Group):
    """Turns library errors raised by any command into :class:`Failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiploError as e:
            raise Failure(one_line(str(e))) from e


#: The longest error message shown: a name or value echoed back is cut to fit.
MESSAGE_CHARS = 600


def one_line(message: str) -> str:
    """An error message as the user sees it: its first line, at most :data:`MESSAGE_CHARS`
    characters, control characters escaped."""
    from graph.output import safe

    text = safe(message.strip().splitlines()[0] if message.strip() else message, newlines=False)
    return text if len(text) <= MESSAGE_CHARS else f"{text[:MESSAGE_CHARS - 1]}… ({len(text):,} characters)"


def format_option(*choices: str, default: str = "table") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared ``--format`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def date_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--since/--until`` filters."""
    f = click.option("--until", metavar="YYYY-MM-DD", help="Only reactions possibly made on or before this day.")(f)
    return click.option("--since", metavar="YYYY-MM-DD", help="Only reactions possibly made on or after this day.")(f)


min_confidence_option = click.option(
    "--min-confidence", type=click.FloatRange(0, 1), metavar="P",
    help="Only extracted reactions at least this likely to be right (at 0.7, about seven in ten were right on unseen "
    "text); curated and imported ones stay.",
)


class SourceKind(click.Choice):
    """The source kinds of the ontology (``vocab.source_kinds``), read when a value is checked or
    the help is shown: starting the CLI parses no Turtle."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from graph import vocab

        return vocab.source_kinds()

    @choices.setter
    def choices(self, _: Any) -> None:
        pass  # click.Choice sets its list; ours comes from the ontology


source_kind_option = click.option(
    "--source-kind", type=SourceKind(),
    help="Only reactions of one kind of source (default: all): extracted leaves out imported event data.",
)


def filter_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``--stance/--since/--until/--min-confidence`` filters of the lookups."""
    f = min_confidence_option(f)
    f = date_options(f)
    f = click.option(
        "--stance", metavar="STANCE", help="Only this stance: a coarse class (APPEAL) or a finer concept (call-for-restraint)."
    )(f)
    return f


#: How many reactions a lookup shows unless told otherwise.
PAGE_SIZE = 50


def page_options(f: Callable[..., Any] | None = None, *, noun: str = "reactions") -> Any:
    """``--limit N``, ``--offset N`` and ``--all``: which page of the newest-first reactions (or
    ``noun``) to show (the lookups read the details of that page only)."""
    if f is None:
        return lambda g: page_options(g, noun=noun)
    f = click.option("--all", "show_all", is_flag=True, help=f"Every one of the {noun}, not one page (slow on big stores).")(f)
    f = click.option(
        "--offset", type=click.IntRange(min=0), default=0, metavar="N", help=f"Skip the newest N {noun} (the next page: --offset 50)."
    )(f)
    return click.option(
        "--limit", type=click.IntRange(min=1), default=PAGE_SIZE, show_default=True, metavar="N", help=f"Show at most N {noun}, newest first."
    )(f)


def page_bounds(limit: int, offset: int, show_all: bool) -> dict[str, Any]:
    """The page options as keyword arguments for the lookups."""
    return {"limit": None if show_all else limit, "offset": 0 if show_all else offset}


def page_note(found: Any, noun: str = "position", order: str = "newest first") -> str:
    """"positions 51–100 of 1,234, newest first; 1,134 more (--offset 100)" for a page of a lookup
    (or of a paged query: an answer with ``shown`` in place of ``positions``, and its ``order``)."""
    count = len(found.positions) if hasattr(found, "positions") else found.shown
    if count == found.total and found.offset == 0:
        return f"{found.total:,} {noun}(s), {order}"
    if not count:
        return f"{found.total:,} {noun}(s); none past --offset {found.offset}"
    shown = f"{noun}s {found.offset + 1:,}–{found.offset + count:,}"
    more = f"; {found.more:,} more (--offset {found.offset + count}, or --all)" if found.more else ""
    return f"{shown} of {found.total:,}, {order}{more}"


#: Commands that only read: they open an on-disk store read-only, so they run beside each other
#: and beside `diplo serve`, and on a store they may not write to.
READERS = frozenset({"actor", "actors", "event", "query", "view", "sources", "export", "blocs", "mediators", "compare", "timeline", "validate"})


def open_store(ctx: click.Context, read_only: bool | None = None) -> Store:
    """The store for this invocation, opened on first use: the on-disk store of ``--store``
    (or DIPLO_STORE), else the bundled graph in memory plus ``--data``. An on-disk store is
    opened read-only for the commands in :data:`READERS` (unless ``read_only`` says)."""
    if read_only is None:
        read_only = ctx.command.name in READERS
    obj = ctx.find_root().obj
    if obj.get("store") is None:
        from graph.store import Store

        if obj["store_path"] is not None:
            if obj["data"]:
                raise BadInput("--data adds files to the in-memory graph; with --store, ingest them into the store instead")
            if obj["store_path"].startswith(("http://", "https://")):
                from graph.remote import RemoteStore

                obj["store"] = RemoteStore(obj["store_path"])
            else:
                obj["store"] = Store.open(Path(obj["store_path"]), read_only=read_only)
            ctx.find_root().call_on_close(obj["store"].close)
            if obj["store"].recovered:
                click.echo(f"note: an interrupted load was undone: dropped {len(obj['store'].recovered)} graph(s)", err=True)
            if ctx.command.name != "doctor":
                stale_summaries_note(obj["store"], obj["store_path"])
        else:
            obj["store"] = Store.bundled(obj["data"])
        from graph.limits import Limits

        obj["store"].limits = Limits.from_environment(*obj["limits"])
    return obj["store"]


def stale_summaries_note(store: Store, where: str) -> None:
    """Say on stderr when an on-disk store's summaries can't be read (an older format, or a write
    cut short): the whole-graph questions then count every reaction, which takes minutes on a big
    store, and nothing else would tell the user why or how to mend it."""
    from graph import summaries

    found = summaries.state(store)
    if getattr(store, "_ox", None) is None or found == summaries.CURRENT:
        return
    why = "were left pending by a write cut short" if found == summaries.PENDING else (
        f"are in an older format ({found!r})" if found else "were never built (an older store)")
    click.echo(f"note: this store's summaries {why}: whole-graph questions count every reaction, slowly on a big store; "
               f"`diplo --store {shlex.quote(where)} doctor --repair` rebuilds them", err=True)


def date_filters(stance: str | None, since: str | None, until: str | None, min_confidence: float | None = None) -> dict[str, Any]:
    """Validate the shared filters into keyword arguments for the lookups."""
    from graph import vocab
    from graph.resolve import parse_date

    if stance and vocab.stance_by_name(stance) is None:
        raise BadInput(f"--stance: unknown stance {stance!r} (coarse classes: {', '.join(vocab.coarse_classes())})")
    return {
        "stance": stance,
        "since": parse_date(since, "--since") if since else None,
        "until": parse_date(until, "--until") if until else None,
        "min_confidence": min_confidence,
    }


POSITION_COLUMNS = ("when", "stance", "toward", "speaker", "words", "source")

#: The options that narrow a lookup, as their parameters are named.
FILTERS = ("event", "stance", "since", "until", "min_confidence", "source_kind")


def given_filters(ctx: click.Context) -> str:
    """The narrowing options given to this command, as one would type them ("--since 2030-01-01
    --source-kind gdelt"); empty when none were."""
    from click.core import ParameterSource

    given = []
    for param in ctx.command.params:
        if param.name in FILTERS and ctx.get_parameter_source(param.name) is not ParameterSource.DEFAULT:
            value = ctx.params[param.name]
            if value is not None:
                given.append(f"{max(param.opts, key=len)} {shlex.quote(str(value))}")
    return " ".join(given)


def note_none(ctx: click.Context, found: int, noun: str, whose: str, unfiltered: Callable[[], int]) -> None:
    """Say on stderr why a lookup found nothing: which options left nothing of how many, or that
    there is nothing at all (an empty table alone does not tell a typo'd date from an empty store)."""
    if found:
        return
    given = given_filters(ctx)
    if not given:
        click.echo(safe(f"note: {whose} has no {noun}s in this store"), err=True)
        return
    total = unfiltered()
    rest = f"{total:,} {noun}(s) without them" if total else f"and it has no {noun}s without them either"
    click.echo(safe(f"note: no {noun}s of {whose} match {given}; {rest}"), err=True)


def toward(targets: Sequence[str], basis: str | None) -> str:
    """The targets as a table shows them: "(assumed)" after those the text did not name
    (:data:`graph.model.ASSUMED_TARGETS`)."""
    from graph.model import ASSUMED_TARGETS

    shown = ", ".join(targets) or "—"
    return f"{shown} (assumed)" if targets and basis in ASSUMED_TARGETS else shown


def position_row(p: Position) -> dict[str, Any]:
    """A position as a table row: short combined columns, the words being the quote or the
    evidence span."""
    speaker = f"{p.speaker} ({p.role})" if p.speaker and p.role else p.speaker
    return {
        "when": p.when,
        "stance": f"{p.stance_class}: {p.stance}",
        "toward": toward(p.targets, p.target_basis),
        "speaker": speaker or "—",
        "for": p.actor,
        "words": p.quote or p.evidence,
        "source": ", ".join(x for x in (p.publisher or p.source_title or p.source_url, p.published) if x),
        "event": p.event,
        # An extracted position says how likely it is to be right (graph/confidence.py).
        "kind": f"{p.source_kind} {p.confidence:.2f}" if p.source_kind == "extracted" and p.confidence is not None else p.source_kind,
    }


@click.group(cls=DiploGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="An extra RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD) loaded on top of the bundled graph. Repeatable.",
)
@click.option(
    "--store",
    "store_path",
    envvar="DIPLO_STORE",
    metavar="DIR|URL",
    help="Where the graph lives instead of the bundled graph: a folder made by diplo init, or a SPARQL "
    "endpoint http(s)://… (credentials and update/graph-store endpoints from DIPLO_STORE_* variables). Also DIPLO_STORE.",
)
@click.option(
    "--time-limit", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
    help="How long any one query may run (default 120, or DIPLO_TIME_LIMIT).",
)
@click.option(
    "--row-limit", type=click.IntRange(min=1), metavar="N",
    help="How many rows any one query may answer (default 2,000,000, or DIPLO_ROW_LIMIT).",
)
@click.option(
    "--memory-limit", type=click.IntRange(min=1), metavar="MB",
    help="How large a query may grow the process (default 4096, or DIPLO_MEMORY_LIMIT).",
)
@click.version_option(package_name="diplograph", prog_name="diplo")
@click.pass_context
def cli(
    ctx: click.Context, data: tuple[Path, ...], store_path: str | None,
    time_limit: float | None, row_limit: int | None, memory_limit: int | None,
) -> None:
    """diplograph: who said what about whom in a crisis, with what stance, and where it is sourced.

    \b
    Examples:
      diplo actor Turkey
      diplo actor cavusoglu --format json
      diplo event "Tavush clashes"
      diplo query --named who-called-for-restraint --param event=tavush-2020
      diplo view -o reactions.html
      diplo init ~/crises && diplo --store ~/crises ingest articles/
    """
    ctx.obj = {"data": list(data), "store": None, "store_path": store_path, "limits": (time_limit, row_limit, memory_limit)}


@cli.command()
@click.argument("name")
@click.option("--event", metavar="EVENT", help="Only reactions about this event (or an event within it).")
@filter_options
@page_options
@format_option("table", "json", "csv")
@click.pass_context
def actor(
    ctx: click.Context, name: str, event: str | None, stance: str | None, since: str | None, until: str | None,
    min_confidence: float | None, limit: int, offset: int, show_all: bool, fmt: str,
) -> None:
    """Every position an actor took, newest first.

    NAME may be a state, organization, government body or official, by name, alias, capital
    or ISO code, in any case and with or without diacritics. A state's positions include what
    its officials said on its behalf; an official's show on whose behalf they spoke.

    \b
    Examples:
      diplo actor Turkey
      diplo actor Moscow --stance APPEAL
      diplo actor cavusoglu --format json
      diplo actor "United States" --since 2020-07-13 --format csv
      diplo --store ~/crises actor Iran --min-confidence 0.7
      diplo --store ~/crises actor Russia --limit 20 --offset 40
      diplo --store ~/crises actor Russia --all --format csv > russia.csv

    One page of the newest reactions is shown (--limit, 50 by default), with the total and how
    many more there are; --offset pages on, --all shows every one.
    """
    from graph.lookup import actor_page
    from graph.output import write_rows

    filters = date_filters(stance, since, until, min_confidence)
    store = open_store(ctx)
    subject, page = actor_page(store, name, event=event, **page_bounds(limit, offset, show_all), **filters)
    found = page.positions
    note_none(ctx, page.total, "position", subject.label, lambda: actor_page(store, name, limit=1)[1].total)
    if fmt == "json":
        payload = {"actor": subject.__dict__, "total": page.total, "offset": page.offset, "more": page.more,
                   "positions": [p.record() for p in found]}
        click.echo(json_text(payload))
        return
    if fmt == "csv":
        write_rows([p.record() for p in found], fmt)
        if page.more:
            click.echo(f"note: {page_note(page)}", err=True)
        return
    posts = "; ".join(f"{p['post']}, on behalf of {p['on_behalf_of']}" for p in subject.posts)
    title = f"{subject.label} ({subject.kind}{': ' + posts if posts else ''}): {page_note(page)}"
    columns = list(POSITION_COLUMNS)
    if any(p.actor != subject.label for p in found):
        columns.insert(4, "for")
    if len({p.source_kind for p in found}) > 1 or any(p.source_kind == "extracted" for p in found):
        columns.append("kind")  # curated, extracted and imported positions side by side; confidences
    write_rows([position_row(p) for p in found], fmt, columns, title=title)


@cli.command()
@page_options(noun="actors")
@format_option("table", "json", "csv")
@click.pass_context
def actors(ctx: click.Context, limit: int, offset: int, show_all: bool, fmt: str) -> None:
    """The actors with their type, ISO code and how many reactions each made, voiced and
    received, most reactions first: one page (--limit, 50 by default), with the total and how
    many more.

    \b
    Examples:
      diplo actors
      diplo actors --offset 50 --limit 20
      diplo actors --all --format csv > actors.csv
    """
    from graph.lookup import actors as list_actors
    from graph.output import write_rows

    bounds = page_bounds(limit, offset, show_all)
    rows, answer = list_actors(open_store(ctx), bounds["limit"], bounds["offset"])
    write_rows(rows, fmt, ("actor", "type", "code", "made", "voiced", "received"))
    if answer.total is not None and (fmt == "table" or answer.more):
        click.echo(f"note: {page_note(answer, 'actor', 'most reactions first')}", err=True)


@cli.command()
@click.argument("name")
@filter_options
@page_options
@format_option("table", "json", "csv")
@click.pass_context
def event(
    ctx: click.Context, name: str, stance: str | None, since: str | None, until: str | None,
    min_confidence: float | None, limit: int, offset: int, show_all: bool, fmt: str,
) -> None:
    """All reactions to one event (and the events within it), grouped by stance class.

    \b
    Examples:
      diplo event "Tavush clashes"
      diplo event tavush-2020 --stance DISAPPROVE --format json
      diplo --store ~/crises event syn-0000 --limit 50
    """
    from graph.lookup import by_stance_class, event_reactions
    from graph.output import write_rows

    store = open_store(ctx)
    subject, page = event_reactions(store, name, **page_bounds(limit, offset, show_all), **date_filters(stance, since, until, min_confidence))
    note_none(ctx, page.total, "reaction", subject.label, lambda: event_reactions(store, name, limit=1)[1].total)
    groups = by_stance_class(page.positions)
    if fmt == "json":
        payload = {"event": subject.__dict__, "total": page.total, "offset": page.offset, "more": page.more,
                   "reactions": {k: [p.record() for p in v] for k, v in groups.items()}}
        click.echo(json_text(payload))
        return
    if fmt == "csv":
        write_rows([p.record() for p in page.positions], fmt)
        if page.more:
            click.echo(f"note: {page_note(page, 'reaction')}", err=True)
        return
    click.echo(safe(f"{subject.label} ({subject.kind}): {page_note(page, 'reaction')}"))
    for stance_class, found in groups.items():
        cols = ("when", "for", "speaker", "stance", "toward", "words")
        write_rows([position_row(p) for p in found], "table", cols, title=f"{stance_class} ({len(found)})")


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` pairs from repeated ``--param`` options."""
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInput(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-e", "--expression", metavar="SPARQL", help="The query text itself.")
@click.option("--named", metavar="NAME", help="A shipped query (see --list).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter (repeatable); bound as an RDF term, never pasted into the query.")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries with their questions and parameters.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help=f"Paged queries (see --list): at most N reactions or sources (default {PAGE_SIZE}).")
@click.option("--offset", type=click.IntRange(min=0), default=0, metavar="N", help="Paged queries: skip the first N (newest first).")
@click.option("--all", "show_all", is_flag=True, help="Paged queries: every reaction or source (slow on big stores).")
@click.option("--allow-service", is_flag=True, help="Run SERVICE clauses (federated queries fetch from the servers they name); refused otherwise.")
@format_option("table", "json", "csv", "tsv")
@click.pass_context
def query(
    ctx: click.Context, file: Path | None, expression: str | None, named: str | None, params: tuple[str, ...],
    list_: bool, limit: int | None, offset: int, show_all: bool, allow_service: bool, fmt: str,
) -> None:
    """Run SPARQL 1.1 over the graph: a FILE, -e TEXT, or a shipped --named query.

    The ontology's prefixes (dr:, st:, org:, prov:, skos:, schema:, oa: …) are predeclared.
    SELECT results print as a table, W3C SPARQL JSON, CSV or TSV; CONSTRUCT and DESCRIBE print
    Turtle.

    \b
    Examples:
      diplo query --list
      diplo query --named who-called-for-restraint --param event=tavush-2020
      diplo query --named stances-toward-actor --param target=Armenia --format csv
      diplo query -e 'SELECT ?a WHERE { ?r dr:actor ?a }' --format json
      diplo query my.rq --param who='<https://w3id.org/diplograph/id/actor/russia>'
      diplo query --named reactions --limit 20 --offset 40 --format csv

    Queries marked paged in --list (by reaction or by source, with the order of their pages)
    answer one page, newest first: --limit (50 by default), --offset, --all.
    """
    from graph.output import write_rows
    from graph.queries import named_queries
    from graph.sparql import read_query_file, result_rows, run_query, serialize_result

    if list_:
        rows = [
            {
                "name": q.name,
                "question": q.question,
                "params": ", ".join(f"{p.name} ({p.kind}{', optional' if p.optional else ''})" for p in q.params) or "—",
                "paged": f"by {q.page}: {q.page_order}" if q.page else "",
            }
            for q in named_queries().values()
        ]
        write_rows(rows, "table" if fmt == "tsv" else fmt, ("name", "question", "params", "paged"))
        return
    given = [x for x in (file, expression, named) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of FILE, -e/--expression or --named (or --list)")
    text = read_query_file(file) if file else expression
    paged = named is not None and named_queries().get(named) is not None and named_queries()[named].page is not None
    if show_all:
        bounds: dict[str, Any] = {}
    elif paged:
        bounds = {"limit": limit or PAGE_SIZE, "offset": offset}
    else:
        bounds = {"limit": limit, "offset": offset}
    answer = run_query(open_store(ctx), text=text, named=named, params=parse_params(params), allow_service=allow_service, **bounds)
    result = answer.result
    if fmt == "table" and result.type == "SELECT":
        rows = result_rows(result, compact=True)
        write_rows(rows, "table", [str(v) for v in result.vars or []])
        click.echo(f"{len(rows)} row(s)", err=True)
    else:
        click.echo(for_terminal(serialize_result(result, "json" if fmt == "table" else fmt)), nl=False)
    if answer.total is not None:
        order = named_queries()[named].page_order.split(",")[0] if named else ""
        click.echo(f"note: {page_note(answer, answer.noun, order or 'in page order')}", err=True)


@cli.command()
@click.option("-o", "--output", "path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--actor", metavar="NAME", help="Only this actor's reactions and those aimed at it.")
@click.option("--event", metavar="EVENT", help="Only reactions about this event.")
@filter_options
@click.option("--fold-officials", is_flag=True, help="Draw no separate nodes for the officials who spoke.")
@source_kind_option
@click.option(
    "--format", "fmt", type=click.Choice(["html", "svg", "png"]), default=None,
    help="html (interactive), or a static svg/png picture for reports (png needs Chromium). Default: from the -o suffix, else html.",
)
@click.option("--top", type=click.IntRange(min=1), default=60, show_default=True, metavar="N", help="Draw the N actors and events in most reactions; fold the others into their bloc or 'others'.")
@click.option("--all", "show_all", is_flag=True, help="Draw every actor and event (no folding).")
@click.option("--width", type=click.IntRange(100, 8000), metavar="PX", help="svg/png: picture width (default: fits the graph).")
@click.option("--height", type=click.IntRange(100, 8000), metavar="PX", help="svg/png: picture height (default: fits the graph).")
@click.pass_context
def view(
    ctx: click.Context, path: Path, actor: str | None, event: str | None, stance: str | None, since: str | None, until: str | None,
    min_confidence: float | None, fold_officials: bool, source_kind: str | None, fmt: str | None, top: int, show_all: bool,
    width: int | None, height: int | None,
) -> None:
    """Write an interactive network of actors and stances as one self-contained HTML file.

    Actors are nodes (shape and colour by type, size by number of reactions); edges join an
    actor to its target, one per stance class with a width growing with the count, coloured
    by polarity, dashed when the reaction named no target (it then points at the event).
    Officials are drawn beside the actor they speak for. Reactions with neither target nor
    event are listed on their actor ([n] in its label). Only the --top busiest actors and
    events are drawn at first, the others folded into their bloc (diplo blocs; blocs are
    node borders) or "others"; a click unfolds a group or an actor's neighbours. In the
    page: search an actor, filter by stance class, actor type and dates, click an edge for
    its quotes and sources. The page makes no network requests: open it offline. Over 2,000
    drawn nodes the layout is computed once and physics is off.

    \b
    Examples:
      diplo view -o reactions.html
      diplo view --actor Russia -o russia.html
      diplo view --event "Tavush clashes" --stance APPEAL -o appeals.html
      diplo view --fold-officials -o states.svg
      diplo view --source-kind gdelt -o gdelt.html
      diplo --store ~/crises view --min-confidence 0.7 -o reliable.html
      diplo view --top 150 -o busiest.html
      diplo view --all --format png --width 2400 --height 1800 -o all.png
    """
    from graph.views import write_view

    fmt = fmt or {".svg": "svg", ".png": "png"}.get(path.suffix.lower(), "html")
    summary = write_view(
        open_store(ctx), path, actor=actor, event=event, fold_officials=fold_officials, fmt=fmt, source_kind=source_kind,
        top=None if show_all else top, width=width, height=height, **date_filters(stance, since, until, min_confidence),
    )
    click.echo(f"wrote {summary.path}: {summary.nodes} nodes, {summary.edges} edges", err=True)
    note_unsure(summary.unsure, min_confidence)


@cli.command()
@click.argument("where", metavar="FOLDER|URL")
def init(where: str) -> None:
    """Create a store: a folder becomes an embedded Oxigraph database, a SPARQL endpoint URL is
    filled; either way it then holds the ontology and the bundled graph, ready for
    `diplo --store FOLDER|URL ingest …`.

    \b
    Examples:
      diplo init ~/crises
      export DIPLO_STORE=~/crises; diplo ingest news/; diplo actor Turkey
      DIPLO_STORE_UPDATE=… DIPLO_STORE_USER=… diplo init http://127.0.0.1:8890/sparql
    """
    if where.startswith(("http://", "https://")):
        from graph.remote import RemoteStore, initialise

        remote = RemoteStore(where)
        try:
            initialise(remote)
        finally:
            remote.close()
        click.echo(f"filled store {where}", err=True)
        return
    from graph.store import Store

    Store.create(Path(where)).close()
    click.echo(f"created store {where}", err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace graphs the store already has (otherwise they are refused).")
@format_option("table", "json")
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...], replace: bool, fmt: str) -> None:
    """Bulk-load RDF files (N-Triples, N-Quads, Turtle, TriG) into the store on disk.

    Every file is parsed whole before anything is written, and on a store on disk the files of
    one command are loaded all or none: a malformed file (the error names its line) or a graph
    the store has already (without --replace) changes nothing. Triple files go into a named graph
    called by the file's URI; quad files keep their graphs (their default-graph triples go into
    the file's graph). If a load is killed, the store undoes it when next opened.

    \b
    Examples:
      export DIPLO_STORE=~/crises
      diplo load reactions.nq
      diplo load extra.ttl --replace
    """
    from graph.output import write_rows

    store = open_store(ctx)
    if not store.persistent:
        raise BadInput("load writes to a store on disk or a server: pass --store DIR|URL (create one with diplo init)")
    import time

    from graph.remote import RemoteStore

    rows = []
    with _status() as say:
        # A RemoteStore is a Store too: only one on disk keeps a journal over all the files.
        if not isinstance(store, RemoteStore):  # on disk: all the files or none (one journal)
            rows = store.load_files(list(files), replace=replace, step=lambda p, s: say(f"{p.name}: {s}…"))
        else:
            for path in files:
                start = time.perf_counter()
                report = store.bulk_load(path, replace=replace, step=lambda s, p=path: say(f"{p.name}: {s}…"))
                rows.append(report | {"seconds": round(time.perf_counter() - start, 2)})
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
    else:
        write_rows(rows, "table", ("file", "quads", "graphs", "replaced", "seconds"))


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|DIR|URL...")
@click.option("--text-field", metavar="NAME", help="Corpus field holding the article text (CSV/JSONL). Default: text, content_original, content, body …")
@click.option("--title-field", metavar="NAME", help="Corpus field holding the title.")
@click.option("--date-field", metavar="NAME", help="Corpus field holding the publication date.")
@click.option("--dry-run", is_flag=True, help="Print the reactions found, each with its confidence (all of them unless --min-confidence is given); write nothing.")
@click.option("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE, show_default=True,
              help="Keep only reactions at least this likely right (0-1): 0 keeps everything found; at 0.8 about four in five kept were right on unseen articles, but they cover about one reaction in ten.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Extract in this many processes.")
@format_option("table", "json")
@click.pass_context
def ingest(
    ctx: click.Context, inputs: tuple[str, ...], text_field: str | None, title_field: str | None, date_field: str | None,
    dry_run: bool, min_confidence: float, jobs: int, fmt: str,
) -> None:
    """Extract reactions from news articles into the store, one named graph per source.

    Reads plain text, Markdown, HTML (main text by trafilatura), CSV/TSV and JSON Lines corpora
    (one article per row), Reuters SGML, folders of these, and http(s) URLs. Each reaction keeps
    its quote, evidence offsets, date (relative days resolved against the article's), speaker,
    confidence and the extractor version. Ingesting the same article again adds nothing; a newer
    extractor replaces its graph. Needs --store (or DIPLO_STORE) unless --dry-run.

    \b
    Examples:
      diplo --store ~/crises ingest article.txt page.html https://example.org/news/1
      diplo --store ~/crises ingest corpus.jsonl --text-field content_original --jobs 2
      diplo ingest article.md --dry-run --format json
    """
    from graph.documents import Fields
    from graph.ingest import ingest as run_ingest

    obj = ctx.find_root().obj
    if not dry_run and obj["store_path"] is None:
        raise BadInput("ingest writes to a store on disk: pass --store DIR (create one with diplo init DIR), or use --dry-run")
    if dry_run and ctx.get_parameter_source("min_confidence") is click.core.ParameterSource.DEFAULT:
        min_confidence = 0.0  # a dry run shows everything found, with the confidence to judge it by
    store = open_store(ctx)
    records: list[dict[str, Any]] = []

    def keep(doc: Any, found: list[Any]) -> None:
        if dry_run or fmt == "json":
            records.extend(r.record() for r in found)

    with _progress("ingesting") as tick:
        summary = run_ingest(
            None if dry_run else store,
            inputs,
            Fields(text_field, title_field, date_field),
            min_confidence=min_confidence,
            jobs=jobs,
            on_document=lambda doc, found: (keep(doc, found), tick()),
            base=store,
        )
    if fmt == "json":
        click.echo(json_text(records))
    elif dry_run:
        from graph.output import write_rows

        rows = [
            {"actor": r["actor"], "stance": f"{r['stance_class']}: {r['stance_label']}", "toward": toward(r["targets"], r["aim"]),
             "speaker": r["speaker"] or "—", "words": r["evidence"], "confidence": r["confidence"], "path": r["path"]}
            for r in records
        ]
        below = sum(r["confidence"] < DEFAULT_MIN_CONFIDENCE for r in records) if not min_confidence else 0
        title = f"{len(rows)} reaction(s) found (dry run: nothing written"
        title += f"; {below} below {DEFAULT_MIN_CONFIDENCE}, which a run without --min-confidence leaves out)" if below else ")"
        write_rows(rows, "table", ("actor", "stance", "toward", "speaker", "words", "confidence", "path"), title=title)
    s = summary.record()
    reasons = "; ".join(f"{n} {why}" for why, n in summary.skipped.items())
    click.echo(safe(
        f"{s['documents']} document(s): {s['sources_added']} added, {s['sources_replaced']} replaced, "
        f"{s['sources_unchanged']} unchanged; {s['reactions']} reaction(s)"
        + (f"; {s['below_min_confidence']} below --min-confidence" if s["below_min_confidence"] else "")
        + (f"; skipped {s['skipped']}: {reasons}" if s["skipped"] else ""), newlines=False),
        err=True,
    )


@contextmanager
def _status() -> Iterator[Callable[[str], None]]:
    """A one-line status on stderr when it is a terminal (what a long step is doing now),
    silent otherwise; call it with the new text."""
    if not sys.stderr.isatty():
        yield lambda text: None
        return
    from rich.console import Console

    with Console(stderr=True).status("") as shown:
        yield shown.update


@contextmanager
def _progress(what: str) -> Iterator[Callable[..., None]]:
    """A progress counter on stderr when it is a terminal, silent otherwise; call it with how
    many items were done (default 1)."""
    if not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn(what), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda n=1: bar.advance(task, n)


@cli.command()
@page_options(noun="sources")
@format_option("table", "json", "csv")
@click.pass_context
def sources(ctx: click.Context, limit: int, offset: int, show_all: bool, fmt: str) -> None:
    """The source documents in the graph, newest published first, with their reaction counts and
    what produced them: one page (--limit, 50 by default), with the total and how many more.

    \b
    Examples:
      diplo sources
      diplo --store ~/crises sources --offset 50
      diplo --store ~/crises sources --all --format csv > sources.csv
    """
    from graph.output import write_rows
    from graph.paging import sources_page

    bounds = page_bounds(limit, offset, show_all)
    rows, answer = sources_page(open_store(ctx), bounds["limit"], bounds["offset"])
    write_rows(rows, fmt, ("key", "published", "title", "reactions", "made_by", "url"))
    if answer.total is not None and (fmt == "table" or answer.more):
        click.echo(f"note: {page_note(answer, 'source')}", err=True)


@cli.command()
@click.argument("source")
@click.pass_context
def forget(ctx: click.Context, source: str) -> None:
    """Remove one ingested source and everything read from it.

    SOURCE is its key or IRI (as `diplo sources` lists them) or its URL.

    \b
    Examples:
      export DIPLO_STORE=~/crises
      diplo forget 3f2a9c0d41b7e6a58c21
      diplo forget https://example.org/news/1
    """
    from graph.ingest import forget as forget_source

    gone = forget_source(open_store(ctx), source)
    click.echo(safe(f"forgot {gone['key']}: {gone['title']} ({gone['reactions']} reaction(s))"), err=True)


@cli.group(name="import", context_settings={"help_option_names": ["-h", "--help"]})
def import_() -> None:
    """Import machine-coded event data (GDELT, ICEWS, any CAMEO table) as reactions.

    The verbal events — CAMEO roots 01-05 and 10-13 — whose code the stance scheme maps
    (ontology/stances.ttl, skos:exactMatch/closeMatch) become reactions; every other row is
    skipped and counted by reason. Each file is its own named graph: importing it again replaces
    it, `diplo forget` removes it.

    \b
    Examples:
      diplo import gdelt 20191024143000.export.CSV.zip
      diplo import icews events.2018.tab --countries ARM,AZE --since 2018-06-01
      diplo import csv --map mapping.yaml events.csv
    """


def import_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every `diplo import` kind shares."""
    for option in reversed([
        click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)),
        click.option("--codes", metavar="CODES", help="Only these CAMEO codes or prefixes, comma-separated (e.g. 11,12,0256)."),
        click.option("--countries", metavar="ISO3", help="Only events where either actor is one of these ISO alpha-3 codes."),
        click.option("--since", metavar="YYYY-MM-DD", help="Only events on or after this day."),
        click.option("--until", metavar="YYYY-MM-DD", help="Only events on or before this day."),
        click.option("--all-events", is_flag=True, help="Keep non-root events too (GDELT IsRootEvent=0)."),
        click.option("--actors", "actor_mode", type=click.Choice(["states", "all"]), default="states", show_default=True,
                     help="states: credit a state only with what its government, military, judiciary or legislature says "
                          "(CAMEO actor types, ICEWS sectors), skipping companies, media, NGOs, civilians …; "
                          "all: keep those as actors of their own."),
        click.option("--strict", is_flag=True, help="Reject a file at its first bad row (with the line number) instead of skipping it."),
        click.option("--dry-run", is_flag=True, help="Count what would be imported; write nothing."),
        format_option("table", "json"),
    ]):
        f = option(f)
    return f


def run_import(ctx: click.Context, kind: str, files: tuple[Path, ...], codes: str | None, countries: str | None,
               since: str | None, until: str | None, all_events: bool, strict: bool, dry_run: bool, fmt: str,
               actor_mode: str = "states", mapping: Path | None = None) -> None:
    """Shared body of the `diplo import` commands."""
    from graph.eventdata import Filters, Mapping, import_files
    from graph.output import write_rows

    obj = ctx.find_root().obj
    if not dry_run and obj["store_path"] is None:
        raise BadInput("import writes to a store on disk: pass --store DIR (create one with diplo init DIR), or use --dry-run")
    dates = date_filters(None, since, until)
    filters = Filters(
        codes=tuple(c.strip() for c in (codes or "").split(",") if c.strip()),
        countries=frozenset(c.strip().upper() for c in (countries or "").split(",") if c.strip()),
        since=dates["since"], until=dates["until"], all_events=all_events, actors=actor_mode,
    )
    store = open_store(ctx)
    with _progress(f"importing {kind} rows") as tick:
        summaries = import_files(
            None if dry_run else store, list(files), kind, filters, strict,
            Mapping.from_file(mapping) if mapping else None, base=store,
            progress=tick,
        )
    rows = [s.record() for s in summaries]
    if fmt == "json":
        click.echo(json_text(rows))
        return
    for s in summaries:
        if s.unchanged:
            click.echo(f"{s.file}: already imported the same way (same content, importer and options): nothing to do")
            continue
        reasons = sorted(s.skipped.items(), key=lambda kv: -kv[1])
        write_rows([{"reason": why, "rows": n} for why, n in reasons], "table", ("reason", "rows"),
                   title=f"{s.file}: {s.rows} rows read, {s.imported} imported{'' if s.written else ' (dry run: nothing written)'}, {sum(s.skipped.values())} skipped")


@import_.command()
@import_options
@click.pass_context
def gdelt(ctx: click.Context, **options: Any) -> None:
    """GDELT 1.0 or 2.0 event exports (tab-separated, with or without header, plain or .zip).

    \b
    Examples:
      diplo import gdelt 20191024143000.export.CSV
      diplo import gdelt 20200714.export.CSV.zip --codes 11,12,13 --all-events
    """
    run_import(ctx, "gdelt", **options)


@import_.command()
@import_options
@click.pass_context
def icews(ctx: click.Context, **options: Any) -> None:
    """ICEWS coded event files (tab-separated with a header; NA for empty).

    \b
    Examples:
      diplo import icews events.2018.sample.tab
      diplo import icews events.2018.tab --countries RUS,UKR --strict
    """
    run_import(ctx, "icews", **options)


@import_.command(name="csv")
@click.option("--map", "mapping", required=True, type=click.Path(dir_okay=False, path_type=Path), help="YAML naming the columns: id, date, actor, code (CAMEO) or plover (PLOVER type), and optionally target, actor_type/target_type (CAMEO actor type codes, or ICEWS sectors with type_scheme: icews), url, goldstein, actor_kind (iso|name), delimiter.")
@import_options
@click.pass_context
def import_csv(ctx: click.Context, mapping: Path, **options: Any) -> None:
    """Any CAMEO- or PLOVER-coded table with a header, its columns named by a mapping file.

    \b
    Examples:
      diplo import csv --map mapping.yaml events.csv
    mapping.yaml:
      id: event_id
      date: day
      actor: source_iso3
      target: target_iso3
      code: cameo
    """
    run_import(ctx, "csv", mapping=mapping, **options)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Seconds a query may run.")
@click.option("--queue-wait", default=60.0, show_default=True, type=click.FloatRange(min=0), metavar="SECONDS", help="Seconds a request may wait in line for a free worker (at most 64 wait; past either, 503).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Most rows of a SELECT, or triples of a CONSTRUCT/DESCRIBE, an answer holds (X-Diplo-Truncated says when cut).")
@click.option("--max-request", default=1_000_000, show_default=True, type=int, help="Largest request body, in bytes.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN", help="Allow this browser origin (repeatable); none by default.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update from clients that send the token in DIPLO_SERVE_TOKEN as 'Authorization: Bearer …' (opens the store for writing, with one worker).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1, max=64), help="Worker processes answering queries at once.")
@click.option("--max-memory", default=1024, show_default=True, type=click.IntRange(min=64), metavar="MB", help="A worker that grows past this while answering is stopped (503).")
@click.option("--allow-service", is_flag=True, help="Run SERVICE clauses (federated queries make the server fetch the URLs they name); refused (400) otherwise.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME", help="Also answer requests for this host name (repeatable; '*' for any). By default only localhost, 127.0.0.1, ::1 and the --host address.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: float, queue_wait: float, max_rows: int, max_request: int, cors: tuple[str, ...],
          allow_update: bool, workers: int, max_memory: int, allow_service: bool, allow_hosts: tuple[str, ...]) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint (/sparql), with /healthz and the network pages
    at /view?actor=… and /view?event=….

    Queries run in worker processes: one that runs past --timeout or grows past --max-memory
    is stopped (503) and its worker replaced, while the others go on answering.

    Read-only unless --allow-update, and then only for requests carrying the token from the
    DIPLO_SERVE_TOKEN environment variable (never from the command line). Without
    --allow-update an on-disk store is opened read-only, so lookups, queries and a second
    server can use it meanwhile; with it, the store is opened for writing and other diplo
    commands must wait until the server ends. Answers are negotiated:
    SPARQL results as JSON, XML, CSV or TSV; graphs as Turtle, N-Triples or JSON-LD.

    \b
    Examples:
      diplo serve
      diplo --store ~/crises serve --port 8080 --cors https://analyst.example.org
      DIPLO_SERVE_TOKEN=… diplo serve --allow-update
      curl 'http://127.0.0.1:8000/sparql?query=SELECT%20*%20WHERE%20%7B?s%20?p%20?o%7D%20LIMIT%205'
    """
    import os

    from graph.server import Limits
    from graph.server import serve as run_server

    token = os.environ.get("DIPLO_SERVE_TOKEN") if allow_update else None
    if allow_update and not token:
        raise BadInput("--allow-update needs a token in the DIPLO_SERVE_TOKEN environment variable")
    limits = Limits(timeout=timeout, wait=queue_wait, max_rows=max_rows, max_request_bytes=max_request, workers=workers, memory_mb=max_memory)
    run_server(open_store(ctx, read_only=token is None), host, port, limits, token, list(cors) or None, allow_service=allow_service, hosts=list(allow_hosts))


def analysis_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The scope shared by the analysis commands: one event, a date range, a least confidence, one
    kind of source."""
    f = source_kind_option(f)
    f = min_confidence_option(f)
    f = date_options(f)
    f = click.option("--event", metavar="EVENT", help="Only reactions about this event (or an event within it).")(f)
    return f


def scoped(
    ctx: click.Context, event: str | None, since: str | None, until: str | None, min_confidence: float | None, source_kind: str | None,
) -> list[Position]:
    """The reactions an analysis command works on (a note on stderr when many are unsure)."""
    from graph.lookup import selection, unsure

    found = selection(open_store(ctx), event=event, source_kind=source_kind, **date_filters(None, since, until, min_confidence))
    note_unsure(unsure(found), min_confidence)
    return found


def note_unsure(count: int, min_confidence: float | None) -> None:
    """Say on stderr, when no cut was asked for, that a view or an analysis used ``count``
    extracted reactions of low confidence."""
    if count and min_confidence is None:
        click.echo(f"note: {count} of the reactions used were extracted with confidence below 0.5; "
                   "--min-confidence 0.7 keeps only the likelier ones", err=True)


graph_option = click.option(
    "--graph", "graph_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.graphml|FILE.gexf",
    help="Also write the signed actor graph, with the result as node attributes, for Gephi.",
)


@cli.command()
@analysis_options
@graph_option
@format_option("table", "json", "csv")
@click.pass_context
def blocs(
    ctx: click.Context, event: str | None, since: str | None, until: str | None, min_confidence: float | None,
    source_kind: str | None, graph_file: Path | None, fmt: str,
) -> None:
    """Alignment blocs: who sided with whom.

    Reactions are signed by their stance's polarity (SUPPORT +, DISAPPROVE/THREATEN/REJECT -,
    CONCERN/APPEAL/MEDIATE neutral). Method: correlation clustering of the signed actor graph
    (Bansal, Blum & Chawla 2004): blocs minimise frustration, the hostile ties inside blocs
    plus friendly ties between them (structural balance). Actors that only took neutral
    stances are listed as even-handed when they addressed two or more blocs.

    \b
    Examples:
      diplo blocs
      diplo blocs --event "Tavush clashes" --format json
      diplo blocs --graph blocs.gexf
      diplo --store ~/crises blocs --min-confidence 0.7
      diplo --store ~/crises blocs --source-kind extracted
    """
    from graph.analysis import bloc_graph, find_blocs, write_projection
    from graph.output import write_rows

    found = scoped(ctx, event, since, until, min_confidence, source_kind)
    result = find_blocs(found)
    if graph_file is not None:
        write_projection(bloc_graph(found, result), graph_file)
    rows = [
        {"bloc": f"bloc {i}", "members": b.members, "friendly_ties": b.friendly_ties, "hostile_ties_out": b.hostile_ties_out}
        for i, b in enumerate(result.blocs, 1)
    ]
    rows += [{"bloc": name, "members": members} for name, members in (("even-handed", result.even_handed), ("unaligned", result.unaligned)) if members]
    if fmt == "json":
        payload = {"method": result.method, "frustration": result.frustration, "blocs": rows}
        click.echo(json_text(payload))
        return
    title = f"{len(result.blocs)} bloc(s), frustration {result.frustration} (0 = perfectly balanced)"
    write_rows(rows, fmt, ("bloc", "members", "friendly_ties", "hostile_ties_out"), title=title)


@cli.command()
@analysis_options
@graph_option
@format_option("table", "json", "csv")
@click.pass_context
def mediators(
    ctx: click.Context, event: str | None, since: str | None, until: str | None, min_confidence: float | None,
    source_kind: str | None, graph_file: Path | None, fmt: str,
) -> None:
    """Actors that appealed to both sides or offered mediation, ranked.

    Measure: even-handed appeals, the reactions that appeal to or offer mediation to both
    sides of a hostile pair (actors whose net tie is hostile), minus the reactions that take
    a side (a signed stance toward either party). Ties: more mediation offers first.

    \b
    Examples:
      diplo mediators
      diplo mediators --event "Tavush clashes" --format csv
    """
    from graph.analysis import bloc_graph, rank_mediators, records, write_projection
    from graph.output import write_rows

    found = scoped(ctx, event, since, until, min_confidence, source_kind)
    ranked = rank_mediators(found)
    if graph_file is not None:
        g = bloc_graph(found)
        for m in ranked:
            g.nodes[m.actor]["mediator_score"] = m.score
        write_projection(g, graph_file)
    write_rows(records(ranked), fmt, ("actor", "score", "bridging", "mediation_offers", "partial", "pairs"))


@cli.command()
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@analysis_options
@format_option("table", "json", "csv")
@click.pass_context
def compare(
    ctx: click.Context, first: str, second: str, event: str | None, since: str | None, until: str | None,
    min_confidence: float | None, source_kind: str | None, fmt: str,
) -> None:
    """Where two actors agreed or differed, per event and stance class.

    "agreed": both took that stance class in the event; "differed": one took a stance whose
    polarity toward a target is the opposite of the other's toward the same target;
    "only A": one actor alone.

    \b
    Examples:
      diplo compare Russia Turkey
      diplo compare NATO "European Union" --format json
    """
    from graph.analysis import compare as compare_positions
    from graph.analysis import records
    from graph.lookup import actor_positions, of_kind
    from graph.output import write_rows

    filters = date_filters(None, since, until, min_confidence)
    store = open_store(ctx)
    a, found_a = actor_positions(store, first, event=event, **filters)
    b, found_b = actor_positions(store, second, event=event, **filters)
    rows = records(compare_positions(of_kind(found_a, source_kind), of_kind(found_b, source_kind), (a.label, b.label)))
    for row in rows:
        row[a.label] = row.pop("first")
        row[b.label] = row.pop("second")
    write_rows(rows, fmt, ("event", "stance_class", "verdict", a.label, b.label), title=f"{a.label} and {b.label}")


@cli.command()
@click.argument("name")
@analysis_options
@format_option("table", "json", "csv")
@click.pass_context
def timeline(
    ctx: click.Context, name: str, event: str | None, since: str | None, until: str | None, min_confidence: float | None,
    source_kind: str | None, fmt: str,
) -> None:
    """An actor's stances over time, oldest first (`diplo view --actor` draws them as a chart).

    \b
    Examples:
      diplo timeline Azerbaijan
      diplo timeline Russia --format csv
    """
    from graph.analysis import timeline as in_order
    from graph.lookup import actor_page, actor_positions, of_kind
    from graph.output import write_rows

    store = open_store(ctx)
    subject, found = actor_positions(store, name, event=event, **date_filters(None, since, until, min_confidence))
    ordered = in_order(of_kind(found, source_kind))
    note_none(ctx, len(ordered), "position", subject.label, lambda: actor_page(store, name, limit=1)[1].total)
    if fmt != "table":
        write_rows([p.record() for p in ordered], fmt)
        return
    rows = [position_row(p) for p in ordered]
    write_rows(rows, fmt, ("when", "stance", "toward", "speaker", "event"), title=f"{subject.label}: {len(rows)} position(s), oldest first")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@format_option("text", "json", "turtle", default="text")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Check the graph against the SHACL shapes in ontology/shapes.ttl.

    FILES are loaded on top of the bundled graph (and --data) before checking, so a new
    file may refer to the bundled actors. A big store is read a batch at a time and stops at the
    time limit (--time-limit), saying how much it checked. Exit status: 0 conforms, 1 violations,
    2 error or stopped before the end.

    \b
    Examples:
      diplo validate
      diplo validate my-reactions.ttl --format json
      diplo --store ~/crises --time-limit 3600 validate
    """
    import time

    from graph.validate import validate as run_validation

    store = open_store(ctx)
    with _progress("validating triples") as tick:
        report = run_validation(store, files, deadline=time.monotonic() + store.limits.seconds, progress=tick)
    if fmt == "turtle":
        click.echo(for_terminal(report.results_graph.serialize(format="turtle")) if report.results_graph is not None else "")
    elif fmt == "json":
        payload = {"conforms": report.conforms, "violations": [v.__dict__ for v in report.violations]}
        click.echo(json_text(payload))
    else:
        for v in report.violations:
            where = f" {v.path}" if v.path else ""
            click.echo(safe(f"{v.severity}: {v.focus}{where}: {v.message}", newlines=False))
        click.echo("conforms" if report.conforms else f"{len(report.violations)} violation(s)")
    if not report.complete:
        click.echo(
            f"Error: validation stopped at the {store.limits.seconds:g} s time limit, having checked {report.checked:,} "
            f"of {report.total:,} triples (the violations above are those found so far): raise the limit with "
            "--time-limit SECONDS (or DIPLO_TIME_LIMIT)",
            err=True,
        )
        ctx.exit(2)
    ctx.exit(0 if report.conforms else 1)


@cli.command()
@click.option("--repair", is_flag=True, help="Mend what can be mended safely (otherwise nothing is written).")
@click.option("--no-shapes", is_flag=True, help="Skip the SHACL validation (it stops at the --time-limit on big stores).")
@format_option("table", "json")
@click.pass_context
def doctor(ctx: click.Context, repair: bool, no_shapes: bool, fmt: str) -> None:
    """Check a store on disk: interrupted writes, graphs holding reactions without a source
    record, reactions whose actor has no name, SHACL violations; say what mends each, or with
    --repair mend it. Exit status: 0 all well (or all mended), 1 something left to mend.

    \b
    Examples:
      export DIPLO_STORE=~/crises
      diplo doctor
      diplo doctor --repair --format json
    """
    from graph.doctor import examine
    from graph.output import write_rows

    where = ctx.obj.get("store_path")
    if not where or "://" in str(where):
        raise BadInput("doctor checks a store on disk: pass --store DIR (or set DIPLO_STORE)")
    from graph.limits import Limits

    findings = examine(Path(where), repair=repair, shapes=not no_shapes, limits=Limits.from_environment(*ctx.obj["limits"]))
    if fmt == "json":
        import json

        click.echo(json.dumps([f.__dict__ | {"ok": f.ok} for f in findings], ensure_ascii=False, indent=2))
    else:
        rows = [{"check": f.check, "found": f.count, "state": "ok" if f.count == 0 else ("repaired" if f.repaired else "to mend"),
                 "mend": "" if f.count == 0 else f.mend, "examples": "; ".join(f.examples)} for f in findings]
        write_rows(rows, "table", ("check", "found", "state", "mend", "examples"))
    ctx.exit(0 if all(f.ok for f in findings) else 1)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "trig", "nt", "nq", "jsonld", "graphml", "gexf", "csv"]), default="trig", show_default=True, help="Output format.")
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output.")
@click.option("--with-ontology", is_flag=True, help="Include the ontology's triples (RDF formats).")
@click.pass_context
def export(ctx: click.Context, fmt: str, path: Path | None, with_ontology: bool) -> None:
    """Write the graph out as RDF, as GraphML/GEXF for Gephi, or as a CSV of reactions.

    \b
    Examples:
      diplo export --format ttl -o graph.ttl
      diplo export --format graphml -o reactions.graphml
      diplo export --format csv > reactions.csv
    """
    from graph.export import export as write_export
    from graph.files import atomic_output

    store = open_store(ctx)
    if path is None:
        from graph.export import export_to_stdout

        export_to_stdout(store, fmt, with_ontology)
        return
    with atomic_output(path) as out:
        write_export(store, fmt, out, with_ontology)
