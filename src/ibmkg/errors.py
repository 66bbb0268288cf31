"""The exceptions ibmkg raises, each saying what was found, where, and how to fix it.

Every error is an :class:`IbmkgError`. Errors caused by the input also subclass
:class:`ValueError` (bad files, bad queries, bad parameters) and errors of the network or
the disk subclass :class:`OSError`, so callers may catch the built-in kinds too. SHACL
violations are *results*, not exceptions: see :mod:`ibmkg.validation`.

The CLI maps them to exit codes: :class:`InconsistentGraphError` gives 1 (the data is
wrong), :class:`InputError` and its kin give 2, anything else 3.

>>> err = RdfSyntaxError("kg/review.ttl", 3, 9, "'^^' is not a valid subject")
>>> str(err)
"kg/review.ttl:3:9: '^^' is not a valid subject; fix the Turtle at that position"
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path


class IbmkgError(Exception):
    """Base class of every error raised by ibmkg."""


class InputError(IbmkgError, ValueError):
    """The user gave something ibmkg cannot use (a file, an option, a value)."""


class RdfSyntaxError(InputError):
    """An RDF file does not parse.

    :param path: the file.
    :param line: 1-based line of the error (0 when unknown).
    :param column: 1-based column of the error (0 when unknown).
    :param problem: what the parser found.
    :param hint: how to fix it.
    :param found: the offending text at that position (shown when given).
    """

    def __init__(
        self,
        path: str | Path,
        line: int,
        column: int,
        problem: str,
        hint: str = "fix the Turtle at that position",
        *,
        found: str = "",
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.problem = problem
        self.hint = hint
        self.found = found
        at = f" at {found!r}" if found else ""
        super().__init__(f"{self.path}:{line}:{column}: {problem}{at}; {hint}")


class CurieError(InputError):
    """A compact IRI uses an unknown prefix or is malformed."""


class QueryNotFoundError(InputError):
    """No stored query has the requested name.

    :param name: the name asked for.
    :param known: the names in the catalogue.
    """

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = sorted(known)
        self.close_matches = difflib.get_close_matches(name, self.known, n=3, cutoff=0.5)
        if self.close_matches:
            hint = "did you mean " + ", ".join(self.close_matches) + "?"
        else:
            hint = "run `ibmkg queries` to list the stored queries"
        super().__init__(f"no stored query named {name!r}; {hint}")


class QueryHeaderError(InputError):
    """A stored query's ``#+`` header is malformed.

    :param path: the ``.rq`` file.
    :param line: 1-based line of the problem.
    :param problem: what is wrong and how to fix it.
    """

    def __init__(self, path: str | Path, line: int, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}:{line}: {problem}")


class QuerySyntaxError(InputError):
    """A SPARQL query does not parse.

    :param source: the file name or ``<query>``.
    :param line: 1-based line (0 when unknown).
    :param column: 1-based column (0 when unknown).
    :param problem: the parser's message.
    """

    def __init__(self, source: str | Path, line: int, column: int, problem: str) -> None:
        self.source = str(source)
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"{self.source}:{line}:{column}: {problem}; fix the SPARQL there")


class QueryParameterError(InputError):
    """A query parameter is missing, unknown or of the wrong type.

    :param name: the parameter.
    :param problem: what is wrong, including what the parameter expects.
    """

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"parameter {name!r}: {problem}")


class UnsafeQueryError(InputError):
    """A query asks for something ibmkg refuses to run locally (``SERVICE``, ``LOAD``)."""


class EndpointError(IbmkgError, OSError):
    """A remote SPARQL endpoint failed, timed out or returned an incomplete answer."""


class ReasoningError(IbmkgError):
    """The reasoner could not run (missing Java, missing module, crash)."""


class InconsistentGraphError(ReasoningError, ValueError):
    """The reasoner found the ontology and data logically inconsistent.

    :param message: what contradicts what, and where.
    :param individuals: the IRIs of the individuals involved.
    :param axioms: the axioms they violate, in compact notation.
    """

    def __init__(self, message: str, *, individuals: Iterable[str] = (),
                 axioms: Iterable[str] = ()) -> None:
        self.individuals = list(individuals)
        self.axioms = list(axioms)
        super().__init__(message)


class ValidationFailed(IbmkgError):
    """Raised only by callers that asked to stop on non-conforming data (``build``).

    The validation itself returns a report; see :func:`ibmkg.validation.validate`.

    :param violations: how many results have severity Violation.
    """

    def __init__(self, violations: int) -> None:
        self.violations = violations
        super().__init__(
            f"the data does not conform: {violations} violation(s); "
            "run `ibmkg validate` to see them with file and line"
        )


class ShapesError(InputError):
    """A shapes graph is itself broken (an unknown SHACL term, a bad path, an undeclared
    prefix in a SPARQL constraint); raised before any data is validated.

    >>> str(ShapesError("shapes/study.ttl:4: shape shape:S: sh:minCont is not a SHACL term"))
    'shapes/study.ttl:4: shape shape:S: sh:minCont is not a SHACL term'
    """


class UnsafePathError(InputError):
    """A project file is a symbolic link out of the project, or not a regular file.

    :param display: the file as shown to users.
    :param problem: what it is instead.
    """

    def __init__(self, display: str, problem: str) -> None:
        self.display = display
        super().__init__(f"{display}: {problem}; ibmkg reads only regular files inside the "
                         "project: copy the file into the project instead of linking it")


class QueryTimeoutError(InputError):
    """A query ran longer than its wall-clock limit and its worker was stopped.

    :param seconds: the limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped; simplify "
                         "it (a missing join makes a cross product) or raise --timeout")


