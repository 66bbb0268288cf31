"""Compatibility alias: the reasoner's inputs moved to :mod:`ibmkg.reasoning.inputs`.

>>> from ibmkg.reasoning_input import Vocabulary
>>> Vocabulary([]).classes
set()
"""

from ibmkg.reasoning.inputs import (
    HAS_FINDING,
    RDFS,
    TYPE,
    Inputs,
    Vocabulary,
    asserted_types,
    closure_axioms,
    load_inputs,
)

__all__ = ["HAS_FINDING", "RDFS", "TYPE", "Inputs", "Vocabulary", "asserted_types",
           "closure_axioms", "load_inputs"]
