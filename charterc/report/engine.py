"""`charterc report`: usage files + a checked charter -> report documents -> files.

The pipeline: read the outages (small) -> stream the tickets in batches through
`columnar.ColumnarMeasure` (one pass, nothing kept per row) -> availability, charges
and credits per client (`measured.MeasuredPeriod`) -> the provider's document
(`document.py`) -> one document per client -> JSON here, Markdown and HTML by
`render.py`. Semantics: docs/report.md.
"""
from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..diagnostics import Diagnostic, Severity
from ..errors import CharterError
from ..model.charter import Charter
from ..model.projection import Facts
from ..publish.files import write_all
from . import document as doc
from .inputs import (
    Excluded,
    Outage,
    Skipped,
    UnreadableFile,
    diagnostic,
    excluded_statuses,
    read_outages,
)
from .measure import Measure, Period, range_period
from .measured import MeasuredPeriod, Notes
from .types import CharterRevision, Pauses, ProviderDocument, ReportDocument

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..loaders import Loaded
    from ..render.formats import Facts as Pdf
    from .itsm import ItsmAgreement
    from .profiles import Instants, Profile

__all__ = [
    "LISTED",
    "MAX_LISTED",
    "ReportError",
    "ReportResult",
    "build_report",
    "check_formats",
    "write_reports",
]

MAX_LISTED = 1000  # skipped rows listed one by one; all are counted
LISTED = 100  # breaches and pending tickets a client's documents list (--max-listed)


class Renderer(Protocol):
    """`render.render_report`: a report document -> Markdown or HTML."""

    def __call__(self, document: ReportDocument, *, scope: str, lang: str, fmt: str) -> str: ...


class ReportError(CharterError):
    """A report cannot be written as asked (a missing optional renderer, a bad format)."""


@dataclass
class ReportResult:
    """What `build_report` returns: the provider's document (None when the run failed),
    the diagnostics of skipped rows or unreadable files, and the number of rows skipped."""

    document: ProviderDocument | None
    diagnostics: list[Diagnostic]
    skipped: int
    client_skipped: dict[str, int] = field(default_factory=dict)
    strict: bool = False
    warnings: list[Diagnostic] = field(default_factory=list)  # U107, U108: measured anyway
    # what the documents are made of: the CSV beside a cut listing is written from it
    measured: MeasuredPeriod | None = None

    @property
    def ok(self) -> bool:
        """False when a file was unreadable, or rows were skipped under --strict."""
        return self.document is not None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def documents(self) -> dict[str, ReportDocument]:
        """scope ("provider" or a client id) -> its document."""
        if self.document is None:
            return {}
        out: dict[str, ReportDocument] = {"provider": self.document}
        for cid in self.document["clients"]:
            out[cid] = doc.client_document(self.document, cid, self.client_skipped.get(cid, 0))
        return out


def pause_statuses(charter: Charter) -> list[str]:
    """Every status some objective's clock pauses on (normalised, sorted)."""
    return sorted({status for tier in charter.tiers for objective in tier.objectives
                   for status in objective.pause_on})


def _no_history(charter: Charter, loaded: Loaded | None) -> Diagnostic:
    """U107 at the first `pause_on` of the charter."""
    pointer = next(f"{o.pointer}/pause_on" for t in charter.tiers for o in t.objectives
                   if o.pause_on)
    line, column = loaded.sources.locate(pointer) if loaded is not None else (0, 0)
    file = loaded.file if loaded is not None else charter.id
    return Diagnostic("U107", Severity.WARNING,
                      "the charter pauses clocks on ticket statuses (pause_on) but no status "
                      "history was given: measured without pauses", file, line, column,
                      pointer, "give the status history with --history FILE (id, at, status)")


def _unpaid(charter: Charter, measure: Measure, display: str,
            column: int) -> list[Diagnostic]:
    """U108 for every ticket on a feature its client's tier does not include."""
    names = {f.id: f.name for f in charter.features}
    out = []
    for cid, usage in measure.usage.items():
        tier = charter.tier(usage.client.tier)
        assert tier is not None
        for _opened, ident, feature, line in usage.unpaid:
            what = f"feature {feature!r}" + (f" ({names[feature]})" if names.get(feature) else
                                             "" if feature in names else
                                             ", not a feature of the charter,")
            out.append(diagnostic(
                "U108", display, line, column,
                f"ticket {ident} of client {cid} is for {what} outside its tier {tier.id}",
                f"unpaid work: move {cid} to a tier that includes it, add it to tier "
                f"{tier.id}'s features, or refuse such tickets"))
    out.sort(key=lambda d: d.line)
    return out


