"""Hardened input and output: the strict RDF gate, confined paths, atomic swaps, fuzzing.

Everything ibmkg reads as RDF passes :func:`~ibmkg.io.gate.parse_rdf` first; every folder it
replaces goes through :func:`~ibmkg.io.swap.swap_in`. See ``docs/reliability.md`` for the
figures that prove it.
"""

from __future__ import annotations

from ibmkg.io.gate import MAX_NESTING, format_for_path, parse_rdf
from ibmkg.io.swap import clean_stale, exchange, swap_in

__all__ = ["MAX_NESTING", "clean_stale", "exchange", "format_for_path", "parse_rdf", "swap_in"]
