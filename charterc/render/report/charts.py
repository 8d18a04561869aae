"""Report charts: volume by week, attainment per priority, turnaround, as inline SVG.

Drawn with matplotlib (the optional extra `charterc[reports]`), imported only when an
HTML report asks for a chart, so `charterc check` and Markdown reports never pay for it.
Without matplotlib, `ChartsUnavailable` carries the one-line hint the caller shows.

Deterministic bytes: the Agg-free SVG backend with a fixed hash salt (clip-path ids),
text kept as text (`svg.fonttype: none`, no embedded glyph paths), no date or creator
in the metadata, a fixed figure size, and no math parsing of user text (a `$` in a
client name is text). Each SVG gets `role="img"`, a `<title>` and a `<desc>` that says
the figures in words, and ids prefixed with the chart's name so that three charts can
sit in one HTML page.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from html import escape
from types import ModuleType
from typing import TYPE_CHECKING, Literal, TypedDict

from ...errors import CharterError
from ...report.types import WeekTickets

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..i18n import Formatter

__all__ = [
    "MISSING",
    "PALETTE",
    "AttainmentBar",
    "ChartsUnavailable",
    "TurnaroundBar",
    "WeekTickets",
    "attainment_chart",
    "drawing",
    "format_axis",
    "svg_document",
    "turnaround_chart",
    "unavailable",
    "usage_chart",
    "volume_chart",
]

MISSING = "charts need matplotlib: pip install 'charterc[reports]'"
PALETTE = ("#0b5cad", "#bf8700", "#1a7f37", "#8250df", "#cf222e", "#57606a", "#1b7c83")
SIZE = (7.2, 3.0)   # inches; the HTML scales the SVG to the page width
RC = {
    "svg.hashsalt": "charterc", "svg.fonttype": "none", "text.parse_math": False,
    "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
    "axes.spines.right": False, "axes.edgecolor": "#57606a", "axes.axisbelow": True,
    "axes.grid": True, "axes.grid.axis": "y", "grid.color": "#d0d7de", "grid.linewidth": 0.6,
    "legend.frameon": False, "figure.dpi": 72, "savefig.dpi": 72,
}


class AttainmentBar(TypedDict):
    """One priority of the attainment chart: attainments in percent (None: nothing measured)."""

    priority: str
    response: Decimal | None
    resolution: Decimal | None


class TurnaroundBar(TypedDict):
    """One group of the turnaround chart: minutes (None: no ticket) and the tickets counted."""

    label: str
    median: Decimal | None
    p90: Decimal | None
    count: int


class ChartsUnavailable(CharterError):
    """matplotlib is not installed: the report is written without its charts."""


def _matplotlib() -> tuple[ModuleType, type[Figure]]:
    from ..findings.libraries import escape_logging
    escape_logging()  # matplotlib logs (its font manager)
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise ChartsUnavailable(MISSING) from None
    return matplotlib, Figure


def unavailable() -> str | None:
    """The one-line warning to print when charts cannot be drawn, else None."""
    try:
        _matplotlib()
    except ChartsUnavailable as exc:
        return str(exc)
    return None


@contextmanager
def drawing() -> Iterator[tuple[Figure, Axes]]:
    """A figure and its axes under the report's rc settings (restored afterwards)."""
    matplotlib, Figure = _matplotlib()
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=SIZE, layout="constrained")
        yield figure, figure.add_subplot()


def format_axis(ax: Axes, text: Callable[[Decimal], str]) -> None:
    """Tick labels of the y axis in the report's language."""
    from matplotlib.ticker import FuncFormatter
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: text(Decimal(repr(float(v))))))


def _integer_ticks(ax: Axes) -> None:
    """Whole numbers only on the y axis, keeping the default locator's other choices."""
    from matplotlib.ticker import MaxNLocator
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default (AutoLocator) for a linear axis
        locator.set_params(integer=True)


