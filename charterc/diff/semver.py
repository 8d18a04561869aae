"""Semantic versions of charters, the bump a set of changes requires, and the bump made.

Bumps are ranked none < patch < minor < major. The bump made from OLD to NEW is
the most significant component that increased (`2.3.4 -> 2.4.0` is minor); a
version that did not increase made no bump, whatever else changed. Pre-release
and build suffixes are carried but do not count as a bump. 0.y.z versions follow
the same rule as any other (a weakening needs 1.0.0 or above): a charter in
force is a commitment from its first version.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BUMPS", "Version", "bump_made", "parse_version", "stronger"]

BUMPS = ("none", "patch", "minor", "major")
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?"
                     r"(?:\+[0-9A-Za-z.-]+)?\Z")


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: str = ""

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}" + (f"-{self.pre}" if self.pre else "")


def parse_version(text: object) -> Version | None:
    match = _SEMVER.match(str(text).strip())
    if not match:
        return None
    major, minor, patch, pre = match.groups()
    return Version(int(major), int(minor), int(patch), pre or "")


def bump_made(old: Version, new: Version) -> str:
    """The bump from `old` to `new`: major, minor, patch or none (also when it went down)."""
    if new.major != old.major:
        return "major" if new.major > old.major else "none"
    if new.minor != old.minor:
        return "minor" if new.minor > old.minor else "none"
    return "patch" if new.patch > old.patch else "none"


def stronger(a: str, b: str) -> str:
    """The more significant of two bumps."""
    return a if BUMPS.index(a) >= BUMPS.index(b) else b