def _read_outages(charter: Charter, path: Path, display: str, period: Period,
                  columns: dict[str, str] | None, instants: Instants,
                  skip: Callable[[Skipped], None]) -> list[Outage]:
    """The outages that overlap the period (the file is small; kept whole)."""
    kept = []
    for outage in read_outages(path, display, tiers=[t.id for t in charter.tiers],
                               clients=[c.id for c in charter.clients], mapping=columns,
                               instants=instants):
        if isinstance(outage, Skipped):
            skip(outage)
        elif outage.end > period.start and outage.start < period.end:
            kept.append(outage)
    return kept


class _Skips:
    """Counts the skipped rows (per client too) and lists the first MAX_LISTED."""

    def __init__(self, charter: Charter) -> None:
        self.count = 0
        self.per_client = {c.id: 0 for c in charter.clients}
        self.listed: list[Diagnostic] = []

    def __call__(self, row: Skipped) -> None:
        self.count += 1
        if row.client is not None:
            self.per_client[row.client] += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(row.diagnostic)


def _columnar(charter: Charter, period: Period, tickets: Path, display: str,
              history: Path | None, history_display: str | None, statuses: list[str],
              columns: dict[str, str] | None, profile: Profile | None, instants: Instants,
              progress: Callable[[int], None] | None, shape: dict[str, int],
              skip: Callable[[Skipped], None], *, rows: bool,
              exclude: frozenset[str] = frozenset(),
              itsm: ItsmAgreement | None = None, optimistic: bool = False) -> Measure:
    """The tickets measured in batches of columns (columnar.py); `rows`: read the files
    row by row into those batches (a file that is not plain CSV: `columnar.Irregular`)."""
    from .ahead import read_ahead
    from .columnar import ColumnarHistory, ColumnarMeasure, history_rows, ticket_batches
    from .names import client_names, feature_names

    log = ColumnarHistory(statuses, period.end) if history is not None and statuses else None
    if log is not None and history is not None:
        for row in history_rows(log, history, history_display or str(history),
                                mapping=columns, profile=profile, instants=instants,
                                rows=rows):
            skip(row)
    measure = ColumnarMeasure(charter, Facts(charter), period, log)
    measure.itsm = itsm
    add = measure.add_batch
    batches = ticket_batches(tickets, display, clients=client_names(charter),
                             priorities=tuple(charter.priorities), mapping=columns,
                             progress=progress, profile=profile, instants=instants,
                             shape=shape, rows=rows, features=feature_names(charter),
                             exclude=exclude, window=(period.start, period.end),
                             optimistic=optimistic)
    for batch in read_ahead(batches):
        if isinstance(batch, Skipped):
            skip(batch)
        elif isinstance(batch, Excluded):
            measure.exclude(batch.client, batch.opened)
            if itsm is not None:   # a cancelled ticket's SLA records are left out with it
                itsm.seen.add(batch.id)
        else:
            add(batch)
    return measure


