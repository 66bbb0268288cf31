"""The curation readers as fuzz targets of :mod:`ibmkg.io.fuzz` (and of atheris).

Each reader takes text (the harness mutates text) and runs the path ``ibmkg add`` and
``ibmkg import`` take: YAML through strictyaml, the schema and the ontology's values; TSV and
CSV through the header check and every row's form; XLSX bytes through openpyxl; a PubMed
efetch XML record and a ClinicalTrials.gov JSON record into a drafted form. Every input must
end in success or an :class:`ibmkg.errors.IbmkgError`.

>>> from ibmkg.io.fuzz import fuzz
>>> from ibmkg.paths import default_layout
>>> [t.name for t in curation_targets({"yaml": ["slug: a-1\\n"], "csv": ["slug,label\\n"],
...     "tsv": ["slug\\tlabel\\n"], "xlsx": [], "pubmed": ["<x/>"], "ctgov": ["{}"]},
...     vocab=Vocabulary.from_layout(default_layout()))]
['curation-yaml', 'curation-csv', 'curation-tsv', 'curation-pubmed', 'curation-ctgov']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ibmkg.curation.records import ctgov_form, pubmed_form
from ibmkg.curation.tables import check_header, parse_delimited, parse_xlsx, row_form
from ibmkg.curation.vocab import Vocabulary
from ibmkg.curation.yamlio import check_form, dump_form, read_form_text
from ibmkg.io.fuzz import Target, register

__all__ = ["curation_readers", "curation_targets", "xlsx_text"]


def xlsx_text(raw: bytes) -> str:
    """An XLSX workbook as text the harness can mutate (one character per byte).

    :param raw: the workbook's bytes.
    :returns: the same bytes as Latin-1 text.

    >>> xlsx_text(b"PK\\x03\\x04")
    'PK\\x03\\x04'
    """
    return raw.decode("latin-1")


def curation_readers(vocab: Vocabulary) -> dict[str, Callable[[str], object]]:
    """The readers by target name, each taking the (mutated) text.

    :param vocab: the ontology's values (the YAML and table forms are resolved against them).
    :returns: name -> reader.

    >>> from ibmkg.paths import default_layout
    >>> read = curation_readers(Vocabulary.from_layout(default_layout()))["curation-yaml"]
    >>> read("slug: roe-2031\\nlabel: Roe et al. 2031\\npublication:\\n  title: T\\n").slug
    'roe-2031'
    """
    def read_yaml(text: str) -> object:
        return read_form_text(text, display="fuzz.yaml", vocab=vocab)

    def table(delimiter: str, display: str) -> Callable[[str], object]:
        def read(text: str) -> object:
            raw = text.encode("utf-8", "surrogatepass")
            rows = parse_delimited(raw, delimiter=delimiter, display=display)
            forms = []
            if rows:
                fields = check_header([str(c) for c in rows[0]], display)
                for row in rows[1:]:
                    data, _, _ = row_form(fields, row)
                    forms.append(check_form(data, {}, display=display))
            return forms
        return read

    def read_xlsx(text: str) -> object:
        return parse_xlsx(text.encode("latin-1", "replace"), display="fuzz.xlsx")

    def read_pubmed(text: str) -> object:
        return dump_form(pubmed_form(text.encode("utf-8", "surrogatepass"),
                                     display="fuzz.xml"))

    def read_ctgov(text: str) -> object:
        return dump_form(ctgov_form(text.encode("utf-8", "surrogatepass"), display="fuzz.json",
                                    vocab=vocab))

    return {"curation-yaml": read_yaml, "curation-csv": table(",", "fuzz.csv"),
            "curation-tsv": table("\t", "fuzz.tsv"), "curation-xlsx": read_xlsx,
            "curation-pubmed": read_pubmed, "curation-ctgov": read_ctgov}


def curation_targets(seed_texts: Mapping[str, Sequence[str]], *, vocab: Vocabulary,
                     ) -> list[Target]:
    """Register the curation readers with :func:`ibmkg.io.fuzz.register`.

    :param seed_texts: documents by kind: ``yaml``, ``csv``, ``tsv``, ``xlsx`` (as
        :func:`xlsx_text`), ``pubmed`` and ``ctgov``; a kind without seeds is not registered.
    :param vocab: the ontology's values.
    :returns: the registered targets.
    """
    readers = curation_readers(vocab)
    return [register(f"curation-{kind}", readers[f"curation-{kind}"], seeds=seed_texts[kind])
            for kind in ("yaml", "csv", "tsv", "xlsx", "pubmed", "ctgov")
            if seed_texts.get(kind)]
