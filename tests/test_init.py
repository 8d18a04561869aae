"""`charterc init`: a starter charter that checks clean, in YAML and the DSL, never overwriting."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from charterc.authoring.init import starter_text
from charterc.cli import main
from charterc.pipeline import CheckOptions, check_paths
from charterc.validate.schema import schema_path


def _init(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["init", *args])


def test_yaml_starter_checks_clean(tmp_path, monkeypatch):
    run = _init(tmp_path, monkeypatch)
    assert run.exit_code == 0, run.output
    target = tmp_path / "charters" / "my-service.charter.yaml"
    assert run.output == ("wrote charters/my-service.charter.yaml; check it with: "
                          "charterc check charters/my-service.charter.yaml\n"
                          "wrote schemas/charter.schema.json, the schema its first line names "
                          "for editors (commit it; refresh it with: charterc schema --write "
                          "schemas)\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "  id: my-service " in text and "title: My Service\n" in text
    result = check_paths([target])
    assert result.diagnostics == [] and result.exit_code() == 0
    run = CliRunner().invoke(main, ["check", "--strict", str(target)])
    assert run.exit_code == 0 and run.output == "0 errors, 0 warnings in 1 file\n"


def test_starter_checks_clean_on_other_days(tmp_path):
    for today in (date(2026, 1, 1), date(2027, 12, 31)):
        path = tmp_path / f"s{today.year}.charter.yaml"
        path.write_text(starter_text("svc", folder=tmp_path, today=today), encoding="utf-8")
        assert check_paths([path], CheckOptions(today=today)).diagnostics == []


def test_id_and_explicit_file(tmp_path, monkeypatch):
    run = _init(tmp_path, monkeypatch, "svc/desk", "--id", "it-desk")
    assert run.exit_code == 0, run.output
    text = (tmp_path / "svc" / "desk.charter.yaml").read_text(encoding="utf-8")
    assert "  id: it-desk " in text
    run = CliRunner().invoke(main, ["init", "svc/", "--id", "other"])
    assert run.exit_code == 0 and (tmp_path / "svc" / "other.charter.yaml").is_file()


def test_refuses_to_overwrite(tmp_path, monkeypatch):
    target = tmp_path / "mine.charter.yaml"
    target.write_text("# my work\n", encoding="utf-8")
    run = _init(tmp_path, monkeypatch, "mine.charter.yaml")
    assert run.exit_code == 2
    assert "mine.charter.yaml already exists; charterc init never overwrites a file" in run.output
    assert target.read_text(encoding="utf-8") == "# my work\n"


def test_bad_id_is_a_usage_error(tmp_path, monkeypatch):
    run = _init(tmp_path, monkeypatch, "--id", "Not An Id")
    assert run.exit_code == 2 and "'Not An Id' is not a charter id" in run.output
    assert not (tmp_path / "charters").exists()


def test_modeline_points_at_the_repository_schema(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "charter.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "charters" / "team").mkdir(parents=True)
    text = starter_text("svc", folder=tmp_path / "charters" / "team")
    assert text.splitlines()[0] == \
        "# yaml-language-server: $schema=../../schemas/charter.schema.json"


def test_dsl_starter_checks_clean(tmp_path, monkeypatch):
    run = _init(tmp_path, monkeypatch, "--format", "dsl")
    assert run.exit_code == 0, run.output
    target = tmp_path / "charters" / "my-service.charter"
    assert check_paths([target]).diagnostics == []
    text = target.read_text(encoding="utf-8")
    assert "# business clock: only time inside the tier's hours counts\n  response business" \
        in text
    from charterc.authoring.fmt import format_text
    assert format_text(text, target.name)[0] == text  # already in the canonical layout


def test_init_in_a_repository_without_a_schema_writes_one_at_its_root(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "team").mkdir()
    monkeypatch.chdir(tmp_path / "team")
    run = CliRunner().invoke(main, ["init", "charters/desk.charter.yaml"])
    assert run.exit_code == 0, run.output
    schema = tmp_path / "schemas" / "charter.schema.json"
    assert schema.read_bytes() == Path(schema_path()).read_bytes()
    text = (tmp_path / "team" / "charters" / "desk.charter.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == \
        "# yaml-language-server: $schema=../../schemas/charter.schema.json"
    # the next charter finds it: nothing written again
    run = CliRunner().invoke(main, ["init", "charters/other.charter.yaml"])
    assert run.exit_code == 0 and "schema" not in run.output.split("\n", 1)[1]


def test_init_keeps_the_repository_schema_and_dsl_needs_none(tmp_path, monkeypatch):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "charter.schema.json").write_text("{}", encoding="utf-8")
    run = _init(tmp_path, monkeypatch)
    assert run.exit_code == 0 and run.output.count("wrote ") == 1
    assert (tmp_path / "schemas" / "charter.schema.json").read_text(encoding="utf-8") == "{}"
    other = tmp_path / "elsewhere"
    (other / ".git").mkdir(parents=True)  # another repository, without a schema
    monkeypatch.chdir(other)
    run = CliRunner().invoke(main, ["init", "--format", "dsl"])
    assert run.exit_code == 0 and not (other / "schemas").exists()


def test_schema_write_puts_the_schema_in_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(main, ["schema", "--write"])
    assert run.exit_code == 0 and run.output.startswith("wrote schemas/charter.schema.json; ")
    assert (tmp_path / "schemas" / "charter.schema.json").read_bytes() == \
        Path(schema_path()).read_bytes()
    run = CliRunner().invoke(main, ["schema", "--write", "editor/json"])
    assert run.exit_code == 0 and (tmp_path / "editor" / "json" / "charter.schema.json").is_file()
