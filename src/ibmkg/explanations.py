"""Compatibility alias: the explanations moved to :mod:`ibmkg.reasoning.explanations`.

>>> from ibmkg.explanations import DEFINITIONS
>>> "ControlledStudy" in DEFINITIONS
True
"""

from ibmkg.reasoning.explanations import (
    DEFINITIONS,
    Clash,
    Definition,
    Explainer,
    Rule,
    render_template,
)

__all__ = ["DEFINITIONS", "Clash", "Definition", "Explainer", "Rule", "render_template"]
