"""Reasoning: HermiT (the reference), the fast rule-based classifier, inputs and explanations.

The subpackage gathers what used to be ``ibmkg.reasoning``, ``ibmkg.reasoning_input`` and
``ibmkg.explanations``; every name importable from ``ibmkg.reasoning`` before stays
importable from here.

- :mod:`ibmkg.reasoning.core`: :func:`reason` and the engines (the only owlready2 module);
- :mod:`ibmkg.reasoning.inputs`: the parsed files, the told hierarchy, closure axioms;
- :mod:`ibmkg.reasoning.explanations`: why a study is in a class, and clash finding.

>>> Engine("hermit").needs_java
True
"""

from ibmkg.reasoning.core import (
    BATCH_FILES,
    HEADER,
    INFERRED_FILE,
    JAVA_ENV,
    RL_LIMITATIONS,
    Engine,
    InferredType,
    ReasoningResult,
    ensure_inferred,
    find_java,
    inferred_header,
    inferred_is_current,
    inputs_digest,
    reason,
    summary_rows,
    write_inferred,
)
from ibmkg.reasoning.explanations import Clash, Explainer
from ibmkg.reasoning.inputs import (
    HAS_FINDING,
    TYPE,
    Inputs,
    Vocabulary,
    asserted_types,
    closure_axioms,
    load_inputs,
)

__all__ = [
    "BATCH_FILES",
    "HAS_FINDING",
    "HEADER",
    "INFERRED_FILE",
    "JAVA_ENV",
    "RL_LIMITATIONS",
    "TYPE",
    "Clash",
    "Engine",
    "Explainer",
    "InferredType",
    "Inputs",
    "ReasoningResult",
    "Vocabulary",
    "asserted_types",
    "closure_axioms",
    "ensure_inferred",
    "find_java",
    "inferred_header",
    "inferred_is_current",
    "inputs_digest",
    "load_inputs",
    "reason",
    "summary_rows",
    "write_inferred",
]
