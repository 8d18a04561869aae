"""`aliases` of clients and features (spec sections 8.2 and 9.2): the other spellings of a
name in ITSM exports, in the schema, the DSL, `fmt`, `convert` and the editor's completion."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from charterc.authoring import dsl as dsl_writer
from charterc.authoring import yaml as yaml_writer
from charterc.authoring.fmt import format_text
from charterc.cli import main
from charterc.loaders import dsl as dsl_loader
from charterc.loaders import load_path
from charterc.loaders import yaml as yaml_loader
from charterc.lsp.analysis import analyse
from charterc.lsp.completion import complete
from charterc.model.charter import build_model
from charterc.pipeline import CheckOptions

ROOT = Path(__file__).resolve().parent.parent
IT = ROOT / "charters" / "it-service-desk.charter.yaml"


def with_aliases() -> str:
    text = IT.read_text(encoding="utf-8")
    text = text.replace("  - {id: incident, name: Incident management}",
                        '  - {id: incident, name: Incident management, aliases: [Incident, '
                        '"IT Incident", aliases]}')
    return text.replace("    name: Group Finance\n", "    name: Group Finance\n"
                        '    aliases: ["ACME Group Finance SAS", GRPFIN]\n')


def test_aliases_are_in_the_schema_and_the_model(tmp_path):
    good = tmp_path / "good" / "it.charter.yaml"
    good.parent.mkdir()
    good.write_text(with_aliases(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(good.parent), "--today", "2026-12-04"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad" / "it.charter.yaml"
    bad.parent.mkdir()
    bad.write_text(with_aliases().replace('["ACME Group Finance SAS", GRPFIN]', "GRPFIN"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bad.parent), "--today", "2026-12-04"])
    assert result.exit_code == 1 and "aliases" in result.output
    loaded = yaml_loader.load_text(with_aliases(), "it.charter.yaml")
    charter = build_model(loaded.document)
    assert charter.clients[0].aliases == ("ACME Group Finance SAS", "GRPFIN")
    assert charter.features[0].aliases == ("Incident", "IT Incident", "aliases")
    assert charter.clients[1].aliases == () and charter.features[1].aliases == ()


def test_the_dsl_says_aliases_and_convert_round_trips_them():
    document = yaml_loader.load_text(with_aliases(), "it.charter.yaml").document
    text = dsl_writer.dump(document)
    assert 'feature incident "Incident management" aliases Incident, "IT Incident", ' \
           '"aliases"\n' in text
    assert '  aliases "ACME Group Finance SAS", GRPFIN\n' in text
    loaded = dsl_loader.load_text(text, "it.charter")
    assert loaded.diagnostics == []
    assert loaded.document == document
    assert yaml_loader.load_text(yaml_writer.dump(loaded.document), "x.charter.yaml"
                                 ).document == document
    assert format_text(text, "it.charter") == (text, [])
    # written by hand, in a client's block, anywhere among its statements
    hand = text.replace('  aliases "ACME Group Finance SAS", GRPFIN\n', "").replace(
        "  signatory \"Amelia Hart\"", '  aliases "ACME Group Finance SAS" GRPFIN\n'
        "  signatory \"Amelia Hart\"")
    assert dsl_loader.load_text(hand, "it.charter").document == document
    assert format_text(hand, "it.charter")[0] == text


def test_completion_offers_aliases_in_yaml_and_in_the_dsl():
    options = CheckOptions(today=date(2026, 12, 4))
    yaml_text = with_aliases().replace('    aliases: ["ACME Group Finance SAS", GRPFIN]\n',
                                       "    ali\n")
    lines = yaml_text.splitlines()
    line = lines.index("    ali")
    items, _ = complete(analyse("u", str(IT), yaml_text, options), line, len("    ali"))
    assert [i.label for i in items] == ["aliases"]
    document = yaml_loader.load_text(with_aliases(), "it.charter.yaml").document
    dsl_text = dsl_writer.dump(document)
    lines = dsl_text.splitlines()
    line = lines.index('  aliases "ACME Group Finance SAS", GRPFIN')
    lines[line] = "  ali"
    edited = "\n".join(lines) + "\n"
    analysis = analyse("u", "/tmp/it.charter", edited, options)
    items, _ = complete(analysis, line, len("  ali"))
    assert [i.label for i in items] == ["aliases"]
    feature = next(n for n, t in enumerate(lines) if t.startswith("feature requests"))
    lines[feature] = 'feature requests "Service requests" al'
    analysis = analyse("u", "/tmp/it.charter", "\n".join(lines) + "\n", options)
    items, _ = complete(analysis, feature, len(lines[feature]))
    assert [i.label for i in items] == ["aliases"]
    # an id offered shows its name and its aliases
    lines = dsl_text.splitlines()
    analysis = analyse("u", "/tmp/it.charter", dsl_text, options)
    needs = next(n for n, t in enumerate(lines) if t.startswith("  needs features"))
    items, _ = complete(analysis, needs, len(lines[needs]) - len("weekend"))
    detail = {i.label: i.detail for i in items}
    assert detail["incident"] == "Incident management (also Incident, IT Incident, aliases)"


def test_the_bundled_charters_load_unchanged():
    for path in sorted((ROOT / "charters").glob("*.charter.yaml")):
        charter = build_model(load_path(path).document)
        assert all(c.aliases == () for c in charter.clients)
