"""Drafts of the study form from records curators already have (PubMed XML, CT.gov JSON).

What the record states is filled in; every field a curator must read from the paper is a
``TODO``. Nothing is fetched: the record is a file the curator saved. XML with an internal
DTD subset or entity declarations is refused before any parser sees it, and the parser
(defusedxml) refuses entities and external references as a second guard; PubMed's own
``<!DOCTYPE PubmedArticleSet PUBLIC ...>`` line declares nothing and is never fetched.

>>> xml = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
...        b"<ArticleTitle>T.</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
...        b"</PubmedArticleSet>")
>>> pubmed_form(xml, display="r.xml")["publication"]["pmid"]
'1'
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Final

from ibmkg.curation.model import Study
from ibmkg.curation.template import TODO
from ibmkg.curation.vocab import Vocabulary
from ibmkg.curation.yamlio import dump_form
from ibmkg.errors import InputError

MAX_BYTES: Final = 5_000_000
_READ: Final = f"{TODO}: read from the paper"
_DANGEROUS: Final = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[|<!ELEMENT|<!ATTLIST", re.I)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES} bytes; a record is small")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a record file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None


def _slug(family: str, year: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    word = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "study"
    return f"{word}-{year}" if year.isdigit() else word


# --- PubMed -------------------------------------------------------------------------------


def pubmed_form(data: bytes, *, display: str) -> dict[str, Any]:
    """Read the first article of a PubMed efetch XML record into form data.

    :param data: the XML bytes.
    :param display: the file name for messages.
    :returns: form data with TODOs.
    :raises InputError: when the XML declares a DTD subset or entities, does not parse, or
        holds no article.
    """
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    found = _DANGEROUS.search(data)
    if found:
        line = data[:found.start()].count(b"\n") + 1
        raise InputError(f"{display}:{line}: the XML declares a DTD subset or entities "
                         f"({found.group().decode(errors='replace')}...); refused before "
                         "parsing. Save the record again from PubMed (efetch, retmode=xml)")
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as err:
        raise InputError(f"{display}: refused unsafe XML ({type(err).__name__}); save the "
                         "record again from PubMed") from None
    except SafeET.ParseError as err:
        line, column = getattr(err, "position", (0, 0))
        raise InputError(f"{display}:{line}:{column + 1}: not well-formed XML ({err}); save "
                         "the record again from PubMed (efetch, retmode=xml)") from None
    except (LookupError, ValueError) as err:  # an unknown or a multi-byte encoding declared
        raise InputError(f"{display}:1: the XML declaration names an encoding the XML parser "
                         f"cannot read ({err}); PubMed records are UTF-8, save the record "
                         "again from PubMed (efetch, retmode=xml)") from None
    article = root if root.tag == "PubmedArticle" else root.find("PubmedArticle")
    citation = article.find("MedlineCitation") if article is not None else None
    if citation is None:
        raise InputError(f"{display}: no PubmedArticle/MedlineCitation element; expected a "
                         "PubMed efetch record (PubmedArticleSet)")

    def text(node: Any, path: str) -> str:
        found_node = node.find(path) if node is not None else None
        return "".join(found_node.itertext()).strip() if found_node is not None else ""

    art = citation.find("Article")
    pmid = text(citation, "PMID")
    title = text(art, "ArticleTitle").rstrip(".") or _READ
    issue = art.find("Journal/JournalIssue") if art is not None else None
    year = text(issue, "PubDate/Year") or text(issue, "PubDate/MedlineDate")[:4]
    doi = ""
    if art is not None:
        for loc in art.findall("ELocationID"):
            if loc.get("EIdType") == "doi":
                doi = (loc.text or "").strip()
    if article is not None and not doi:
        for aid in article.findall("PubmedData/ArticleIdList/ArticleId"):
            if aid.get("IdType") == "doi":
                doi = (aid.text or "").strip()
    authors = []
    complete = "Y"
    author_list = art.find("AuthorList") if art is not None else None
    if author_list is not None:
        complete = author_list.get("CompleteYN", "Y")
        for author in author_list.findall("Author"):
            family = text(author, "LastName") or text(author, "CollectiveName")
            initials = text(author, "Initials")
            if family:
                entry = {"printed": f"{family.upper()} {initials}".strip(), "family": family}
                if initials:
                    entry["initials"] = initials
                authors.append(entry)
    pages = text(art, "Pagination/MedlinePgn")
    publication: dict[str, Any] = {"title": title}
    for key, value in (("doi", doi), ("pmid", pmid),
                       ("journal", text(art, "Journal/ISOAbbreviation") or
                        text(art, "Journal/Title")),
                       ("year", year), ("volume", text(issue, "Volume")),
                       ("issue", text(issue, "Issue")), ("pages", pages)):
        if value:
            publication[key] = value
    if authors:
        publication["authors"] = authors
        publication["authors_truncated"] = complete == "N"
    types = [t for t in (x.text or "" for x in (art.findall("PublicationTypeList/"
                                                           "PublicationType")
                                                if art is not None else [])) if t]
    mesh = [text(h, "DescriptorName") for h in citation.findall("MeshHeadingList/MeshHeading")]
    comments = []
    if types:
        comments.append("PubMed publication types: " + "; ".join(types))
    if mesh:
        comments.append("MeSH headings: " + "; ".join(m for m in mesh if m))
    first = authors[0]["family"] if authors else "study"
    form = _skeleton(_slug(first, year), comments)
    form["publication"] = publication
    form["design"] = {"types": [f"{TODO}: from the paper (PubMed says: "
                                f"{', '.join(types) or 'nothing'})"]}
    return form


def _skeleton(slug: str, comments: list[str]) -> dict[str, Any]:
    form: dict[str, Any] = {"slug": slug, "label": _READ}
    if comments:
        form["comments"] = comments
    form["patients"] = _READ
    form["measures"] = [_READ]
    return form | {
        "arms": [{"id": "arm-ivig", "label": _READ, "patients": _READ,
                  "receives": ["regimen-ivig"], "quote": _READ}],
        "regimens": [{"id": "regimen-ivig", "label": _READ, "agent": "IVIG",
                      "role": "ExperimentalIntervention", "dose_specification": _READ,
                      "quote": _READ}],
        "findings": [{"label": _READ, "outcomes": [_READ], "direction": _READ,
                      "basis": _READ, "scope": _READ, "quote": _READ}],
        "weaknesses": [{"type": _READ, "quote": _READ}],
        "provenance": {"curator": TODO, "date": TODO, "source": TODO},
    }


def _ordered(form: dict[str, Any]) -> dict[str, Any]:
    _from_own_sources(form)
    order = list(Study.model_fields)
    return dict(sorted(form.items(), key=lambda kv: order.index(kv[0])
                       if kv[0] in order else len(order)))


def _from_own_sources(form: dict[str, Any]) -> None:
    """A drafted study is read from its own paper (or registry record), not from the letter:
    ``sourced_from: publication``, and each quote's source and place in that paper."""
    form["sourced_from"] = "publication"
    publication = form.setdefault("publication", {})
    publication.setdefault("quote", f"{TODO}: the citation as printed on the paper")
    publication.setdefault("source", "StudyPublication")
    for kind in ("arms", "regimens", "findings", "weaknesses"):
        for part in form.get(kind, []):
            part.setdefault("source", "StudyPublication")
            part.setdefault("location", f"{TODO}: where in the paper (section, table, page)")