def svg_document(figure: Figure, name: str, title: str, desc: str) -> str:
    """`figure` as inline SVG with stable ids (`name`), its title and its description."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), name, title, desc)


_REF = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_SIZE = re.compile(r'\swidth="[^"]*"\s+height="[^"]*"')


def _inline(svg: str, name: str, title: str, desc: str) -> str:
    """A standalone SVG file -> an element for an HTML page: no prolog, unique ids, a label."""
    svg = svg[svg.index("<svg"):].rstrip()
    svg = _REF.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", svg)
    head_end = svg.index(">") + 1
    head = _SIZE.sub(' width="100%"', svg[:head_end], count=1)
    head = head[:-1] + (f' role="img" aria-labelledby="{name}-title {name}-desc"'
                        ' style="height:auto;max-width:100%">')
    label = (f'<title id="{name}-title">{escape(title)}</title>'
             f'<desc id="{name}-desc">{escape(desc)}</desc>')
    return head + label + svg[head_end:]


def _week(label: str) -> str:
    """"2026-W40" -> "W40" (the year is the report's)."""
    return label.split("-", 1)[1] if re.fullmatch(r"\d{4}-W\d{2}", label) else label


def volume_chart(series: Sequence[tuple[str, Sequence[WeekTickets]]], language: Formatter) -> str:
    """Tickets opened per ISO week, one stacked bar segment per client."""
    _ = language.gettext
    weeks = sorted({w["week"] for _name, weekly in series for w in weekly})
    totals = [0] * len(weeks)
    with drawing() as (figure, ax):
        for i, (name, weekly) in enumerate(series):
            counts = {w["week"]: w["tickets"] for w in weekly}
            heights = [counts.get(w, 0) for w in weeks]
            ax.bar(range(len(weeks)), heights, bottom=totals, label=name,
                   color=PALETTE[i % len(PALETTE)], width=0.6)
            totals = [t + h for t, h in zip(totals, heights, strict=True)]
        ax.set_xticks(range(len(weeks)), [_week(w) for w in weeks],
                      rotation=45 if len(weeks) > 8 else 0)
        ax.set_ylabel(_("Tickets opened"))
        _integer_ticks(ax)
        format_axis(ax, lambda v: language.number(v, 0))
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        desc = "; ".join(f"{w}: {language.number(Decimal(t), 0)}"
                         for w, t in zip(weeks, totals, strict=True))
        return svg_document(figure, "chart-volume", _("Tickets opened per week"),
                    desc or _("No ticket in the period."))


def attainment_chart(rows: Sequence[AttainmentBar], targets: Mapping[str, Decimal | None],
                     language: Formatter) -> str:
    """Response and resolution attainment per priority (bars), each target a dashed line.

    `rows`: [{"priority", "response", "resolution"}], attainments as Decimal, or None when
    nothing was measured (no bar); `targets`: {"response": Decimal | None, ...}.
    """
    _ = language.gettext
    objectives: tuple[tuple[Literal["response", "resolution"], str], ...] = (
        ("response", _("Response")), ("resolution", _("Resolution")))
    width = 0.36
    shared = len({targets.get(key) for key, _label in objectives}) == 1
    with drawing() as (figure, ax):
        for i, (key, label) in enumerate(objectives):
            xs = [n + (i - 0.5) * width for n in range(len(rows))]
            shown = [r[key] for r in rows]
            values = [float(v) if v is not None else 0.0 for v in shown]
            bars = ax.bar(xs, values, width=width, label=label, color=PALETTE[i])
            ax.bar_label(bars, labels=[language.percent(v) if v is not None else ""
                                       for v in shown], fontsize=7, padding=2)
        for i, (key, label) in enumerate(objectives[:1] if shared else objectives):
            target = targets.get(key)
            if target is not None:   # one line when both objectives share a target
                ax.axhline(float(target), color="#1b1f24" if shared else PALETTE[i],
                           linestyle="--", linewidth=1, label=_("Target") if shared else
                           _("%(objective)s target") % {"objective": label})
        ax.set_xticks(range(len(rows)), [r["priority"] for r in rows])
        ax.set_ylim(0, 110)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_ylabel(_("Attainment"))
        format_axis(ax, lambda v: language.percent(v, 0))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        def said(value: Decimal | None) -> str:
            return language.percent(value) if value is not None else "-"

        desc = "; ".join(f"{r['priority']}: " + ", ".join(
            f"{label} {said(r[key])}" for key, label in objectives) for r in rows)
        return svg_document(figure, "chart-attainment", _("Attainment per priority"),
                    desc or _("No ticket in the period."))


def turnaround_chart(rows: Sequence[TurnaroundBar], language: Formatter) -> str:
    """Median and 90th percentile of the resolution turnaround per kind of time, in hours.

    `rows`: [{"label", "median", "p90", "count"}], minutes as Decimal or None (no ticket).
    """
    _ = language.gettext
    measures: tuple[tuple[Literal["median", "p90"], str], ...] = (
        ("median", _("Median")), ("p90", _("90th percentile")))
    width = 0.36

    def hours(minutes: Decimal) -> Decimal:
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))

    with drawing() as (figure, ax):
        for i, (key, label) in enumerate(measures):
            xs = [n + (i - 0.5) * width for n in range(len(rows))]
            values = [None if m is None else hours(m) for m in (r[key] for r in rows)]
            bars = ax.bar(xs, [float(v) if v is not None else 0.0 for v in values],
                          width=width, label=label, color=PALETTE[i])
            ax.bar_label(bars, labels=[language.number(v, 1) if v is not None else ""
                                       for v in values], fontsize=7, padding=2)
        ax.set_xticks(range(len(rows)), [
            r["label"] + "\n" + language.ngettext("%(n)s ticket", "%(n)s tickets", r["count"])
            % {"n": language.number(Decimal(r["count"]), 0)} for r in rows])
        ax.set_ylabel(_("Hours (calendar time)"))
        ax.margins(y=0.15)
        format_axis(ax, lambda v: language.number(v, 1))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        def said(minutes: Decimal | None) -> str:
            return language.number(hours(minutes), 1) + " h" if minutes is not None else "-"

        desc = "; ".join(f"{r['label']}: " + ", ".join(
            f"{label} " + said(r[key]) for key, label in measures) for r in rows)
        return svg_document(figure, "chart-turnaround", _("Resolution turnaround, in hours"), desc)