class QueryWorkerError(IbmkgError):
    """The worker process running a query died (out of memory, killed from outside)."""


class EndpointHTTPError(EndpointError):
    """A remote endpoint answered with an HTTP error status.

    :param message: the one-line message (URL, status, the server's first words, a hint).
    :param status: the HTTP status.
    :param detail: the server's first words, if any.
    :param retry_after: seconds the server asked to wait (``Retry-After``), if any.
    """

    def __init__(self, message: str, *, status: int, detail: str = "",
                 retry_after: float | None = None) -> None:
        self.status = status
        self.detail = detail
        self.retry_after = retry_after
        super().__init__(message)


class PublishError(EndpointError):
    """Publishing stopped before the live graph was touched, or verification failed after."""


class CredentialsError(InputError):
    """Credentials are missing, unsafe (a stock password) or would travel in clear text."""


class FormProblem:
    """One problem of a curation form, at its place.

    :param file: the file as shown to the user.
    :param line: 1-based line (0 when unknown).
    :param column: 1-based column (0 when unknown).
    :param field: the field's path (``findings.0.direction``), empty for the whole file.
    :param message: what was found, what is expected, and the fix.
    """

    def __init__(self, file: str, line: int, column: int, field: str, message: str) -> None:
        self.file, self.line, self.column, self.field, self.message = \
            file, line, column, field, message

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else \
            f"{where}: {self.message}"

    def __repr__(self) -> str:
        return f"FormProblem({str(self)!r})"


class CurationError(InputError):
    """A study form (YAML, a table row, a record) has problems; all of them are listed.

    :param problems: every problem found, each with file, line and column.

    >>> str(CurationError([FormProblem("a.yaml", 3, 5, "patients", "found 'x'")]))
    "a.yaml:3:5: patients: found 'x'"
    """

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DuplicateStudyError(InputError):
    """A study with the same slug, DOI or PMID is already in the graph."""


class ValidationEngineError(IbmkgError):
    """The SHACL engine itself failed on the data (not a result: a crash inside the engine).

    >>> str(ValidationEngineError("pySHACL failed: TypeError: x"))
    'pySHACL failed: TypeError: x'
    """
