"""Baseline charts, inline SVG, drawn as the report's are (`render/report/charts.py`: matplotlib
from the optional extra `charterc[reports]`, deterministic bytes, a title and a description
in words): volume stated, observed and proposed per client, and per client a heat map of
the tickets opened outside its tier's hours by weekday and hour in its own zone."""
from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..report.charts import (
    PALETTE,
    ChartsUnavailable,
    drawing,
    format_axis,
    svg_document,
    unavailable,
)

if TYPE_CHECKING:
    from ..i18n import Formatter

__all__ = ["ChartsUnavailable", "heat_chart", "unavailable", "volume_chart"]


def volume_chart(rows: Sequence[tuple[str, Decimal | None, Decimal, Decimal | None]],
                 language: Formatter) -> str:
    """Units a year per client: `rows` of (name, stated, observed, proposed)."""
    _ = language.gettext
    series: tuple[tuple[Literal[1, 2, 3], str], ...] = (
        (1, _("In the charter")), (2, _("Observed, a year")), (3, _("Proposed")))
    width = 0.26
    with drawing() as (figure, ax):
        for i, (k, label) in enumerate(series):
            xs = [n + (i - 1) * width for n in range(len(rows))]
            shown = [r[k] for r in rows]
            values = [float(v) if v is not None else 0.0 for v in shown]
            ax.bar(xs, values, width=width, label=label, color=PALETTE[i])
        ax.set_xticks(range(len(rows)), [textwrap.fill(r[0], 16) for r in rows],
                      fontsize=8 if len(rows) > 4 else None)
        ax.set_ylabel(_("Tickets a year"))
        format_axis(ax, lambda v: language.number(v, 0))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        desc = "; ".join(
            f"{r[0]}: " + ", ".join(f"{label} {language.number(v, 0)}"
                                    for k, label in series if (v := r[k]) is not None)
            for r in rows)
        return svg_document(figure, "chart-volume",
                            _("Volume a year: stated, observed, proposed"), desc)


def heat_chart(name: str, key: str, grid: Sequence[Sequence[int]], zone: str,
               language: Formatter) -> str:
    """Tickets outside the tier's hours: weekdays (rows, Monday first) by hour (columns)."""
    _ = language.gettext
    days = [language.day_names[d] for d in range(7)]
    with drawing() as (figure, ax):
        image = ax.imshow([list(row) for row in grid], aspect="auto", cmap="Blues",
                          interpolation="nearest")
        ax.grid(False)
        ax.set_yticks(range(7), days)
        ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
        ax.set_xlabel(_("Hour opened, in %(zone)s") % {"zone": zone})
        ax.set_title(name, loc="left", fontsize=9)
        colorbar = figure.colorbar(image, ax=ax)
        colorbar.set_label(_("Tickets"))
        cells = sorted(((n, d, h) for d, row in enumerate(grid) for h, n in enumerate(row) if n),
                       key=lambda c: (-c[0], c[1], c[2]))[:5]
        desc = "; ".join(f"{days[d]} {h:02d}:00: {language.number(Decimal(n), 0)}"
                         for n, d, h in cells)
        return svg_document(figure, f"chart-hours-{key}",
                    _("%(client)s: tickets outside its tier's hours") % {"client": name},
                    desc or _("No ticket outside the tier's hours."))


def missing() -> str | None:
    return unavailable()
