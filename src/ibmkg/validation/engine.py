"""Which engine runs the SHACL shapes.

Every engine fills the same :class:`ibmkg.validation.report.ValidationResult` fields and must
give exactly the same results; ``tests/test_validation_engines.py`` holds them to that.

>>> Engine("pyshacl") is Engine.PYSHACL
True
"""

from __future__ import annotations

from ibmkg.formats import ValidationEngine as Engine

__all__ = ["Engine"]
