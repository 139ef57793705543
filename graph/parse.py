"""Dependency parses of sentences, from the parser diplograph ships (``graph/data/parser``).

The pipeline is a small spaCy model (tagger, morphologizer, lemmatizer, parser) trained by
``scripts/train_parser.py`` on UD English EWT (CC BY-SA 4.0; ``graph/data/parser/ATTRIBUTION.md``
has the licence and the measured accuracy). It is loaded once per process, on first use, so importing
this module costs nothing and no command that does not parse pays for spaCy. Only the components
whose output the tree patterns read are loaded (:data:`SKIPPED`).

The caller splits sentences (the extractor has its own splitter); the parser is told not to split
them again, so each given sentence comes back as one :class:`spacy.tokens.Doc` whose character
offsets count from the sentence's start. Parsing is the expensive step, so :func:`parse_where`
parses only the sentences a cheap test lets through (those with a cue or an actor, say).

Speed: the pipeline's dense matrix products (tok2vec and the parser's precomputed layer, about a
third of the time) run on numpy's OpenBLAS instead of thinc's bundled BLIS, which is 1.4-1.7x faster
on these shapes here; OpenBLAS is held to one thread while parsing (a pool of threads on a busy
machine made it 4x slower, and ``--jobs`` gives each worker its own core). Where numpy's OpenBLAS
can't be found the pipeline keeps thinc's own products. ``scripts/bench_parse.py`` measures it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from graph.resources import shipped

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class ParserMissing(RuntimeError):
    """The shipped parser is not where the package keeps it (a broken install or checkout)."""


def model_path() -> Path:
    """The folder of the shipped parser inside the installed package."""
    return Path(str(shipped("data", "parser")))


#: Components of the shipped model left out when loading: graph.syntax reads only heads, relations
#: (the parser), universal POS and lower-cased forms (the morphologizer), never the Penn tag or the
#: lemma. Each component reads the shared tok2vec, not another's output, so leaving these out
#: changes no parse (tests/test_parse.py checks both); it saves about 7% of the parsing time.
SKIPPED = ("tagger", "trainable_lemmatizer")


@cache
def pipeline() -> Language:
    """The shipped spaCy pipeline without :data:`SKIPPED`, loaded on the first call and shared by
    every later one."""
    import spacy

    path = model_path()
    if not (path / "config.cfg").is_file():
        raise ParserMissing(f"no trained parser in {path}: run scripts/train_parser.py or reinstall diplograph")
    nlp = spacy.load(path, exclude=list(SKIPPED))
    if _openblas() is not None:
        ops = _openblas_ops()
        for _, component in nlp.pipeline:
            model = getattr(component, "model", None)
            for node in model.walk() if model is not None else ():
                node.ops = ops
    return nlp


@cache
def _openblas() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """Getter and setter of the thread count of the OpenBLAS that numpy loaded, or None (another
    BLAS, or no /proc to find it in)."""
    import ctypes

    import numpy  # noqa: F401 - loads its BLAS

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.rsplit("/", 1)[-1].lower()})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    return get, put
    return None


def _openblas_ops():  # noqa: ANN202 - thinc is imported only here
    """thinc's numpy ops with matrix products by numpy (OpenBLAS) instead of BLIS."""
    import numpy
    from thinc.api import NumpyOps

    class OpenBlasOps(NumpyOps):
        def gemm(self, x, y, out=None, trans1=False, trans2=False):  # noqa: ANN001, ANN202 - thinc's signature
            return numpy.matmul(x.T if trans1 else x, y.T if trans2 else y, out=out)

    return OpenBlasOps()


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    blas = _openblas()
    if blas is None:
        yield
        return
    get, put = blas
    before = get()
    put(1)
    try:
        yield
    finally:
        put(before)


def _one_sentence(doc: Doc) -> Doc:
    # Preset boundaries bind the parser: the caller's sentence stays one sentence. One array write
    # marks every token (-1: not a start; 1: the first); a loop over tokens in Python cost ~8x more.
    if len(doc):
        import numpy
        from spacy.attrs import SENT_START

        starts = numpy.full((len(doc), 1), -1, dtype="int64")
        starts[0, 0] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


#: Sentences per batch through the pipeline. Measured on cue sentences of news (~33 tokens each):
#: 64 and 128 parse fastest; the parser's buffers grow with the tokens of a batch, so 1,000 was
#: slower and its peak memory several hundred MB higher (scripts/bench_parse.py).
BATCH_SIZE = 64


def parse(sentences: Iterable[str], *, batch_size: int = BATCH_SIZE) -> list[Doc]:
    """Parse each sentence as one sentence; one Doc per input, in order.

    Each Doc has tokens with ``pos_`` (universal POS), ``morph``, ``dep_`` (UD relation) and
    ``head`` (no ``tag_`` or ``lemma_``: see :data:`SKIPPED`); offsets (``token.idx``) count from
    the start of its sentence.
    """
    nlp = pipeline()
    with _one_blas_thread():
        return list(nlp.pipe((_one_sentence(nlp.make_doc(s)) for s in sentences), batch_size=batch_size))


def parse_where(
    sentences: Sequence[str], holds: Callable[[str], bool], *, batch_size: int = BATCH_SIZE
) -> list[Doc | None]:
    """Parse only the sentences for which ``holds(sentence)`` is true.

    Returns one entry per input, in order: its Doc, or None where the sentence was skipped. When
    nothing is chosen the pipeline is not touched (nor loaded).
    """
    chosen = [i for i, s in enumerate(sentences) if holds(s)]
    out: list[Doc | None] = [None] * len(sentences)
    if not chosen:
        return out
    for i, doc in zip(chosen, parse((sentences[i] for i in chosen), batch_size=batch_size)):
        out[i] = doc
    return out