def build_report(charter: Charter, loaded: Loaded | None = None, *, tickets: Path,
                 outages: Path | None, start: date, end: date,
                 columns: dict[str, str] | None = None, strict: bool = False,
                 progress: Callable[[int], None] | None = None,
                 tickets_display: str | None = None,
                 outages_display: str | None = None,
                 reviews: Sequence[str] = (),
                 history: Path | None = None,
                 history_display: str | None = None,
                 profile: Profile | None = None,
                 input_timezone: str | None = None,
                 revision: CharterRevision | None = None,
                 exclude_status: Sequence[str] | None = None,
                 itsm_sla: Path | None = None,
                 itsm_sla_display: str | None = None,
                 max_listed: int | None = LISTED) -> ReportResult:
    """Measure the period [start, end] (local dates, inclusive, provider's zone).

    `charter` must have passed the checks. Never raises for bad input: unreadable
    files give a U106 diagnostic and no document; bad rows are skipped with a
    diagnostic each (under `strict` they are errors and no document is built).
    `progress`, if given, is called with the number of characters read so far.
    `reviews`: review findings judged at the period's end (overdue then), shown in the
    document under `reviews`. `history`: the status history that pauses clocks
    (`pause_on`); `profile` and `input_timezone`: how the files are written;
    `revision`: the committed version of the charter measured against, for the header.
    `exclude_status`: the statuses whose tickets are out of every figure (None: the
    default, `canceled` and `cancelled`; empty: none), counted per client when the
    tickets file has a status column.
    `itsm_sla`: the ITSM's own SLA records, compared ticket by ticket (`itsm_agreement`).
    `max_listed`: the breaches and pending tickets each client's listings hold, the earliest
    opened first (None: all); a client with more has `listing` in the document, and
    `write_reports` writes all of them beside it (`report/events.py`).
    """
    from .columnar import Careful, Irregular
    from .profiles import Instants

    period = range_period(start, end, charter.provider.timezone)
    statuses = pause_statuses(charter)
    instants = Instants(input_timezone, profile.formats if profile is not None else ())
    display = tickets_display or str(tickets)
    exclude = excluded_statuses(exclude_status)
    measure: Measure | None = None
    # read optimistically first (every row good, every id distinct: checked once, at the
    # end), carefully if a row is not (`Careful`), by rows if the file is not plain CSV
    mode = "optimistic"
    while True:
        skips = _Skips(charter)
        kept: list[Outage] | None = None
        shape: dict[str, int] = {}
        itsm: ItsmAgreement | None = None
        try:
            if outages is not None:
                kept = _read_outages(charter, outages, outages_display or str(outages),
                                     period, columns, instants, skips)
            if itsm_sla is not None:
                itsm = _read_itsm(charter, itsm_sla, itsm_sla_display or str(itsm_sla),
                                  profile, instants, skips)
            measure = _columnar(charter, period, tickets, display, history, history_display,
                                statuses, columns, profile, instants, progress, shape, skips,
                                rows=mode == "rows", exclude=exclude, itsm=itsm,
                                optimistic=mode == "optimistic")
        except UnreadableFile as exc:
            return ReportResult(None, [*skips.listed, exc.diagnostic], skips.count,
                                skips.per_client, strict)
        except Careful:
            mode = "careful"
            continue
        except Irregular:
            mode = "rows"
            continue
        break
    assert measure is not None  # the row readers never find a file irregular
    if itsm is not None:
        for row in itsm.unknown():
            skips(row)
    return _result(charter, loaded, period, measure, kept, skips, shape, strict=strict,
                   display=display, reviews=reviews, history=history,
                   history_display=history_display, revision=revision, itsm=itsm,
                   max_listed=max_listed)


def _read_itsm(charter: Charter, path: Path, display: str, profile: Profile | None,
               instants: Instants, skip: Callable[[Skipped], None]) -> ItsmAgreement:
    """The ITSM's SLA records (`--itsm-sla`), the unreadable rows skipped."""
    from .itsm import ItsmAgreement, read_itsm_sla

    records = []
    for row in read_itsm_sla(path, display, profile=profile, instants=instants):
        if isinstance(row, Skipped):
            skip(row)
        else:
            records.append(row)
    return ItsmAgreement(charter, records, display)


def _result(charter: Charter, loaded: Loaded | None, period: Period,
            measure: Measure, outages: list[Outage] | None, skips: _Skips,
            shape: dict[str, int], *, strict: bool, display: str, reviews: Sequence[str],
            history: Path | None, history_display: str | None,
            revision: CharterRevision | None,
            itsm: ItsmAgreement | None = None, max_listed: int | None = None) -> ReportResult:
    """The result of a period once its files are read and measured: the warnings (U107,
    U108), `strict` applied, the provider's document."""
    statuses = pause_statuses(charter)
    diagnostics, skipped, per_client = skips.listed, skips.count, skips.per_client
    warnings: list[Diagnostic] = []
    if statuses and history is None:
        warnings.append(_no_history(charter, loaded))
    warnings.extend(_unpaid(charter, measure, display, shape.get("feature", 1))[:MAX_LISTED])
    if strict:
        diagnostics = [replace(d, severity=Severity.ERROR) for d in diagnostics]
        if skipped:
            return ReportResult(None, diagnostics, skipped, per_client, strict, warnings)
    pauses: Pauses | None = {
        "statuses": statuses, "measured": history is not None,
        "history": (history_display or str(history)) if history else None} if statuses else None
    notes = Notes(skipped, tuple(diagnostics), tuple(reviews), pauses, revision,
                  tuple(c for c in ("feature", "channel") if c in shape),
                  excluding=any(u.excluded for u in measure.usage.values()), itsm=itsm,
                  max_listed=max_listed)
    report = MeasuredPeriod(charter, period, measure, outages, notes)
    return ReportResult(doc.provider_document(report), diagnostics, skipped, per_client, strict,
                        warnings, report)


