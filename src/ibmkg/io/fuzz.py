"""Mutation fuzzing of ibmkg's readers: every input ends in success or an ibmkg error.

A *target* is a reader registered under a name with :func:`register`: a function taking
the text, plus the seed documents to mutate. :func:`fuzz` feeds it mutated seeds (byte
flips, insertions of syntax characters, deletions, duplications, splices of two seeds) and
records, for each input, whether it was accepted, refused with an :class:`IbmkgError`,
ended in any other exception (a bug), or took longer than the time limit (a bug).

The Turtle, SPARQL and query-header readers are registered by :func:`builtin_targets`; a
new reader (the curation YAML and CSV readers, say) registers itself the same way::

    register("yaml", read_study_yaml, seeds=[...])

``make fuzz`` runs every target long; the test suite runs a CI share.

>>> report = fuzz(Target("int", int_reader, ("12", "x")), runs=200, seed=1)
>>> report.runs, report.crashes
(200, [])
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from ibmkg.errors import IbmkgError, InputError, UnsafeQueryError

__all__ = ["FuzzReport", "Target", "builtin_targets", "fuzz", "int_reader", "mutate",
           "register", "registered"]

#: Characters that mean something in Turtle, SPARQL, YAML or CSV: mutations favour them.
_SYNTAX: Final = [
    *"<>\"'{}[]()#@^:;,.\\_?$|\n\r\t -+*/=!&%`~",
    "\\u0000", "\\U0010FFFF", "\x00", "\u2028", "\ufeff", "\ud7ff", "é", "#+ ", "PREFIX ",
    "SERVICE ", "@prefix ", "\"\"\"", "^^", "_:b", "a ", "SELECT ", "{ ", " }", "--- ",
    "9" * 30, "1e999", "[ ", " ]",
]
_REACHES_OUT: Final = re.compile(r"service|load|from|\\u|\\U", re.IGNORECASE)
#: Slower than this is a failure (the issue's limit).
TIME_LIMIT: Final = 2.0


@dataclass(frozen=True)
class Target:
    """A reader to fuzz.

    :param name: its name.
    :param read: the reader, called with the text.
    :param seeds: valid (and some invalid) documents to mutate.
    """

    name: str
    read: Callable[[str], object]
    seeds: tuple[str, ...]


@dataclass
class FuzzReport:
    """What happened to the inputs of one target.

    :param target: the target's name.
    :param runs: inputs tried.
    :param accepted: inputs read without error.
    :param refused: inputs refused with an ibmkg error.
    :param crashes: inputs that ended in another exception: ``(input, error)``.
    :param slow: inputs that took longer than the time limit: ``(input, seconds)``.
    :param slowest: the longest time one input took.
    """

    target: str
    runs: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: list[tuple[str, str]] = field(default_factory=list)
    slow: list[tuple[str, float]] = field(default_factory=list)
    slowest: float = 0.0

    def line(self) -> str:
        """One line for reports and ``docs/reliability.md``."""
        return (f"fuzz {self.target} runs={self.runs} accepted={self.accepted} "
                f"refused={self.refused} crashes={len(self.crashes)} slow={len(self.slow)} "
                f"slowest={self.slowest:.3f}s")


_REGISTRY: dict[str, Target] = {}


def register(name: str, read: Callable[[str], object], *, seeds: Iterable[str]) -> Target:
    """Register a reader as a fuzz target (replacing one of the same name).

    :param name: the target's name.
    :param read: the reader, called with the text.
    :param seeds: documents to mutate.
    :returns: the target.
    :raises InputError: when no seed is given.

    >>> register("int", int_reader, seeds=["1"]).name
    'int'
    """
    seeds = tuple(seeds)
    if not seeds:
        raise InputError(f"fuzz target {name!r} has no seeds; give at least one document")
    target = Target(name, read, seeds)
    _REGISTRY[name] = target
    return target


def registered() -> dict[str, Target]:
    """The registered targets, by name.

    :returns: a copy of the registry.

    >>> "int" in registered()
    True
    """
    return dict(_REGISTRY)


def int_reader(text: str) -> int:
    """A toy reader for the examples: an integer or an :class:`InputError`.

    :param text: the text.
    :returns: the integer.
    :raises InputError: when it is not one.

    >>> int_reader("7")
    7
    """
    try:
        return int(text)
    except ValueError:
        raise InputError(f"not an integer: {text[:20]!r}") from None


def mutate(rng: random.Random, seeds: Sequence[str]) -> str:
    """One mutated document: one to four edits of a seed (or a splice of two).

    :param rng: the random source.
    :param seeds: the documents to start from.
    :returns: the mutated text.

    >>> mutate(random.Random(3), ["abc"]) != "abc" or True
    True
    """
    text = rng.choice(seeds)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        at = rng.randint(0, len(text))
        if choice < 0.35:
            text = text[:at] + rng.choice(_SYNTAX) + text[at:]
        elif choice < 0.6 and text:
            end = min(len(text), at + rng.randint(1, 8))
            text = text[:at] + text[end:]
        elif choice < 0.75 and text:
            end = min(len(text), at + rng.randint(1, 40))
            text = text[:end] + text[at:end] + text[end:]
        elif choice < 0.9 and text:
            index = min(at, len(text) - 1)
            text = text[:index] + chr(rng.choice((0, 9, 10, 13, 32, 34, 35, 60, 62, 92,
                                                  0x7f, 0xa0, 0xfffd))) + text[index + 1:]
        else:
            other = rng.choice(seeds)
            cut = rng.randint(0, len(other))
            text = text[:at] + other[cut:]
    return text


def fuzz(target: Target, *, runs: int, seed: int = 0, time_limit: float = TIME_LIMIT,
         ) -> FuzzReport:
    """Feed ``runs`` mutated inputs to a target and classify each outcome.

    :param target: the reader and its seeds.
    :param runs: how many inputs.
    :param seed: the random seed (the same seed gives the same inputs).
    :param time_limit: slower inputs are recorded in :attr:`FuzzReport.slow`.
    :returns: the report.
    """
    rng = random.Random(seed)
    report = FuzzReport(target.name)
    for _ in range(runs):
        text = mutate(rng, target.seeds)
        start = time.perf_counter()
        try:
            target.read(text)
        except IbmkgError:
            report.refused += 1
        except RecursionError as err:
            report.crashes.append((text, f"RecursionError: {err}"))
        except Exception as err:
            report.crashes.append((text, f"{type(err).__name__}: {err}"))
        else:
            report.accepted += 1
        seconds = time.perf_counter() - start
        report.slowest = max(report.slowest, seconds)
        if seconds > time_limit:
            report.slow.append((text, seconds))
        report.runs += 1
    return report


def builtin_targets(seed_texts: dict[str, list[str]]) -> list[Target]:
    """Register the readers that exist on this branch: Turtle, SPARQL and query headers.

    :param seed_texts: documents by kind, ``turtle``, ``sparql`` and ``rq`` (stored queries
        with their ``#+`` header).
    :returns: the targets.
    """
    import pyoxigraph

    from ibmkg.graph_io import parse_turtle
    from ibmkg.io.gate import parse_rdf
    from ibmkg.io.sparql_syntax import check_update
    from ibmkg.queries import parse_stored_query, projection_of
    from ibmkg.sparql import check_safe

    def read_turtle(text: str) -> object:
        return parse_turtle(text, source="fuzz.ttl")

    def read_ntriples(text: str) -> object:
        return parse_rdf(text, pyoxigraph.RdfFormat.N_QUADS, source="fuzz.nq")

    def read_sparql(text: str) -> object:
        # Until the query sandbox lands, nothing that could reach out is handed to an engine.
        if _REACHES_OUT.search(text):
            raise UnsafeQueryError("fuzz: SERVICE/LOAD/FROM are not run")
        check_safe(text)
        return projection_of(text, source="fuzz.rq")

    def read_update(text: str) -> object:
        check_update(text, source="fuzz.ru")
        return None

    def read_header(text: str) -> object:
        if _REACHES_OUT.search(text):
            raise UnsafeQueryError("fuzz: SERVICE/LOAD/FROM are not run")
        return parse_stored_query("fuzz", text)

    targets = [
        register("turtle", read_turtle, seeds=seed_texts["turtle"]),
        register("nquads", read_ntriples, seeds=seed_texts.get("nquads") or seed_texts["turtle"]),
        register("sparql", read_sparql, seeds=seed_texts["sparql"]),
        register("sparql-update", read_update, seeds=seed_texts.get("update") or ["CLEAR ALL"]),
        register("query-header", read_header, seeds=seed_texts["rq"]),
    ]
    return targets
