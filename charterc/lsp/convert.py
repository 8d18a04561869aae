"""charterc `Diagnostic` -> LSP `Diagnostic`: the same rule, message, position and hint.

The range starts where `charterc check` places the finding (its line:column) and
covers the value or key written there. The hint follows the message, as the text
report prints it; `code` is the rule id, so an editor links it to `charterc explain`.
Suppressed findings are not sent, as the text report does not print them.
"""
from __future__ import annotations

from lsprotocol import types

from ..diagnostics import Diagnostic, Severity
from .analysis import Analysis, span

__all__ = ["SEVERITIES", "to_lsp"]

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def to_lsp(analysis: Analysis, finding: Diagnostic, uri_of: dict[str, str]) -> types.Diagnostic:
    """One finding in the editor; `uri_of` names the files of related positions."""
    line, start, end = span(analysis, finding.line, finding.column)
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=uri_of.get(file, analysis.uri),
                range=types.Range(start=types.Position(line=max(r_line - 1, 0),
                                                       character=max(r_column - 1, 0)),
                                  end=types.Position(line=max(r_line - 1, 0),
                                                     character=max(r_column - 1, 0)))),
            message="also here")
        for file, r_line, r_column in finding.related]
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=line, character=start),
                          end=types.Position(line=line, character=end)),
        message=message,
        severity=SEVERITIES.get(finding.severity or Severity.ERROR),
        code=finding.rule,
        source="charterc",
        related_information=related or None,
        data={"pointer": finding.pointer, "hint": finding.hint},
    )
