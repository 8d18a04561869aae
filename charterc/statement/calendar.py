"""The statement's calendar (`--format ics`): claim deadlines, reviews and notice dates as an
iCalendar file (RFC 5545) a client's team subscribes to. Made with `icalendar` (the
`statement` extra), imported only when a calendar is written.

The bytes are reproducible: every event is a whole day (`DTSTART;VALUE=DATE`), its `UID`
is derived from what it is (kind, charter, client, window or date), so a calendar made
again next month updates the same events instead of adding new ones, and `DTSTAMP` is the
statement's issue date at midnight UTC (`--today`, else `SOURCE_DATE_EPOCH`, else the
clock's date), never the clock's time. Events are sorted by date, kind and charter.
"""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..render.formats import OutputRequestError

__all__ = ["NAMESPACE", "dumps", "require", "uid"]

# UUID5 namespace of the events' UIDs (a fixed, random UUID: never change it, subscribers'
# calendars key their events on it)
NAMESPACE = uuid.UUID("6f1d1c0e-4b7e-5d7a-9a51-3c2f0b8e6a42")
PRODID = "-//charterc//statement//EN"


def require() -> None:
    """OutputRequestError unless icalendar can be imported (the `statement` extra)."""
    try:
        import icalendar  # noqa: F401
    except ImportError:
        raise OutputRequestError("--format ics needs the icalendar package: "
                                 "pip install 'charterc[statement]'") from None


def uid(*parts: str) -> str:
    """A stable UID for an event made of `parts`."""
    return f"{uuid.uuid5(NAMESPACE, '/'.join(parts))}@charterc"


def _summary(event: dict[str, Any], client: str) -> tuple[str, str]:
    """(SUMMARY, DESCRIPTION) of an event, in English."""
    service = event["service"]
    if event["kind"] == "claim":
        window = event["window"]
        return (f"Service credit claim lapses: {service} ({window['from']} to {window['to']})",
                f"Last day for {client} to claim the service credit of "
                f"{event['credit']:.2f} {event['currency']} for the availability window "
                f"{window['from']} to {window['to']} of {service}. Send the claim to "
                f"{event['claim_to']}.")
    if event["kind"] == "review":
        return (f"Charter review due: {service}",
                f"The baseline of {service} is due for review: volumes, needs and prices.")
    renewal = "renewed for the same term" if event.get("renewal") == "auto" else "ended"
    return (f"Last day to give termination notice: {service}",
            f"The term of {service} ends on {event['term_end']}; notice of "
            f"{event['notice']} before it is due by this day, else the agreement is "
            f"{renewal} as its terms say.")


def dumps(document: dict[str, Any]) -> str:
    """The statement's calendar as iCalendar text (CRLF line ends, folded as RFC 5545)."""
    from icalendar import Calendar, Event

    client = ", ".join(document["client"]["names"])
    ident = document["client"]["ids"][0]
    stamp = datetime.combine(date.fromisoformat(document["issued"]), datetime.min.time(),
                             tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Service charters: {client}")
    for event in document["calendar"]:
        day = date.fromisoformat(event["date"])
        key = event["window"]["from"] if event["kind"] == "claim" else event["date"]
        summary, description = _summary(event, client)
        item = Event()
        item.add("uid", uid(event["kind"], event["charter"], ident, key))
        item.add("dtstamp", stamp)
        item.add("dtstart", day)
        item.add("dtend", day + timedelta(days=1))
        item.add("summary", summary)
        item.add("description", description)
        item.add("categories", [event["kind"]])
        item.add("transp", "TRANSPARENT")
        cal.add_component(item)
    text: str = cal.to_ical().decode("utf-8")
    return text
