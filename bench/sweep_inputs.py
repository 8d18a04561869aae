"""The hostile inputs of `bench/sweep.py`: one `Case` per index, drawn from a seeded generator.

A case is a command line, the files it reads (written into an empty folder before it runs),
and the paths it may write. Its text starts from the files charterc bundles (the portfolio's
charters, the DSL examples, the report fixtures and the built-in templates) and is mutated:
truncated, bytes flipped, nested without end, numbers of thousands of digits, dates at and
past the calendar's ends, control characters, wrong types, broken CSV headers and cells,
templates that loop, explode or try to leave the sandbox, and language-server frames with
a wrong Content-Length, broken JSON or unknown methods. `case(seed, index)` depends on
nothing else, so a run is the same whatever the number of workers, and one input can be
run again alone (`python bench/sweep.py --replay INDEX`).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-01"  # the bundled charters are clean on this day

# Commands and how often each is drawn: cheap ones often, rendering ones less.
WEIGHTS = {"check": 27, "convert": 14, "fmt": 12, "build": 15, "report": 12,
           "baseline": 10, "lsp": 10}


@dataclass
class Case:
    """One input: `args` run with `files` written in an empty folder (the working folder)."""

    index: int
    command: str
    args: list[str]
    files: dict[str, bytes]
    what: str                                       # how the input was made, for the listing
    writable: tuple[str, ...] = ("out/",)           # paths (or prefixes) it may write
    frames: list[bytes] = field(default_factory=list)  # lsp: raw bytes sent to the server


def _sources() -> dict[str, list[tuple[str, str]]]:
    def read(pattern: str) -> list[tuple[str, str]]:
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob(pattern))]
    return {"yaml": read("charters/*.charter.yaml") + read("tests/report/*.charter.yaml"),
            "dsl": read("examples/dsl/*.charter"),
            "tickets": read("tests/report/*tickets.csv"),
            "outages": read("tests/report/*outages.csv"),
            "templates": read("charterc/render/templates/*.j2")}


SOURCES = _sources()
REPORT_CHARTER = (ROOT / "tests/report/desk.charter.yaml").read_text(encoding="utf-8")

# -- text mutations ---------------------------------------------------------------------

HUGE_NUMBERS = ("9" * 5000, "1e999", "-1e999", ".nan", "-.inf", "0x7fffffffffffffff", "-0",
                "99999999999999999999999", "1_000_000", "1e-400", "00012", "18446744073709551617")
DATES = ("0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "10000-01-01", "2026-13-01",
         "1969-12-31", "2038-01-19", "-0001-01-01", "2026-1-1")
ODD_TEXT = ("\x00", "\x1b[2J\x1b]0;title\x07", "\x07", "\u202e", "\ufeff", "\u2028", "\r",
            "\t", "\u200b", "e" + "\u0301" * 2000, "\U0001f600", "\udcff", "\x85", "\x9b31m",
            "${HOME}", "{{ 7*7 }}", "<script>alert(1)</script>", "%s%n", "../../etc/passwd",
            "x" * 70000)
WRONG_TYPES = ("[]", "{}", "null", "~", "true", "''", "!!binary aGVsbG8=",
               "!!python/object/apply:os.system ['true']", "&a [*a, *a]", "*nowhere",
               "{<<: *nowhere}", "!!set {a, b}", "!!timestamp 2026-01-01", "[[[[[]]]]]",
               "|\n  a\n b", "? [a]\n: b")
ENDS = ("", "\n", "\r\n", "\x00", "\xff")


def _line_span(rng: random.Random, text: str) -> tuple[int, int]:
    """Start and end of a random line of `text`."""
    if not text:
        return 0, 0
    at = rng.randrange(len(text))
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def truncate(rng: random.Random, text: str) -> str:
    return text[:rng.randrange(len(text) + 1)]


def flip_bytes(rng: random.Random, text: str) -> str:
    data = bytearray(encode(text))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", errors="surrogateescape")


def nest(rng: random.Random, text: str) -> str:
    depth = rng.choice((60, 500, 5000, 100_000))
    opener, closer = rng.choice((("[", "]"), ("{a: ", "}"), ("- ", ""), ("{", "}"), ("(", ")")))
    start, _ = _line_span(rng, text)
    return text[:start] + "deep: " + opener * depth + closer * depth + "\n" + text[start:]


def _replace_match(rng: random.Random, text: str, pattern: str, choices: tuple[str, ...]) -> str:
    matches = list(re.finditer(pattern, text))
    if not matches:
        return text + rng.choice(choices)
    match = rng.choice(matches)
    return text[:match.start()] + rng.choice(choices) + text[match.end():]


def huge_number(rng: random.Random, text: str) -> str:
    return _replace_match(rng, text, r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])", HUGE_NUMBERS)


def odd_date(rng: random.Random, text: str) -> str:
    return _replace_match(rng, text, r"\d{4}-\d{2}-\d{2}", DATES)


def odd_text(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(ODD_TEXT) + text[at:]


def wrong_type(rng: random.Random, text: str) -> str:
    return _replace_match(rng, text, r"(?<=: )[^\n{}\[\],#]+", WRONG_TYPES)


def shuffle_lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        if len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            kind = rng.randrange(3)
            if kind == 0:
                lines[i], lines[j] = lines[j], lines[i]
            elif kind == 1:
                lines.insert(i, lines[j])
            else:
                del lines[i]
    return "\n".join(lines)


def line_endings(rng: random.Random, text: str) -> str:
    return rng.choice(("\ufeff" + text, text.replace("\n", "\r\n"), text.replace("\n", "\r"),
                       text.replace("  ", "\t"), text + rng.choice(ENDS)))


def anchors(rng: random.Random, text: str) -> str:
    """A billion-laughs alias bomb, or an alias cycle."""
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    return rng.choice(("\n".join(bomb) + "\n" + text, "cycle: &c [*c]\n" + text))


TEXT_MUTATIONS = (truncate, flip_bytes, nest, huge_number, odd_date, odd_text, wrong_type,
                  shuffle_lines, line_endings, anchors)


def mutate(rng: random.Random, text: str) -> tuple[str, str]:
    """`text` with one to three mutations, and their names."""
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutation = rng.choice(TEXT_MUTATIONS)
        text = mutation(rng, text)
        names.append(mutation.__name__)
    return text, "+".join(names)


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def _charter(rng: random.Random, syntax: str | None = None) -> tuple[str, str, str]:
    """(file name, mutated text, description) of a bundled charter."""
    syntax = syntax or rng.choice(("yaml", "yaml", "dsl"))
    name, text = rng.choice(SOURCES[syntax])
    if rng.random() < 0.08:
        return name, text, f"{name} as bundled"
    text, what = mutate(rng, text)
    return name, text, f"{name} {what}"


# -- commands -----------------------------------------------------------------------------

def _check(rng: random.Random, index: int) -> Case:
    name, text, what = _charter(rng)
    files = {f"in/{name}": encode(text)}
    if rng.random() < 0.2:  # a second file: the portfolio rules across files
        other, other_text, other_what = _charter(rng)
        files[f"in/b-{other}"] = encode(other_text)
        what += f", b-{other_what}"
    args = ["check", "--today", rng.choice((TODAY,) * 8 + DATES[:2]),
            "--format", rng.choice(("text", "json", "sarif", "github", "parsable"))]
    args += rng.choice((["--no-cache"], ["--no-cache"], ["--cache-dir", "out/cache"]))
    args += rng.choice(([], [], ["--strict"], ["-o", "out/report.txt"], ["--max-bytes", "100"],
                        ["--select", "C4,V5"], ["--level", "C404=error"], ["--color"]))
    args.append(rng.choice(("in", *files)))
    return Case(index, "check", args, files, what)


def _convert(rng: random.Random, index: int) -> Case:
    name, text, what = _charter(rng)
    args = ["convert", f"in/{name}", "--to", rng.choice(("yaml", "dsl"))]
    if rng.random() < 0.3:
        args += ["-o", "out/converted.charter" + (".yaml" if args[-1] == "yaml" else "")]
    return Case(index, "convert", args, {f"in/{name}": encode(text)}, what)


def _fmt(rng: random.Random, index: int) -> Case:
    name, text, what = _charter(rng, "dsl")
    args = ["fmt", *rng.choice(([], ["--check"])), rng.choice(("in", f"in/{name}"))]
    return Case(index, "fmt", args, {f"in/{name}": encode(text)}, what, writable=("out/", "in/"))


HOSTILE_TEMPLATES = (
    ("undefined name", "{{ no_such_name.attr }}"),
    ("undefined call", "{{ nothing() }}"),
    ("unknown filter", "{{ 1 | no_such_filter }}"),
    ("syntax error", "{% for %}"),
    ("unclosed", "{{ charter"),
    ("stray end", "{% endfor %}"),
    ("division by zero", "{{ 1 / 0 }}"),
    ("modulo by zero", "{{ 1 % 0 }}"),
    ("bad subscript", "{{ [][5] }} {{ {}['x'] }}"),
    ("type error", "{{ 1 + 'a' }}"),
    ("int of text", "{{ 'abc' | int }} {{ 'x' | float }} {{ none | length }}"),
    ("format", "{{ '%d' % 'a' }}"),
    ("mro escape", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("globals escape", "{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
    ("lipsum escape", "{{ lipsum.__globals__['os'].system('true') }}"),
    ("context escape", "{{ self._TemplateReference__context }}"),
    ("gettext escape", "{{ _.__globals__ }}"),
    ("attr escape", "{{ ()|attr('__class__')|attr('__base__') }}"),
    ("format escape", "{{ '{0.__class__}'.format(1) }}"),
    ("include missing", "{% include 'no-such-template.j2' %}"),
    ("include path", "{% include '../../../../etc/passwd' %}"),
    ("extends absolute", "{% extends '/etc/passwd' %}"),
    ("include self", "{% include 'SELF' %}"),
    ("recursive macro", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"),
    ("big output", "{% for i in range(2000) %}{{ 'x' * 500 }}{% endfor %}"),
    ("big range", "{{ range(10**12) | list | length }}"),
    ("big string", "{{ 'x' * 10**10 }}"),
    ("big power", "{{ 10 ** 10 ** 7 }}"),
    ("nested loops", "{% for i in range(100000) %}{% for j in range(100000) %}x"
                     "{% endfor %}{% endfor %}"),
    ("invalid utf-8", "\udcff\udcfe{{ 1 }}"),
)
# The templates that loop or explode run to the per-input timeout until rendering is bounded:
# drawn rarely, so that a run stays short either way.
EXPENSIVE = {"big range", "big string", "big power", "nested loops"}
OVERRIDDEN = ("charter.md.j2", "charter.html.j2", "agreement.md.j2", "index.html.j2",
              "_objectives.md.j2", "_layout.html.j2")


def _template(rng: random.Random) -> tuple[str, bytes, str]:
    """(template name, its bytes, description)."""
    target = rng.choice(OVERRIDDEN)
    if rng.random() < 0.3:
        original = dict(SOURCES["templates"]).get(target, "{{ 1 }}")
        text, what = mutate(rng, original)
        return target, encode(text), f"template {target} {what}"
    label, body = rng.choice(HOSTILE_TEMPLATES)
    if label in EXPENSIVE and rng.random() < 0.9:
        label, body = rng.choice([t for t in HOSTILE_TEMPLATES if t[0] not in EXPENSIVE])
    body = body.replace("SELF", target)
    return target, encode(body), f"template {target}: {label}"


def _build(rng: random.Random, index: int) -> Case:
    files: dict[str, bytes] = {}
    args = ["build", "in", "-o", "out/dist", "--today", TODAY,
            "--format", rng.choice(("md", "md", "md", "html", "md,html")),
            "--lang", rng.choice(("en", "en", "fr", "en,fr"))]
    args += ["-j", "1"] if rng.random() < 0.95 else ["-j", rng.choice(("2", "3"))]
    if rng.random() < 0.55:
        name, text = rng.choice(SOURCES["yaml"] + SOURCES["dsl"])
        files[f"in/{name}"] = encode(text)
        target, body, what = _template(rng)
        files[f"tpl/{target}"] = body
        args += ["--templates", "tpl"]
        what = f"{name} as bundled, {what}"
    else:
        name, text, what = _charter(rng)
        files[f"in/{name}"] = encode(text)
    if rng.random() < 0.15:
        args.append("--partial")
    return Case(index, "build", args, files, what)


# -- usage files --------------------------------------------------------------------------

CSV_DATES = ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "2026-02-30T10:00:00Z",
             "yesterday", "1700000000", "2026-10-01T25:61:00", "2026-10-01T10:00:00+25:00",
             "", "NaT", "2026-10-01", "-2026-10-01T00:00:00Z", "2026-10-01T10:00:00.123456789Z")


def _mutate_csv(rng: random.Random, text: str) -> tuple[str, str]:
    lines = text.split("\n")
    header, rows = lines[0].split(","), lines[1:]
    kind = rng.randrange(10)
    if kind == 0:
        header[rng.randrange(len(header))] = rng.choice(
            ("", "id", "opened", "x" * 140_000, "\x1b[31mopened", "\ufeffid", '"a\nb"', "é" * 10))
        what = "odd header"
    elif kind == 1:
        rng.shuffle(header)
        what = "shuffled header"
    elif kind == 2:
        del header[rng.randrange(len(header))]
        what = "header without a column"
    elif kind == 3 and rows:
        row = rng.randrange(len(rows))
        cells = rows[row].split(",")
        cells[rng.randrange(len(cells))] = rng.choice(
            ("x" * 200_000, "\x1b]0;pwn\x07", "\x00", '"unclosed', "P9", "nobody", "-1", "1e999",
             "\u202e", '"a""b"'))
        rows[row] = ",".join(cells)
        what = "odd cell"
    elif kind in (4, 5) and rows:
        row = rng.randrange(len(rows))
        cells = rows[row].split(",")
        date_columns = [i for i, c in enumerate(cells) if re.match(r"\d{4}-", c)] or [0]
        cells[rng.choice(date_columns)] = rng.choice(CSV_DATES)
        rows[row] = ",".join(cells)
        what = "bad date"
    elif kind == 6:
        rows = rows * rng.choice((2, 20, 60))
        what = "many rows"
    elif kind == 7 and rows:  # text that must reach no terminal raw, in any column
        row = rng.randrange(len(rows))
        cells = rows[row].split(",")
        column = rng.randrange(len(cells))
        if "feature" in header and rng.random() < 0.5:  # free text that reaches the charts
            column = header.index("feature")
        cells[min(column, len(cells) - 1)] += rng.choice(
            ("\x1b]0;pwn\x07", "\x1b[2J", "\x07", "\x9b1m", "\x7f"))
        rows[row] = ",".join(cells)
        what = f"control characters in column {column + 1}"
    else:
        text, what = mutate(rng, text)
        return text, what
    return "\n".join([",".join(header), *rows]), what


def _usage(rng: random.Random, index: int, command: str) -> Case:
    ticket_name, tickets = rng.choice(SOURCES["tickets"])
    files = {"in/desk.charter.yaml": encode(REPORT_CHARTER)}
    what = []
    if rng.random() < 0.8:
        tickets, change = _mutate_csv(rng, tickets)
        what.append(f"{ticket_name} {change}")
    else:
        what.append(f"{ticket_name} as bundled")
    files["in/tickets.csv"] = encode(tickets)
    if rng.random() < 0.15:
        _, text, change = _charter(rng, "yaml")
        files["in/desk.charter.yaml"] = encode(text)
        what.append(change)
    args = [command, "in/desk.charter.yaml", "--tickets", "in/tickets.csv", "-o", "out/r"]
    if rng.random() < 0.3:
        outage_name, outages = rng.choice(SOURCES["outages"])
        outages, change = _mutate_csv(rng, outages)
        files["in/outages.csv"] = encode(outages)
        args += ["--outages", "in/outages.csv"]
        what.append(f"{outage_name} {change}")
    if rng.random() < 0.1:
        args += ["--columns", rng.choice(("opened=created_at", "opened=opened,resolved=opened",
                                          "x=y", "=", "opened=\x1b[1m"))]
    return Case(index, command, args, files, ", ".join(what))


def _report(rng: random.Random, index: int) -> Case:
    case = _usage(rng, index, "report")
    # md and html draw charts (a tenth of a second each): json mostly
    case.args += ["--format", "json" if rng.random() < 0.85 else rng.choice(("md", "html,json"))]
    window = rng.random()
    if window < 0.9:
        case.args += ["--period", rng.choice(("2026-10", "2026-10", "2026-11", "2025-01"))]
    elif window < 0.97:
        first, last = rng.choice((("2026-10-01", "2026-10-31"), ("2026-10-31", "2026-10-01"),
                                  ("2026-02-28", "2026-03-01"), ("2026-10-01", "2026-10-01"),
                                  ("1970-01-01", "1970-01-02")))
        case.args += ["--from", first, "--to", last]
    else:  # issue 28, finding 8
        case.args += ["--from", rng.choice(("0001-01-01", "2026-10-01")),
                      "--to", rng.choice(("9999-12-31", "2026-10-31"))]
        case.what += ", calendar ends"
    if rng.random() < 0.1:
        case.args.append("--strict")
    return case


def _baseline(rng: random.Random, index: int) -> Case:
    case = _usage(rng, index, "baseline")
    case.args += ["--format", "json" if rng.random() < 0.7 else rng.choice(("md", "html,json"))]
    window = rng.random()
    if window < 0.97:
        first, last = rng.choice((("2026-01", "2026-12"), ("2026-10", "2026-10"),
                                  ("2026-12", "2026-01"), ("2025-01", "2027-12"),
                                  ("2026-10", "2026-11")))
    else:  # issue 28, finding 8
        first, last = rng.choice((("0001-01", "2026-12"), ("2026-01", "9999-12")))
        case.what += ", calendar ends"
    case.args += ["--from", first, "--to", last]
    if rng.random() < 0.3:
        case.args += ["--write", "out/proposed.charter.yaml"]
    return case


# -- language server frames ---------------------------------------------------------------

URI = "file:///sweep/in/lsp.charter.yaml"


def frame(body: bytes, length: str | None = None) -> bytes:
    """A Content-Length frame around `body` (the length as given, else the right one)."""
    return f"Content-Length: {len(body) if length is None else length}\r\n\r\n".encode() + body


def message(method: str, params: object, ident: object = None) -> bytes:
    payload: dict[str, object] = {"jsonrpc": "2.0", "method": method, "params": params}
    if ident is not None:
        payload["id"] = ident
    return json.dumps(payload).encode("utf-8", errors="surrogateescape")


def _position(rng: random.Random) -> dict[str, int]:
    return {"line": rng.choice((0, 1, 5, 30, 10**6, -1)),
            "character": rng.choice((0, 3, 12, 10**6, -1))}


REQUESTS = ("textDocument/hover", "textDocument/completion", "textDocument/definition",
            "textDocument/references", "textDocument/documentSymbol",
            "textDocument/codeAction", "textDocument/formatting")


def _request(rng: random.Random, ident: int) -> bytes:
    method = rng.choice(REQUESTS)
    params: dict[str, object] = {"textDocument": {"uri": rng.choice((URI, URI, "file:///x"))}}
    if method in ("textDocument/codeAction",):
        params["range"] = {"start": _position(rng), "end": _position(rng)}
        params["context"] = {"diagnostics": []}
    elif method == "textDocument/formatting":
        params["options"] = {"tabSize": 2, "insertSpaces": True}
    elif method != "textDocument/documentSymbol":
        params["position"] = _position(rng)
        if method == "textDocument/references":
            params["context"] = {"includeDeclaration": True}
    return frame(message(method, params, ident))


def _bad_frame(rng: random.Random) -> tuple[bytes, str]:
    body = message("textDocument/hover", {"textDocument": {"uri": URI},
                                          "position": {"line": 0, "character": 0}}, 7)
    kind = rng.randrange(6)
    if kind == 0:  # issue 28, finding 5
        length = rng.choice((str(len(body) + 1), str(len(body) - 1), "0", "-1", "abc", "",
                             "99999999999", str(2**64), "1e3", " 12 "))
        return frame(body, length), f"Content-Length {length!r} for {len(body)} bytes"
    if kind == 1:
        broken = rng.choice((body[:-3], b"{", b"[]", b"42", b'"x"', b"null", b"\xff\xfe{}",
                             b'{"jsonrpc": "2.0", "id": 3}', body.replace(b"2.0", b"1.0")))
        return frame(broken), f"body {broken[:30]!r}"
    if kind == 2:
        method = rng.choice(("no/such", "$/no-such", "textDocument/noSuch", "", "initialize"))
        return frame(message(method, {}, rng.choice((None, 9)))), f"method {method!r}"
    if kind == 3:
        ident = rng.choice(({"a": 1}, [1], 1.5, 10**30, None, True, ""))
        params = rng.choice(("text", [1, 2], None, {"textDocument": 5}))
        return (frame(json.dumps({"jsonrpc": "2.0", "id": ident, "method":
                                  "textDocument/hover", "params": params}).encode()),
                f"id {ident!r} params {params!r}")
    if kind == 4:
        headers = rng.choice((b"", b"Content-Type: text/plain\r\n\r\n",
                              b"content-length: 2\r\n\r\n{}",
                              b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                              b"Content-Length: 2\n\n{}", b"\r\n\r\n"))
        return headers, f"headers {headers[:30]!r}"
    change = {"textDocument": {"uri": rng.choice((URI, "file:///unopened.charter")),
                               "version": rng.choice((2, -1, 10**20))},
              "contentChanges": [{"range": {"start": _position(rng), "end": _position(rng)},
                                  "text": rng.choice(ODD_TEXT)}]}
    return frame(message("textDocument/didChange", change)), "didChange out of range"


def _lsp(rng: random.Random, index: int) -> Case:
    frames, what = [], []
    if rng.random() < 0.6:
        _, text, change = _charter(rng, "yaml")
        frames.append(frame(message("textDocument/didOpen", {"textDocument": {
            "uri": URI, "languageId": "yaml", "version": 1, "text": text}})))
        what.append(f"didOpen {change}")
        for ident in range(rng.randint(1, 3)):
            frames.append(_request(rng, 100 + ident))
    if rng.random() < 0.5 or not frames:
        bad, description = _bad_frame(rng)
        frames.append(bad)
        what.append(description)
    frames.append(frame(message("textDocument/didClose", {"textDocument": {"uri": URI}})))
    return Case(index, "lsp", ["lsp"], {}, "; ".join(what), writable=(), frames=frames)


GENERATORS = {"check": _check, "convert": _convert, "fmt": _fmt, "build": _build,
              "report": _report, "baseline": _baseline, "lsp": _lsp}


def case(seed: int, index: int) -> Case:
    """The input `index` of the sweep seeded with `seed`."""
    rng = random.Random(f"{seed}:{index}")
    command = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    return GENERATORS[command](rng, index)
