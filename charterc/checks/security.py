"""security checks (rules registered with @rule)."""
from __future__ import annotations