def draft_from_pubmed(path: Path, *, slug: str | None = None,
                      vocab: Vocabulary | None = None) -> str:
    """A pre-filled study form from a PubMed efetch XML record.

    :param path: the record file.
    :param slug: the study's slug (default: first author's family name and year).
    :param vocab: unused for PubMed (its record names no measures); kept for symmetry.
    :returns: YAML with a TODO for each field to read from the paper.
    :raises InputError: when the record is unsafe, malformed or not a PubMed record.
    """
    del vocab
    form = pubmed_form(_read(path), display=str(path))
    if slug:
        form["slug"] = slug
    return _header(path, "PubMed") + dump_form(_ordered(form))


def _header(path: Path, kind: str) -> str:
    return (f"# Draft from the {kind} record {path.name} by ibmkg draft.\n"
            f"# Fill in or delete every {TODO}, then: ibmkg add FILE.yaml --dry-run\n")


# --- ClinicalTrials.gov --------------------------------------------------------------------

_MODELS: Final = {"CROSSOVER": "CrossoverTrial", "PARALLEL": "ParallelGroupTrial",
                  "SINGLE_GROUP": "SingleGroupTrial"}
_ROLES: Final = {"EXPERIMENTAL": "ExperimentalIntervention",
                 "PLACEBO_COMPARATOR": "PlaceboComparator",
                 "ACTIVE_COMPARATOR": "ActiveComparator"}


