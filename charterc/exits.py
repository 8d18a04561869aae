"""charterc's exit statuses, the same for every command and every caller of a use case."""
from __future__ import annotations

__all__ = ["EXIT_CLEAN", "EXIT_CLOSED_PIPE", "EXIT_FINDINGS", "EXIT_USAGE"]

EXIT_CLEAN = 0         # nothing to report, or written as asked
EXIT_FINDINGS = 1      # findings (errors, or warnings under --strict)
EXIT_USAGE = 2         # a usage problem, a file that cannot be read or written, an internal error
EXIT_CLOSED_PIPE = 128 + 13  # standard output closed (SIGPIPE), as a shell reports it
