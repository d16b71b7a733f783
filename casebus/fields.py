"""Field types for request bodies: trimmed, non-blank text of bounded length.

NUL characters are refused before any body is parsed (``casebus.http_guard``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