# -- writing ------------------------------------------------------------------------------

def write_reports(result: ReportResult, out: Path, langs: Sequence[str],
                  formats: Sequence[str]) -> list[Path]:
    """Write every document: `out/<charter>/<period>/provider.<lang>.<fmt>` and
    `clients/<client>.<lang>.<fmt>` (JSON is language-independent: `provider.json`).

    The files are one set: every document is rendered first, then all are written
    (`write_all`), so a failure leaves none of them half-updated. Markdown and HTML come
    from `render.py`, imported only when asked for, so JSON needs nothing more.
    """
    from concurrent.futures import Future, ThreadPoolExecutor
    render = check_formats(formats, langs)
    documents = result.documents()
    if not documents:
        return []
    provider = documents["provider"]
    folder = Path(out) / provider["charter"]["id"] / provider["period"]["label"]
    files: dict[Path, bytes] = {}
    stale: list[Path] = []
    listed: dict[Path, Future[bytes]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        # the events CSVs are made by Arrow, which lets go of the GIL: on threads of
        # their own (two clients at a time) while the documents are rendered
        if result.measured is not None:
            from .events import events_csv
            for cid in provider["clients"]:
                events = folder / doc.events_file(cid)
                if doc.cut(result.measured, cid):
                    listed[events] = pool.submit(events_csv, result.measured, cid)
                else:
                    stale.append(events)
        _render_documents(documents, folder, formats, langs, render, files)
    for events, made in listed.items():
        files[events] = made.result()
    write_all(files)
    for events in stale:   # an earlier run's, beside documents that now list every one
        events.unlink(missing_ok=True)
    return list(files)


def _render_documents(documents: dict[str, ReportDocument], folder: Path,
                      formats: Sequence[str], langs: Sequence[str], render: Renderer | None,
                      files: dict[Path, bytes]) -> None:
    """Every document of the report in every format and language, into `files`."""
    from ..render.formats import render_set
    from ..render.pdf import PdfProblem
    for scope, document in documents.items():
        base = folder / "provider" if scope == "provider" else folder / "clients" / scope

        def template(fmt: str, lang: str, scope: str = scope,
                     document: ReportDocument = document,
                     ) -> str:
            assert render is not None  # check_formats: a renderer for every other format
            return render(document, scope=scope, lang=lang, fmt=fmt)

        def facts(document: ReportDocument = document,
                  json_name: str = f"{base.name}.json") -> Pdf:
            return _facts(document, json_name)

        try:
            made = render_set(formats, langs, template=template, result=document, facts=facts)
        except PdfProblem as exc:
            raise ReportError(str(exc)) from None
        files.update((base.with_name(base.name + suffix), data) for suffix, data in made.items())


def _facts(document: ReportDocument, json_name: str) -> Pdf:
    """A report PDF carries the report document (JSON) and is dated the day
    SOURCE_DATE_EPOCH names, else the last day of the period: never the clock."""
    from ..pipeline.today import SourceDateError, source_date
    from ..render.formats import Attachment, Facts
    from ..render.pdf import created_from
    try:
        day = created_from(source_date(), date.fromisoformat(document["period"]["to"]))
    except SourceDateError as exc:
        raise ReportError(str(exc)) from None
    return Facts(author=document["charter"]["title"], created=day,
                 attachments=(Attachment(json_name, doc.dumps(document).encode("utf-8"),
                                         "The report as data (charterc report --format json)"),))


def check_formats(formats: Sequence[str], langs: Sequence[str] = ()) -> Renderer | None:
    """The renderer the formats need (None for JSON only); ReportError if a format is
    not one a report has, a language has no catalogue, or what a format needs (the
    report renderer, WeasyPrint) cannot be loaded."""
    from ..render.formats import FORMATS, OutputRequestError, check_request
    try:
        check_request("report", formats, langs)
    except OutputRequestError as exc:
        raise ReportError(str(exc)) from None
    if all(FORMATS[f].serialise is not None for f in formats):
        return None
    return _renderer()


def _renderer() -> Renderer:
    try:
        module = importlib.import_module("charterc.render.report")
        render: Renderer = module.render_report
        return render
    except ImportError as exc:
        raise ReportError(f"Markdown and HTML reports need the report renderer, which "
                          f"cannot be loaded ({exc}); write --format json, or install "
                          f"charterc[reports]") from None
    except AttributeError:
        raise ReportError("the report renderer has no render_report function; "
                          "write --format json") from None
