"""Canonical document -> `.charter` text in the canonical layout (docs/dsl.md).

One statement per line, in a fixed order: the `charter` line and the metadata, then
provider, period, baseline and business, the costs, the features and priorities, one
block per tier and per client, governance and reporting, and the security block; a
blank line between groups. Within a statement, positional values come first (as far as
they are present, in order), then keyword clauses in the order of spec section 3.

A plain word is written bare only when it reads back as the same string: it is not a
keyword of its statement, and YAML 1.2 would not take it for a number, a boolean or
null. Everything else is quoted, so `"1.10"` stays a string and `1.1` a float.

`lines(document)` gives `(depth, text, pointer)` per line, the pointer naming what the
statement sets; `charterc fmt` uses it to put comments back above their statements.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..loaders.dsl import rule_keywords
from ..loaders.scalars import resolve_plain
from ..model.charter import OBJECTIVE_KEYS
from . import Document, Unrepresentable, literal

__all__ = ["dump", "lines", "scalar"]

_WORD = re.compile(r'[^\s"#{}\[\],]+\Z')
_DAYS = re.compile(r"(?:daily|[A-Za-z]{3}(?:-[A-Za-z]{3})?(?:,[A-Za-z]{3}(?:-[A-Za-z]{3})?)*)\Z")
_TIME = re.compile(r"[0-9]{1,2}:[0-9]{2}\Z")
_SCALARS = (str, int, float, bool, type(None))

Line = tuple[int, str, str]
Keywords = frozenset[str]


def dump(document: Document) -> str:
    """The document as `.charter` text; raises `Unrepresentable` for what the DSL cannot say."""
    return "".join("  " * depth + text + "\n" if text else "\n"
                   for depth, text, _ in lines(document))


def quote(text: str) -> str:
    """A double-quoted DSL string (JSON escapes; non-printable characters escaped)."""
    out = json.dumps(text, ensure_ascii=False)
    if out.isprintable():
        return out
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in out)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _bare(text: str, reserved: Keywords) -> bool:
    """Whether `text` lexes as one plain word that is not a keyword of its statement."""
    return bool(_WORD.match(text)) and text.isprintable() and text not in reserved


def scalar(value: object, reserved: Keywords = frozenset(), pointer: str = "") -> str:
    """One value as a DSL word: bare when it reads back identical, else quoted."""
    if (written := literal(value)) is not None:
        return written
    if type(value) is str:
        if _bare(value, reserved) and type(resolve_plain(value)) is str:
            return value
        return quote(value)
    raise Unrepresentable(pointer, f"expected a single value, found {type(value).__name__}")


def _key(text: str, reserved: Keywords) -> str:
    """A mapping key (priority names): read raw, so only keywords and odd text need quotes."""
    return text if _bare(text, reserved) else quote(text)


class _Writer:
    """Builds the lines; one method per statement, named after it."""

    def __init__(self) -> None:
        self.out: list[Line] = []
        self.depth = 0
        self.unit: str | None = None  # business.unit, for `price 35 per ticket`

    # -- helpers ---------------------------------------------------------------------

    def emit(self, pointer: str, *parts: str) -> None:
        self.out.append((self.depth, " ".join(p for p in parts if p), pointer))

    def blank(self) -> None:
        if self.out and self.out[-1][1]:
            self.out.append((0, "", ""))

    @staticmethod
    def mapping(value: object, pointer: str, allowed: tuple[str, ...]) -> Document:
        if type(value) is not dict:
            raise Unrepresentable(pointer, f"expected a mapping, found {type(value).__name__}")
        extra = [k for k in value if k not in allowed]
        if extra:
            raise Unrepresentable(f"{pointer}/{extra[0]}", f"`{extra[0]}` is not a field here")
        return value

    @staticmethod
    def items(value: object, pointer: str) -> list[Any]:
        if type(value) is not list:
            raise Unrepresentable(pointer, f"expected a list, found {type(value).__name__}")
        return value

    def values(self, value: object, pointer: str, reserved: Keywords, sep: str = ", ") -> str:
        items = self.items(value, pointer)
        if not items:
            return "[]"
        return sep.join(scalar(v, reserved, f"{pointer}/{i}") for i, v in enumerate(items))

    @staticmethod
    def clauses(mapping: Document, pointer: str, reserved: Keywords,
                spec: Iterable[tuple[str, str]]) -> list[str]:
        """`(key, keyword)` pairs -> `keyword value` texts for the keys present."""
        return [f"{word} {scalar(mapping[key], reserved, f'{pointer}/{key}')}"
                for key, word in spec if key in mapping]

    @staticmethod
    def positional(mapping: Document, pointer: str, reserved: Keywords,
                   names: Sequence[str]) -> tuple[list[str], int]:
        """Values of the leading `names` present, in order: (texts, how many)."""
        texts: list[str] = []
        for name in names:
            if name not in mapping:
                break
            texts.append(scalar(mapping[name], reserved, f"{pointer}/{name}"))
        return texts, len(texts)

    def require(self, mapping: Document, pointer: str, *names: str) -> None:
        for name in names:
            if name not in mapping:
                raise Unrepresentable(pointer, f"the DSL needs `{name}` here")

    # -- the document ------------------------------------------------------------------

    def document(self, doc: object) -> list[Line]:
        doc = self.mapping(doc, "", _TOP)
        self.require(doc, "", "apiVersion", "kind", "metadata")
        business = doc.get("business")
        if type(business) is dict and type(business.get("unit")) is str:
            self.unit = business["unit"]
        self.metadata(doc)
        self.blank()
        for key in ("provider", "period", "baseline", "business"):
            if key in doc:
                getattr(self, key)(doc[key], f"/{key}")
        self.blank()
        self.each(doc, "", "costs", self.cost)
        self.blank()
        self.each(doc, "", "features", self.feature)
        if "priorities" in doc:
            kw = rule_keywords()["priorities"]
            items = self.items(doc["priorities"], "/priorities")
            ids = [p.get("id") if type(p) is dict else p for p in items]
            self.emit("/priorities", "priorities", self.values(ids, "/priorities", kw, " "))
            for index, item in enumerate(items):
                if type(item) is dict:
                    self.priority(item, f"/priorities/{index}")
        for key, write in (("tiers", self.tier), ("clients", self.client)):
            self.blank()
            self.each(doc, "", key, write, spaced=True)
        self.blank()
        if "governance" in doc:
            self.governance(doc["governance"], "/governance")
        if "reporting" in doc:
            self.reporting(doc["reporting"], "/reporting")
        if "security" in doc:
            self.blank()
            self.security(doc["security"], "/security")
        if "terms" in doc:
            self.blank()
            self.terms(doc["terms"], "/terms")
        while self.out and not self.out[-1][1]:
            self.out.pop()
        return self.out

    def each(self, mapping: Document, base: str, key: str, write: Callable[[object, str], None],
             spaced: bool = False) -> None:
        """One statement per item of a list, or `key []` for an empty list."""
        if key not in mapping:
            return
        pointer = f"{base}/{key}"
        items = self.items(mapping[key], pointer)
        if not items:
            self.emit(pointer, key, "[]")
        for index, item in enumerate(items):
            if spaced:
                self.blank()
            write(item, f"{pointer}/{index}")

    def metadata(self, doc: Document) -> None:
        meta = self.mapping(doc["metadata"], "/metadata", _METADATA)
        self.require(meta, "/metadata", "id")
        kw = rule_keywords()["charter"]
        parts = ["charter", scalar(meta["id"], kw, "/metadata/id")]
        done = {"id"}
        if "title" in meta:
            parts.append(scalar(meta["title"], kw, "/metadata/title"))
            done.add("title")
            if "version" in meta:
                parts += ["version", scalar(meta["version"], kw, "/metadata/version")]
                done.add("version")
                if "status" in meta:
                    parts.append(scalar(meta["status"], kw, "/metadata/status"))
                    done.add("status")
        self.emit("/metadata/id", *parts)
        kw = rule_keywords()["meta"]
        for key, default in (("apiVersion", "charterc/v1"), ("kind", "Charter")):
            if type(doc[key]) is not str or doc[key] != default:
                self.emit(f"/{key}", key, scalar(doc[key], kw, f"/{key}"))
        for key in ("title", "version", "status", "owner"):
            if key in meta and key not in done:
                self.emit(f"/metadata/{key}", key, scalar(meta[key], kw, f"/metadata/{key}"))
        self.each(meta, "/metadata", "suppress", self.suppress)
        self.each(meta, "/metadata", "changes", self.change)
        self.each(meta, "/metadata", "signatories", self.signatory)

    def suppress(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, ("rule", "reason"))
        self.require(item, pointer, "rule")
        texts, _ = self.positional(item, pointer, rule_keywords()["suppress"], ("rule", "reason"))
        self.emit(pointer, "suppress", *texts)

    def change(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, ("version", "date", "summary"))
        texts, count = self.positional(item, pointer, rule_keywords()["change"],
                                       ("version", "date", "summary"))
        if count < len(item):
            raise Unrepresentable(pointer, "the DSL writes a change as `change VERSION DATE "
                                  "SUMMARY`: a later field without an earlier one cannot be said")
        self.emit(pointer, "change", *texts)

    def signatory(self, item: object, pointer: str, rule: str = "signatory") -> None:
        item = self.mapping(item, pointer, ("name", "role", "party"))
        self.require(item, pointer, "name")
        kw = rule_keywords()[rule]
        self.emit(pointer, "signatory", scalar(item["name"], kw, f"{pointer}/name"),
                  *self.clauses(item, pointer, kw, (("role", "role"), ("party", "party"))))

    # -- provider, term, business ------------------------------------------------------

    def provider(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("name", "timezone", "holidays"))
        kw = rule_keywords()["provider"]
        parts = ["provider"]
        if "name" in value:
            parts.append(scalar(value["name"], kw, f"{pointer}/name"))
        parts += self.clauses(value, pointer, kw, (("timezone", "timezone"),))
        if "holidays" in value:
            parts.append(self.holidays(value["holidays"], f"{pointer}/holidays", kw))
        self.emit(pointer, *parts)

    def holidays(self, value: object, pointer: str, kw: Keywords) -> str:
        if type(value) is not dict:
            return f"holidays {scalar(value, kw, pointer)}"
        value = self.mapping(value, pointer, ("country", "subdivision", "extra", "remove"))
        parts = ["holidays"]
        parts += self.clauses(value, pointer, kw,
                              (("country", "country"), ("subdivision", "subdivision")))
        for key in ("extra", "remove"):
            if key in value:
                parts += [key, self.values(value[key], f"{pointer}/{key}", kw)]
        return " ".join(parts)

    def period(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("start", "years", "end"))
        kw = rule_keywords()["period"]
        parts = ["period", *self.clauses(value, pointer, kw, (("start", "from"),))]
        if "years" in value:
            years = value["years"]
            parts += ["for", scalar(years, kw, f"{pointer}/years"),
                      "year" if years == 1 and type(years) is int else "years"]
        parts += self.clauses(value, pointer, kw, (("end", "until"),))
        self.emit(pointer, *parts)

    def baseline(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("reviewed", "every"))
        kw = rule_keywords()["baseline"]
        self.emit(pointer, "baseline", *self.clauses(
            value, pointer, kw, (("reviewed", "reviewed"), ("every", "every"))))

    def business(self, value: object, pointer: str) -> None:
        names = ("stance", "charging", "unit", "currency")
        value = self.mapping(value, pointer, (*names, "cap", "recovery"))
        kw = rule_keywords()["business"]
        texts, count = self.positional(value, pointer, kw, names)
        parts = ["business", *texts]
        parts += self.clauses(value, pointer, kw, [(n, n) for n in names[count:]])
        if "cap" in value:
            cap = self.mapping(value["cap"], f"{pointer}/cap", ("units", "cost"))
            items = [f"{scalar(cap[k], kw, f'{pointer}/cap/{k}')} {k}"
                     for k in ("units", "cost") if k in cap]
            parts += ["ceiling", ", ".join(items)]
        if "recovery" in value:
            recovery = self.mapping(value["recovery"], f"{pointer}/recovery",
                                    ("target", "tolerance"))
            parts.append("recovery")
            if "target" in recovery:
                parts.append(scalar(recovery["target"], kw, f"{pointer}/recovery/target"))
            if "tolerance" in recovery:
                parts += ["+-", scalar(recovery["tolerance"], kw,
                                       f"{pointer}/recovery/tolerance")]
        self.emit(pointer, *parts)

    def cost(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, ("id", "amount", "growth", "feature"))
        self.require(item, pointer, "id")
        kw = rule_keywords()["cost"]
        texts, _ = self.positional(item, pointer, kw, ("id", "amount"))
        self.emit(pointer, "cost", *texts, *self.clauses(
            item, pointer, kw, (("growth", "growing"), ("feature", "for"))))

    def feature(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, ("id", "name", "aliases"))
        self.require(item, pointer, "id")
        kw = rule_keywords()["feature"]
        texts = [scalar(item["id"], kw, f"{pointer}/id")]
        if "name" in item:
            texts.append(self.text(item["name"], f"{pointer}/name", kw))
        if "aliases" in item:
            texts += ["aliases", self.values(item["aliases"], f"{pointer}/aliases", kw)]
        self.emit(pointer, "feature", *texts)

    def priority(self, item: Document, pointer: str) -> None:
        """`priority P1 name ... means ...`: a priority written as a map (spec 8.2)."""
        item = self.mapping(item, pointer, ("id", "name", "means"))
        self.require(item, pointer, "id")
        kw = rule_keywords()["priority"]
        parts = ["priority", scalar(item["id"], kw, f"{pointer}/id")]
        for key in ("name", "means"):
            if key in item:
                parts += [key, self.text(item[key], f"{pointer}/{key}", kw)]
        self.emit(pointer, *parts)

    # -- tiers -------------------------------------------------------------------------

    def block(self, keyword: str, head: list[str], pointer: str,
              body: Callable[[], None]) -> None:
        """`keyword head... {` body `}`, or the head alone when the body is empty."""
        start = len(self.out)
        self.depth += 1
        body()
        self.depth -= 1
        if len(self.out) == start:
            self.emit(pointer, keyword, *head)
            return
        self.out.insert(start, (self.depth, " ".join([keyword, *head, "{"]), pointer))
        self.out.append((self.depth, "}", pointer + "/}"))

    def tier(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, _TIER)
        self.require(item, pointer, "id")
        kw = rule_keywords()["tier"]
        texts = [scalar(item["id"], kw, f"{pointer}/id")]
        if "name" in item:
            texts.append(self.text(item["name"], f"{pointer}/name", kw))

        def body() -> None:
            if "features" in item:
                self.emit(f"{pointer}/features", "features", self.values(
                    item["features"], f"{pointer}/features", rule_keywords()["tier_features"]))
            if "hours" in item:
                self.hours("hours", item["hours"], f"{pointer}/hours", "hours")
            if "objectives" in item:
                self.objectives(item["objectives"], f"{pointer}/objectives")
            if "maintenance" in item:
                self.hours("maintenance", item["maintenance"], f"{pointer}/maintenance",
                           "maintenance")
            if "price" in item:
                self.price(item["price"], f"{pointer}/price")
            if "credits" in item:
                self.credit(item["credits"], f"{pointer}/credits")
        self.block("tier", texts, pointer, body)

    def hours(self, keyword: str, value: object, pointer: str, rule: str,
              prefix: tuple[str, ...] = ()) -> None:
        kw = rule_keywords()[rule]
        self.emit(pointer, *prefix, keyword, self.hours_value(value, pointer, kw))

    def hours_value(self, value: object, pointer: str, kw: Keywords) -> str:
        if type(value) is str:
            return value if value == "24x7" else quote(value)
        value = self.mapping(value, pointer, ("schedule", "timezone", "holidays"))
        parts = []
        ranges = False
        if "schedule" in value:
            entries = self.items(value["schedule"], f"{pointer}/schedule")
            if entries:
                parts.append(", ".join(self.range(entry, f"{pointer}/schedule/{i}", kw)
                                       for i, entry in enumerate(entries)))
                ranges = True
            else:
                parts.append("schedule []")
        if "timezone" in value:
            zone = scalar(value["timezone"], kw, f"{pointer}/timezone")
            parts.append(zone if ranges else f"timezone {zone}")
        if "holidays" in value:
            parts.append(self.holidays(value["holidays"], f"{pointer}/holidays", kw))
        return " ".join(parts)

    def range(self, entry: object, pointer: str, kw: Keywords) -> str:
        entry = self.mapping(entry, pointer, ("days", "from", "to"))
        self.require(entry, pointer, "days", "from", "to")
        days, start, end = entry["days"], entry["from"], entry["to"]
        if type(days) is str and _DAYS.match(days):
            text = days
        else:
            text = f"days {scalar(days, kw, pointer + '/days')}"
        if type(start) is str and type(end) is str and _TIME.match(start) and _TIME.match(end):
            return f"{text} {start}-{end}"
        return (f"{text} from {scalar(start, kw, pointer + '/from')} "
                f"to {scalar(end, kw, pointer + '/to')}")

    def objectives(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("availability", "response", "resolution"))
        if not value:
            self.emit(pointer, "objectives")
        if "availability" in value:
            self.availability(value["availability"], f"{pointer}/availability")
        for key in ("response", "resolution"):
            if key in value:
                self.ticket_objective(key, value[key], f"{pointer}/{key}")

    def availability(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("target", "window", "measured_by"))
        kw = rule_keywords()["availability"]
        texts, count = self.positional(value, pointer, kw, ("target", "window"))
        parts = ["availability", *texts]
        if count == 0 and "window" in value:
            parts += self.clauses(value, pointer, kw, (("window", "window"),))
        parts += self.clauses(value, pointer, kw, (("measured_by", "measured by"),))
        self.emit(pointer, *parts)

    def ticket_objective(self, keyword: str, value: object, pointer: str) -> None:
        if type(value) is not dict:
            raise Unrepresentable(pointer, "expected a mapping")
        kw = rule_keywords()["ticket_objective"]
        parts = [keyword]
        if "clock" in value:
            clock = value["clock"]
            parts.append(clock if clock in ("business", "calendar") else
                         f"clock {scalar(clock, kw, pointer + '/clock')}")
        targets = [f"{_key(k, kw)} {scalar(v, kw, f'{pointer}/{k}')}" for k, v in value.items()
                   if k not in OBJECTIVE_KEYS]
        if targets:
            parts.append(", ".join(targets))
        parts += self.clauses(value, pointer, kw,
                              (("attainment", "attainment"), ("measured_by", "measured by")))
        if "pause_on" in value:
            parts += ["paused on", self.values(value["pause_on"], f"{pointer}/pause_on", kw)]
        self.emit(pointer, *parts)

    def price(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("per_unit", "fixed", "indexation"))
        kw = rule_keywords()["price"]
        parts = ["price"]
        if "per_unit" in value:
            unit = self.unit
            if unit is None or not _bare(unit, kw):
                unit = "unit"
            parts += [scalar(value["per_unit"], kw, f"{pointer}/per_unit"), "per", unit]
        parts += self.clauses(value, pointer, kw, (("fixed", "fixed"), ("indexation", "indexed")))
        self.emit(pointer, *parts)

    def credit(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("bands", "cap", "response", "resolution"))
        kw = rule_keywords()["credit"]
        parts = ["credit"]

        def bands(listed: object, where: str) -> str:
            written = []
            for index, band in enumerate(self.items(listed, where)):
                here = f"{where}/{index}"
                band = self.mapping(band, here, ("below", "credit"))
                self.require(band, here, "below", "credit")
                written.append(f"below {scalar(band['below'], kw, here + '/below')} "
                               f"{scalar(band['credit'], kw, here + '/credit')}")
            return ", ".join(written) if written else "[]"

        if "bands" in value:
            parts.append(bands(value["bands"], f"{pointer}/bands"))
        parts += self.clauses(value, pointer, kw, (("cap", "cap"),))
        for kind in ("response", "resolution"):
            if kind in value:
                where = f"{pointer}/{kind}"
                ticket = self.mapping(value[kind], where, ("bands",))
                self.require(ticket, where, "bands")
                parts += [kind, bands(ticket["bands"], f"{where}/bands")]
        self.emit(pointer, *parts)

    # -- clients -----------------------------------------------------------------------

    def client(self, item: object, pointer: str) -> None:
        item = self.mapping(item, pointer, _CLIENT)
        self.require(item, pointer, "id")
        keywords = rule_keywords()
        texts, _ = self.positional(item, pointer, keywords["client"], ("id", "name"))

        def simple(key: str, rule: str, word: str) -> None:
            if key in item:
                self.emit(f"{pointer}/{key}", word,
                          scalar(item[key], keywords[rule], f"{pointer}/{key}"))

        def body() -> None:
            simple("tier", "client_tier", "tier")
            if "aliases" in item:
                self.emit(f"{pointer}/aliases", "aliases", self.values(
                    item["aliases"], f"{pointer}/aliases", keywords["aliases"]))
            simple("share", "share", "share")
            if "volume" in item:
                self.volume(item["volume"], f"{pointer}/volume")
            simple("budget", "budget", "budget")
            if "needs" in item:
                self.needs(item["needs"], f"{pointer}/needs")
            if "regions" in item:
                self.emit(f"{pointer}/regions", "regions", self.values(
                    item["regions"], f"{pointer}/regions", keywords["regions"]))
            if "data" in item:
                self.data(item["data"], f"{pointer}/data")
            if "reporting" in item:
                self.reporting(item["reporting"], f"{pointer}/reporting")
            if "signatory" in item:
                self.signatory(item["signatory"], f"{pointer}/signatory", "client_signatory")
            simple("timezone", "timezone", "timezone")
        self.block("client", texts, pointer, body)

    def volume(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("units", "growth"))
        kw = rule_keywords()["volume"]
        texts, _ = self.positional(value, pointer, kw, ("units",))
        self.emit(pointer, "volume", *texts,
                  *self.clauses(value, pointer, kw, (("growth", "growing"),)))

    def needs(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("hours", "features"))
        if not value:
            self.emit(pointer, "needs")
        if "hours" in value:
            self.hours("hours", value["hours"], f"{pointer}/hours", "needs", ("needs",))
        if "features" in value:
            self.emit(f"{pointer}/features", "needs", "features", self.values(
                value["features"], f"{pointer}/features", rule_keywords()["needs"]))

    def data(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("classification", "personal", "regimes"))
        kw = rule_keywords()["data"]
        parts = ["data"]
        if "classification" in value:
            parts.append(scalar(value["classification"], kw, f"{pointer}/classification"))
        if "personal" in value:
            flag = value["personal"]
            if type(flag) is not bool:
                raise Unrepresentable(f"{pointer}/personal", "the DSL writes `personal` or "
                                      "`non-personal`: expected true or false")
            parts.append("personal" if flag else "non-personal")
            if "regimes" in value:
                parts.append(self.values(value["regimes"], f"{pointer}/regimes", kw))
        elif "regimes" in value:
            parts += ["regimes", self.values(value["regimes"], f"{pointer}/regimes", kw)]
        self.emit(pointer, *parts)

    # -- governance, reporting, security -----------------------------------------------

    def governance(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("primary_threshold", "approval", "change_notice"))
        kw = rule_keywords()["governance"]
        self.emit(pointer, "governance", *self.clauses(value, pointer, kw, (
            ("primary_threshold", "threshold"), ("approval", "approval"),
            ("change_notice", "notice"))))

    def reporting(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, ("cadence", "metrics", "to"))
        kw = rule_keywords()["reporting"]
        parts = ["reporting"]
        if "cadence" in value:
            parts.append(scalar(value["cadence"], kw, f"{pointer}/cadence"))
        for key in ("metrics", "to"):
            if key in value:
                parts += [key, self.values(value[key], f"{pointer}/{key}", kw)]
        self.emit(pointer, *parts)

    def security(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, _SECURITY)
        keywords = rule_keywords()

        def simple(key: str, word: str, rule: str) -> None:
            if key in value:
                self.emit(f"{pointer}/{key}", word,
                          scalar(value[key], keywords[rule], f"{pointer}/{key}"))

        def listed(key: str) -> None:
            if key in value:
                self.emit(f"{pointer}/{key}", key,
                          self.values(value[key], f"{pointer}/{key}", keywords[key]))

        def body() -> None:
            simple("classification", "classification", "classification")
            simple("isolation", "isolation", "isolation")
            listed("residency")
            listed("controls")
            simple("breach_notification", "breach notification", "breach_notification")
            if "subprocessors" in value:
                items = self.items(value["subprocessors"], f"{pointer}/subprocessors")
                if not items:
                    self.emit(f"{pointer}/subprocessors", "subprocessors", "[]")
                for index, item in enumerate(items):
                    where = f"{pointer}/subprocessors/{index}"
                    item = self.mapping(item, where, ("name", "country"))
                    self.require(item, where, "name")
                    texts, _ = self.positional(item, where, keywords["subprocessor"],
                                               ("name", "country"))
                    self.emit(where, "subprocessor", *texts)
            simple("transfers", "transfers", "transfers")
            simple("retention", "retention", "retention")
            if "exit" in value:
                exit_ = self.mapping(value["exit"], f"{pointer}/exit", ("return", "delete"))
                self.emit(f"{pointer}/exit", "exit", *self.clauses(
                    exit_, f"{pointer}/exit", keywords["exit"],
                    (("return", "return"), ("delete", "delete"))))
        self.block("security", [], pointer, body)

    # -- terms -------------------------------------------------------------------------

    def text(self, value: object, pointer: str, reserved: Keywords) -> str:
        """Free text: one value, or `en "..." fr "..."` for a map of language -> text."""
        if type(value) is not dict:
            return scalar(value, reserved, pointer)
        if not value:
            raise Unrepresentable(pointer, "the DSL cannot write an empty map of texts")
        return " ".join(f"{_key(k, reserved)} {scalar(v, reserved, f'{pointer}/{k}')}"
                        for k, v in value.items())

    def terms(self, value: object, pointer: str) -> None:
        value = self.mapping(value, pointer, _TERMS)
        keywords = rule_keywords()

        def simple(key: str, word: str) -> None:
            if key in value:
                self.emit(f"{pointer}/{key}", word,
                          scalar(value[key], keywords[key], f"{pointer}/{key}"))

        def body() -> None:
            simple("effective", "effective")
            simple("renewal", "renewal")
            simple("termination_notice", "termination notice")
            if "credits" in value:
                where = f"{pointer}/credits"
                credits = self.mapping(value["credits"], where,
                                       ("claim_within", "applied", "remedy", "claim_to",
                                        "answer_within"))
                self.emit(where, "credits", *self.clauses(
                    credits, where, keywords["terms_credits"],
                    (("claim_within", "claimed within"), ("applied", "applied"),
                     ("remedy", "remedy"), ("claim_to", "claims to"),
                     ("answer_within", "answered within"))))
            if "exclusions" in value:
                self.emit(f"{pointer}/exclusions", "exclusions", self.values(
                    value["exclusions"], f"{pointer}/exclusions", keywords["exclusions"]))
            if "client_obligations" in value:
                where = f"{pointer}/client_obligations"
                items = self.items(value["client_obligations"], where)
                if not items:
                    self.emit(where, "obligations", "[]")
                for index, item in enumerate(items):
                    self.emit(f"{where}/{index}", "obligation",
                              self.text(item, f"{where}/{index}", keywords["obligation"]))
            if "escalation" in value:
                where = f"{pointer}/escalation"
                items = self.items(value["escalation"], where)
                if not items:
                    self.emit(where, "escalation", "[]")
                kw = keywords["escalation"]
                for index, item in enumerate(items):
                    here = f"{where}/{index}"
                    item = self.mapping(item, here, ("level", "role", "contact", "within"))
                    self.require(item, here, "level", "role")
                    self.emit(here, "escalation", scalar(item["level"], kw, f"{here}/level"),
                              self.text(item["role"], f"{here}/role", kw),
                              *self.clauses(item, here, kw,
                                            (("contact", "contact"), ("within", "within"))))
            if "disputes" in value:
                self.emit(f"{pointer}/disputes", "disputes", self.text(
                    value["disputes"], f"{pointer}/disputes", keywords["disputes"]))
            self.terms_82(value, pointer)
        self.block("terms", [], pointer, body)

    def terms_82(self, value: Document, pointer: str) -> None:
        """The `terms` keys of spec section 8.2: invoicing, liability, law, courts, notices."""
        keywords = rule_keywords()
        if "invoicing" in value:
            where = f"{pointer}/invoicing"
            invoicing = self.mapping(value["invoicing"], where,
                                     ("every", "payment_days", "true_up"))
            parts = self.clauses(invoicing, where, keywords["invoicing"],
                                 (("every", "every"), ("payment_days", "payment"),
                                  ("true_up", "true-up")))
            self.emit(where, "invoicing", *[f"{p} days" if p.startswith("payment ") else p
                                            for p in parts])
        if "liability" in value:
            where = f"{pointer}/liability"
            liability = self.mapping(value["liability"], where, ("cap",))
            self.emit(where, "liability", *self.clauses(
                liability, where, keywords["liability"], (("cap", "cap"),)))
        for key in ("law", "jurisdiction"):
            if key in value:
                self.emit(f"{pointer}/{key}", key, self.text(
                    value[key], f"{pointer}/{key}", keywords[key]))
        if "notices" in value:
            where = f"{pointer}/notices"
            notices = self.mapping(value["notices"], where, ("provider",))
            self.require(notices, where, "provider")
            self.emit(where, "notices", *self.clauses(
                notices, where, keywords["notices"], (("provider", "provider"),)))


_TOP = ("apiVersion", "kind", "metadata", "provider", "period", "baseline", "business", "costs",
        "features", "priorities", "tiers", "clients", "governance", "reporting", "security",
        "terms")
_METADATA = ("id", "title", "version", "status", "owner", "suppress", "changes", "signatories")
_TIER = ("id", "name", "features", "hours", "objectives", "maintenance", "price", "credits")
_CLIENT = ("id", "name", "aliases", "tier", "share", "volume", "budget", "needs", "regions", "data",
           "reporting", "signatory", "timezone")
_SECURITY = ("classification", "isolation", "residency", "controls", "breach_notification",
             "subprocessors", "transfers", "retention", "exit")
_TERMS = ("effective", "renewal", "termination_notice", "credits", "exclusions",
          "client_obligations", "escalation", "disputes", "invoicing", "liability", "law",
          "jurisdiction", "notices")


def lines(document: Document) -> list[Line]:
    """`(depth, text, pointer)` per line of the canonical layout; blank lines have text ''."""
    return _Writer().document(document)
