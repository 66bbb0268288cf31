"""Coverage-guided fuzzing of the curation readers with atheris (libFuzzer), for a bounded time.

``make fuzz-atheris`` runs one process per reader::

    python -m ibmkg.curation.atheris_main yaml --seeds tests/data/curation \\
        --work build/atheris -- -max_total_time=60 -timeout=2

Every input must end in success or an :class:`ibmkg.errors.IbmkgError`; any other exception
is a crash, and an input slower than ``-timeout`` seconds is a timeout: libFuzzer stops, saves
the input under ``--work`` and exits non-zero. atheris is the optional ``[fuzz]`` extra
(``pip install -e '.[fuzz]'``); without it this module says so and exits 3.

>>> sorted(KINDS)
['csv', 'ctgov', 'pubmed', 'tsv', 'xlsx', 'yaml']
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Final

#: Reader name -> the seed files' suffix (an XLSX seed is made from the TSV seeds).
KINDS: Final = {"yaml": ".yaml", "csv": ".csv", "tsv": ".tsv", "xlsx": ".tsv",
                "pubmed": ".xml", "ctgov": ".json"}


def seed_bytes(kind: str, seeds: Path) -> list[bytes]:
    """The seed inputs of one reader, as the bytes it reads.

    :param kind: a key of :data:`KINDS`.
    :param seeds: a directory of seed files.
    :returns: the inputs.

    >>> from ibmkg.paths import find_root
    >>> import pathlib
    >>> len(seed_bytes("xlsx", find_root(pathlib.Path(".")) / "tests" / "data" / "curation")) >= 1
    True
    """
    files = sorted(seeds.glob("*" + KINDS[kind]))
    if kind != "xlsx":
        return [f.read_bytes() for f in files]
    import openpyxl

    out = []
    for path in files:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for line in path.read_text(encoding="utf-8").splitlines():
            sheet.append(line.split("\t"))
        raw = io.BytesIO()
        book.save(raw)
        out.append(raw.getvalue())
    return out


def _reader(kind: str) -> Callable[[bytes], None]:
    from ibmkg.curation.fuzzing import curation_readers, xlsx_text
    from ibmkg.curation.vocab import Vocabulary
    from ibmkg.errors import IbmkgError
    from ibmkg.paths import default_layout

    read = curation_readers(Vocabulary.from_layout(default_layout()))[f"curation-{kind}"]

    def one_input(data: bytes) -> None:
        text = xlsx_text(data) if kind == "xlsx" else data.decode("utf-8", "surrogateescape")
        with contextlib.suppress(IbmkgError):  # a clean refusal; anything else is a crash
            read(text)

    return one_input


def main(argv: list[str] | None = None) -> int:
    """Fuzz one reader until libFuzzer's limits stop it.

    :param argv: ``KIND --seeds DIR --work DIR [-- libFuzzer flags]``.
    :returns: 3 when atheris is missing (otherwise libFuzzer exits the process itself).
    """
    args = sys.argv[1:] if argv is None else argv
    ours, _, flags = (args[:args.index("--")], None, args[args.index("--") + 1:]) \
        if "--" in args else (args, None, [])
    parser = argparse.ArgumentParser(prog="python -m ibmkg.curation.atheris_main",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(KINDS))
    parser.add_argument("--seeds", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    options = parser.parse_args(ours)
    try:
        import atheris
    except ImportError as err:
        sys.stderr.write(f"error: atheris is not installed ({err}); pip install -e '.[fuzz]'\n")
        return 3
    corpus = options.work / options.kind / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for i, data in enumerate(seed_bytes(options.kind, options.seeds)):
        (corpus / f"seed-{i}").write_bytes(data)
    one_input = _reader(options.kind)
    atheris.instrument_all()
    artifacts = f"-artifact_prefix={options.work / options.kind}/"
    atheris.Setup([sys.argv[0], artifacts, *flags, str(corpus)], one_input)
    atheris.Fuzz()
    return 0  # not reached: libFuzzer exits the process


if __name__ == "__main__":
    sys.exit(main())