def usage_chart(series: Sequence[tuple[str, Mapping[str, int]]], language: Formatter) -> str:
    """Tickets per feature, one horizontal bar per feature, a segment per client.

    `series`: [(client name, {feature: tickets})]; features in order of total tickets.
    """
    _ = language.gettext
    totals: dict[str, int] = {}
    for _name, counts in series:
        for feature, n in counts.items():
            totals[feature] = totals.get(feature, 0) + n
    features = sorted(totals, key=lambda f: (-totals[f], f))
    with drawing() as (figure, ax):
        left = [0] * len(features)
        for i, (name, counts) in enumerate(series):
            widths = [counts.get(f, 0) for f in features]
            ax.barh(range(len(features)), widths, left=left, label=name, height=0.6,
                    color=PALETTE[i % len(PALETTE)])
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(range(len(features)), features)
        ax.invert_yaxis()   # the most used feature on top
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(_("Tickets"))
        from matplotlib.ticker import FuncFormatter, MaxNLocator
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda v, _pos: language.number(Decimal(repr(float(v))), 0)))
        if len(series) > 1:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        desc = "; ".join(f"{f}: {language.number(Decimal(totals[f]), 0)}" for f in features)
        return svg_document(figure, "chart-usage", _("Tickets per feature"),
                    desc or _("No ticket in the period."))