def ctgov_form(data: bytes, *, display: str, vocab: Vocabulary | None = None,
               ) -> dict[str, Any]:
    """Read a ClinicalTrials.gov API v2 study record (JSON) into form data.

    :param data: the JSON bytes.
    :param display: the file name for messages.
    :param vocab: names registered outcome measures and agents by the ontology's values.
    :returns: form data with TODOs.
    :raises InputError: when the JSON does not parse or is not a study record.

    >>> form = ctgov_form(b'{"protocolSection": {"identificationModule": {"nctId": '
    ...     b'"NCT00000001", "briefTitle": "T"}, "designModule": {"studyType": "INTERVENTIONAL",'
    ...     b' "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "CROSSOVER"}}}}',
    ...     display="s.json")
    >>> form["design"]["types"], form["design"]["randomised"]
    (['CrossoverTrial'], True)
    """
    try:
        record = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"{display}: byte {err.start} is not UTF-8") from None
    except json.JSONDecodeError as err:
        raise InputError(f"{display}:{err.lineno}:{err.colno}: not valid JSON ({err.msg}); "
                         "save the record again from ClinicalTrials.gov") from None
    except RecursionError:
        raise InputError(f"{display}: JSON nested too deeply") from None
    protocol = record.get("protocolSection") if isinstance(record, dict) else None
    if not isinstance(protocol, dict):
        raise InputError(f"{display}: no protocolSection; expected a ClinicalTrials.gov API v2 "
                         "study record (GET /api/v2/studies/NCT...)")

    def get(*path: str) -> Any:
        node: Any = protocol
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def text(*path: str) -> str:
        value = get(*path)
        return str(value) if isinstance(value, str | int) and not isinstance(value, bool) \
            else ""

    nct = text("identificationModule", "nctId")
    title = text("identificationModule", "officialTitle") or \
        text("identificationModule", "briefTitle") or _READ
    design: dict[str, Any] = {}
    model = text("designModule", "designInfo", "interventionModel")
    design["types"] = [_MODELS.get(model, f"{TODO}: the record says {model or 'nothing'}")]
    allocation = text("designModule", "designInfo", "allocation")
    design["randomised"] = {"RANDOMIZED": True, "NON_RANDOMIZED": False}.get(
        allocation, f"{TODO}: the record says {allocation or 'nothing'}")
    masking = text("designModule", "designInfo", "maskingInfo", "masking")
    if masking == "NONE":
        design |= {"blinded": False, "blinding": "OpenLabel"}
    elif masking in ("DOUBLE", "TRIPLE", "QUADRUPLE"):
        design |= {"blinded": True, "blinding": "DoubleBlind"}
    elif masking == "SINGLE":
        design["blinded"] = True
    groups = get("armsInterventionsModule", "armGroups")
    groups = [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else []
    types = {str(g.get("type", "")) for g in groups}
    design["controlled"] = bool(types & {"PLACEBO_COMPARATOR", "ACTIVE_COMPARATOR",
                                         "SHAM_COMPARATOR", "NO_INTERVENTION"}) \
        if groups else f"{TODO}: the record lists no arms"
    design["crossover"] = model == "CROSSOVER" if model else f"{TODO}: not in the record"
    design["retrospective"] = False if text("designModule", "studyType") == "INTERVENTIONAL" \
        else f"{TODO}: read from the paper"
    count = get("designModule", "enrollmentInfo", "count")
    kind = text("designModule", "enrollmentInfo", "type")
    comments = [f"ClinicalTrials.gov {nct}" if nct else "ClinicalTrials.gov record"]
    outcomes = []
    for key in ("primaryOutcomes", "secondaryOutcomes"):
        items = get("outcomesModule", key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("measure"), str):
                outcomes.append(item["measure"])
    if outcomes:
        comments.append("Registered outcome measures: " + "; ".join(outcomes))
    form = _skeleton(_slug(nct.lower() or "study", ""), comments)
    form["design"] = design
    if isinstance(count, int) and not isinstance(count, bool) and kind == "ACTUAL":
        form["patients"] = count
    elif isinstance(count, int) and not isinstance(count, bool):
        form["patients"] = f"{TODO}: the record gives {count} ({kind or 'type not given'})"
    form["publication"] = {"title": title}
    form["measures"] = [_named(vocab, "measure", m) or f"{TODO}: map '{m}' to a measure"
                        for m in outcomes] or [_READ]
    interventions = get("armsInterventionsModule", "interventions")
    names = [str(i.get("name")) for i in interventions
             if isinstance(i, dict) and i.get("name")] if isinstance(interventions, list) \
        else []
    regimens = [{"id": f"regimen-{_slug(n, '')}", "label": n,
                 "agent": _named(vocab, "agent", n) or _agent(n),
                 "role": _READ, "dose_specification": _READ, "quote": _READ} for n in names]
    if groups:
        form["arms"] = [{"id": f"arm-{_slug(str(g.get('label', i + 1)), '')}",
                         "label": str(g.get("label") or _READ), "patients": _READ,
                         "receives": [f"regimen-{_slug(str(n).split(':', 1)[-1].strip(), '')}"
                                      for n in g.get("interventionNames") or []
                                      if isinstance(n, str)] or [_READ],
                         "quote": str(g.get("description") or _READ),
                         **({"location": f"ClinicalTrials.gov {nct or 'record'}, arm group "
                             f"{g.get('label') or i + 1}"} if g.get("description") else {})}
                        for i, g in enumerate(groups)]
        for regimen in regimens:
            roles = {_ROLES.get(str(g.get("type")), "") for g in groups
                     if f"{regimen['label']}" in " ".join(str(n) for n in
                                                          g.get("interventionNames") or [])}
            roles.discard("")
            if len(roles) == 1:
                regimen["role"] = roles.pop()
    if regimens:
        form["regimens"] = regimens
    return form


def _named(vocab: Vocabulary | None, kind: str, name: str) -> str | None:
    if vocab is None:
        return None
    try:
        return vocab.resolve(kind, name).short
    except KeyError:
        return None


def _agent(name: str) -> str:
    lowered = name.lower()
    if any(w in lowered for w in ("immunoglobulin", "immune globulin", "ivig")):
        return "IVIG"
    if "placebo" in lowered:
        return "Placebo"
    if "prednison" in lowered:
        return "Prednisone"
    return f"{TODO}: map '{name}' to an agent"


def draft_from_ctgov(path: Path, *, slug: str | None = None,
                     vocab: Vocabulary | None = None) -> str:
    """A pre-filled study form from a ClinicalTrials.gov API v2 study record.

    :param path: the JSON record file.
    :param slug: the study's slug (default: from the NCT number).
    :param vocab: names registered outcome measures and agents by the ontology's values.
    :returns: YAML with a TODO for each field to read from the paper.
    :raises InputError: when the record does not parse or is not a study record.
    """
    form = ctgov_form(_read(path), display=str(path), vocab=vocab)
    if slug:
        form["slug"] = slug
    return _header(path, "ClinicalTrials.gov") + dump_form(_ordered(form))
