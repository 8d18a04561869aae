"""`charterc release` (spec section 13): a temporary git repository with two tags, between
which one client's service level changes (tests/release/: two small charters), released
as the documented workflow (docs/ci.md) and the command do it: the documents, the notes
(version change, semver verdict, each client's change, unchanged charters), the client
bundles, SHA256SUMS, G706, PAdES signatures with a key made here, reproducible bytes."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from charterc.cli import main

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "release"
GIT = shutil.which("git")
pytestmark = [pytest.mark.skipif(GIT is None, reason="git is not installed"),
              pytest.mark.filterwarnings("ignore:DSA is deprecated")]

# between the tags: the Premium tier (second-client only) answers P1 in 1h instead of 30m
LOOSER = ("response: {clock: business, P1: 30m, P2: 2h, P3: 1d, measured_by: itsm}",
          "response: {clock: business, P1: 1h, P2: 2h, P3: 1d, measured_by: itsm}")


def _git(repo: Path, *args: str, when: str = "2026-11-15T10:00:00Z") -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True,
        env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
             "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
             "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
             "HOME": str(repo), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    return done.stdout


def _repository(root: Path, version: str = "2.0.0") -> Path:
    """charters/alpha and charters/beta tagged v1; then alpha's Premium P1 response
    loosened, alpha at `version`, tagged v2 (the working tree is v2)."""
    repo = root / "repo"
    charters = repo / "charters"
    charters.mkdir(parents=True)
    for fixture in FIXTURES.glob("*.charter.yaml"):
        shutil.copy(fixture, charters / fixture.name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first release")
    _git(repo, "tag", "v1")
    alpha = charters / "alpha.charter.yaml"
    text = alpha.read_text(encoding="utf-8")
    changed = text.replace(*LOOSER).replace("version: 1.0.0\n", f"version: {version}\n")
    assert changed.count("P1: 1h") == text.count("P1: 1h") + 1 and version in changed
    alpha.write_text(changed, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "Premium P1 answered within the hour",
         when="2026-11-20T10:00:00Z")
    _git(repo, "tag", "v2")
    return repo


def _release(repo: Path, monkeypatch, *args: str):
    monkeypatch.chdir(repo)
    return CliRunner().invoke(main, ["release", "charters", "--since", "v1", *args])


def _sums_pass(folder: Path) -> None:
    """`sha256sum -c SHA256SUMS` in `folder` passes, and lists every file but itself."""
    listed = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, path = re.fullmatch(r"([0-9a-f]{64})  (\S.*)", line).groups()
        listed[path] = digest
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(listed) == present - {"SHA256SUMS"}
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _section(notes: str, heading: str) -> str:
    """The text of the `## ...` section whose heading starts with `heading`."""
    parts = re.split(r"^## ", notes, flags=re.MULTILINE)
    (found,) = [p for p in parts if p.startswith(heading)]
    return found


# -- acceptance: documents, notes, unchanged charters, SHA256SUMS ----------------------------

@pytest.fixture
def released(tmp_path, monkeypatch):
    repo = _repository(tmp_path)
    run = _release(repo, monkeypatch, "-o", "out", "--format", "md,html")
    return repo, run


def test_release_between_two_tags_writes_documents_notes_and_checksums(released):
    repo, run = released
    assert run.exit_code == 0, run.output + run.stderr
    out = repo / "out"
    for cid in ("alpha", "beta"):
        for name in ("charter.en.md", "charter.en.html", "sla.json", "openslo.yaml",
                     "agreements/first-client.en.md", "agreements/second-client.en.html"):
            assert (out / cid / name).is_file(), f"{cid}/{name}"
    assert (out / "index.html").is_file() and (out / "manifest.json").is_file()
    notes = (out / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert "since `v1`" in notes
    alpha = _section(notes, "`alpha`")
    assert "1.0.0 -> 2.0.0" in alpha                       # its version change
    assert "Semver verdict: **major**" in alpha            # the diff's verdict
    assert "2.0.0 is a major bump" in alpha and "G706" not in alpha
    client = alpha.split("### Second Client (`second-client`)", 1)[1]
    assert "**weakening** (major): response P1: 30m" in client and "-> 1h" in client
    assert "`clients/second-client.zip`" in client
    assert "first-client" not in alpha                     # its service level did not change
    unchanged = _section(notes, "Unchanged")
    assert "`beta` Beta 1.2.0: unchanged" in unchanged
    assert "Signatures: none" in notes                     # without --sign, the notes say so
    _sums_pass(out)


def test_a_commitment_changed_without_the_major_bump_fails_and_the_notes_say_why(
        tmp_path, monkeypatch):
    repo = _repository(tmp_path, version="1.1.0")
    run = _release(repo, monkeypatch, "-o", "out", "--format", "md")
    assert run.exit_code == 1, run.output + run.stderr
    assert "G706" in run.output and "the release fails" in run.stderr
    notes = (repo / "out" / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert "This release fails (exit 1)" in notes
    alpha = _section(notes, "`alpha`")
    assert "1.0.0 -> 1.1.0" in alpha and "❌" in alpha
    assert "the changes require a major bump; 1.0.0 -> 1.1.0 is a minor bump" in alpha
    assert "**G706**" in alpha and "response P1 (second-client): weakening" in alpha
    assert "set metadata.version to 2.0.0" in alpha
    _sums_pass(repo / "out")


def test_each_client_bundle_holds_only_its_documents_and_sla_slice(released):
    repo, run = released
    assert run.exit_code == 0, run.output
    out = repo / "out"
    assert sorted(p.name for p in (out / "clients").iterdir()) == [
        "first-client.zip", "second-client.zip"]
    for client, other in (("first-client", "second-client"), ("second-client", "first-client")):
        with zipfile.ZipFile(out / "clients" / f"{client}.zip") as archive:
            names = sorted(archive.namelist())
            assert names == sorted([f"{cid}/{client}.en.{ext}" for cid in ("alpha", "beta")
                                    for ext in ("html", "md")]
                                   + ["alpha/sla.json", "beta/sla.json"])
            assert not any(other in name for name in names)
            for cid in ("alpha", "beta"):
                for ext in ("html", "md"):   # the documents as released, naming no other
                    document = archive.read(f"{cid}/{client}.en.{ext}")
                    assert document == \
                        (out / cid / "agreements" / f"{client}.en.{ext}").read_bytes()
                    assert other.encode() not in document
                    assert other.replace("-", " ").title().encode() not in document
                sla = json.loads(archive.read(f"{cid}/sla.json"))
                whole = json.loads((out / cid / "sla.json").read_bytes())
                assert sla["entries"] and {e["client"] for e in sla["entries"]} == {client}
                assert sla["entries"] == [e for e in whole["entries"] if e["client"] == client]
                assert {k: v for k, v in sla.items() if k != "entries"} == \
                    {k: v for k, v in whole.items() if k != "entries"}
                assert other not in json.dumps(sla)
                _sla_schema_accepts(sla)


def _sla_schema_accepts(document: dict) -> None:
    import jsonschema

    from charterc.export.sla import schema_path
    jsonschema.validate(document, json.loads(schema_path().read_text(encoding="utf-8")))


def test_the_same_tag_gives_the_same_bytes_and_progress_goes_to_stderr(released, monkeypatch):
    repo, first = released
    assert first.exit_code == 0
    assert "charterc release: comparing" in first.stderr
    assert "charterc release: compiled alpha" in first.stderr       # each charter built
    assert "charterc release: bundling clients/first-client.zip" in first.stderr
    assert "charterc release:" not in first.stdout
    again = _release(repo, monkeypatch, "-o", "again", "--format", "md,html")
    assert again.exit_code == 0
    assert (repo / "again" / "SHA256SUMS").read_bytes() == \
        (repo / "out" / "SHA256SUMS").read_bytes()
    # into the previous release: replaced in place; a stranger's folder is refused
    assert _release(repo, monkeypatch, "-o", "out", "--format", "md").exit_code == 0
    assert not list((repo / "out").rglob("*.en.html"))
    _sums_pass(repo / "out")
    (repo / "mine").mkdir()
    (repo / "mine" / "notes.txt").write_text("mine\n")
    refused = _release(repo, monkeypatch, "-o", "mine", "--format", "md")
    assert refused.exit_code == 2 and "no previous release" in refused.stderr
    unknown = CliRunner().invoke(main, ["release", "charters", "--since", "v9", "-o", "x"])
    assert unknown.exit_code == 2 and "neither a file, a folder nor a git revision" in \
        unknown.stderr


# -- signatures ---------------------------------------------------------------------------

def _key(folder: Path, password: bytes) -> tuple[Path, bytes]:
    """A PKCS#12 file holding a new EC key and its self-signed certificate; the
    certificate's DER."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Shared Services")])
    start = datetime.now(UTC) - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = folder / "sign.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"provider", key, cert, None, serialization.BestAvailableEncryption(password)))
    return path, cert.public_bytes(serialization.Encoding.DER)


def _needs_pdf_and_sign() -> None:
    from charterc.extras import missing
    from charterc.render.pdf import PdfProblem, available
    try:
        available()
    except PdfProblem as exc:
        pytest.skip(str(exc))
    if missing("sign"):
        pytest.skip("the sign extra (pyHanko) is not installed")


def _declares_pdfa_3b(xmp: bytes) -> bool:
    text = xmp.decode("utf-8", "replace")
    part = re.search(r'pdfaid:part(?:="|>)\s*3\b', text)
    conformance = re.search(r'pdfaid:conformance(?:="|>)\s*B\b', text)
    return bool(part and conformance)


def _xmp(data: bytes) -> bytes:
    """The PDF's XMP metadata stream, decoded (empty when it has none)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    root = PdfFileReader(io.BytesIO(data)).root
    return root["/Metadata"].get_object().data if "/Metadata" in root else b""


def _validate(data: bytes, certificate: bytes) -> tuple[object, object]:
    """pyHanko's status of the PDF's one signature, and the reader."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"   # PAdES baseline
    context = ValidationContext(trust_roots=[asn1_x509.Certificate.load(certificate)])
    return validate_pdf_signature(signature, context), reader


def test_signing_keeps_a_pdfa_3b_declaration(tmp_path):
    """The signature is an incremental update: the PDF/A-3b file as it was, then the
    signature; its XMP still declares PDF/A-3b, and pyHanko finds the signature intact."""
    _needs_pdf_and_sign()
    from charterc.release.sign import load_signer

    # WeasyPrint's own PDF/A-3b, made in another process: this one's fonts stay untouched
    # for the PDF tests that may run after it in the same worker
    unsigned = subprocess.run(
        [sys.executable, "-c", "import sys, weasyprint; sys.stdout.buffer.write(weasyprint.HTML("
         "string='<html lang=en><title>t</title><p>Agreed.</p></html>')"
         ".write_pdf(pdf_variant='pdf/a-3b'))"],
        check=True, capture_output=True, timeout=300).stdout
    assert _declares_pdfa_3b(_xmp(unsigned))
    key, certificate = _key(tmp_path, b"secret")
    signed = load_signer(key, "secret").sign(unsigned, "t.pdf")
    assert signed.startswith(unsigned)
    status, reader = _validate(signed, certificate)
    assert status.intact and status.valid
    assert _declares_pdfa_3b(reader.root["/Metadata"].get_object().data)
    # the metadata as the build wrote it: XMP and Info still agree (PDF/A)
    assert _xmp(signed) == _xmp(unsigned)
    producer = str(reader.trailer["/Info"].get_object()["/Producer"])
    assert producer.startswith("WeasyPrint") and "pyHanko" not in producer


@pytest.fixture(scope="module")
def workflow(tmp_path_factory):
    """The release workflow's `Release` step (docs/ci.md), as written, run with bash in the
    temporary repository at tag v2, with a signing key made here."""
    _needs_pdf_and_sign()
    root = tmp_path_factory.mktemp("workflow")
    repo = _repository(root)
    runner = root / "runner"
    runner.mkdir()
    key, certificate = _key(runner, b"provider-secret")
    step = _workflow_step("Release")
    # the step's env as GitHub evaluates it with both secrets set ("Signing key" wrote the key)
    assert "--sign={0}/sign.p12" in step["env"]["SIGN"]
    env = {**os.environ, "GITHUB_REF_NAME": "v2", "RUNNER_TEMP": str(runner),
           "CHARTERC_SIGN_PASSWORD": "provider-secret", "SIGN": f"--sign={key}"}
    env.pop("SOURCE_DATE_EPOCH", None)
    # `charterc` on PATH is this checkout's, run by this interpreter
    shim = runner / "bin" / "charterc"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m charterc "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env["PATH"] = f"{shim.parent}:{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=900)
    return repo, done, certificate


def _workflow() -> dict:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text.split("## Release workflow", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml.safe_load(block)


def _workflow_step(name: str) -> dict:
    (steps,) = [job["steps"] for job in _workflow()["jobs"].values()]
    (step,) = [s for s in steps if s.get("name") == name]
    return step


def test_docs_show_the_release_workflow_and_the_action_has_a_release_mode():
    workflow = _workflow()
    assert workflow[True]["push"]["tags"] == ["v*"]   # `on:` is YAML 1.1's true
    step = _workflow_step("Release")["run"]
    lines = [line for line in step.splitlines() if line.strip()]
    assert lines[0].startswith("charterc release charters --since ")   # only charterc
    assert lines[1] == "cd release && sha256sum -c SHA256SUMS"
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["mode"]["default"] == "check"
    (release,) = [s for s in action["runs"]["steps"] if s.get("name") == "Release"]
    assert release["if"] == "inputs.mode == 'release'"
    assert release["run"].startswith("charterc release $PATHS --since ")
    assert "sha256sum -c SHA256SUMS" in release["run"]
    for other in ("Write SARIF", "Check charters"):
        (step_,) = [s for s in action["runs"]["steps"] if s.get("name") == other]
        assert "inputs.mode != 'release'" in step_["if"]


def test_the_workflow_step_releases_the_tag(workflow):
    repo, done, _ = workflow
    assert done.returncode == 0, done.stdout + done.stderr
    out = repo / "release"
    notes = (out / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    alpha = _section(notes, "`alpha`")
    assert "1.0.0 -> 2.0.0" in alpha and "**major**" in alpha and "second-client" in alpha
    assert "`beta` Beta 1.2.0: unchanged" in _section(notes, "Unchanged")
    assert "dated 2026-11-20" in notes                         # the tag's commit date
    for lang in ("en", "fr"):
        assert (out / "alpha" / f"charter.{lang}.pdf").is_file()
        assert (out / "beta" / "agreements" / f"first-client.{lang}.md").is_file()
    _sums_pass(out)


def test_every_pdf_carries_an_intact_pades_signature(workflow):
    repo, done, certificate = workflow
    assert done.returncode == 0, done.stderr
    out = repo / "release"
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) == 12    # 2 charters x (charter + 2 agreements) x en, fr
    for pdf in pdfs:
        data = pdf.read_bytes()
        status, reader = _validate(data, certificate)
        assert status.intact and status.valid, pdf
        # an incremental update: the PDF as built is revision 0, kept whole, and what it
        # declared of itself (PDF/A-3b, spec 8.2) it still declares
        assert reader.xrefs.total_revisions == 2
        end = data.index(b"%%EOF") + len(b"%%EOF")
        built = data[:end + 1] if data[end:end + 1] == b"\n" else data[:end]
        assert _xmp(data) == _xmp(built), pdf
        xmp = _xmp(data).decode("utf-8")
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp, pdf
    assert "Signatures: every PDF carries a PAdES signature by" in \
        (out / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "clients" / "first-client.zip") as archive:
        assert sorted(archive.namelist()) == sorted(
            [f"{cid}/first-client.{lang}.{ext}" for cid in ("alpha", "beta")
             for lang in ("en", "fr") for ext in ("md", "html", "pdf")]
            + ["alpha/sla.json", "beta/sla.json"])
        bundled = archive.read("alpha/first-client.fr.pdf")
    # the signed PDF, as released
    assert bundled == (out / "alpha" / "agreements" / "first-client.fr.pdf").read_bytes()


def test_a_key_that_does_not_load_stops_the_release_before_anything_is_built(
        tmp_path, monkeypatch):
    from charterc.extras import missing
    if missing("sign"):
        pytest.skip("the sign extra (pyHanko) is not installed")
    repo = _repository(tmp_path)
    key, _ = _key(tmp_path, b"right")
    monkeypatch.setenv("CHARTERC_SIGN_PASSWORD", "wrong")
    run = _release(repo, monkeypatch, "-o", "out", "--format", "md", "--sign", str(key))
    assert run.exit_code == 2 and "cannot read a PKCS#12 key" in run.stderr
    assert "CHARTERC_SIGN_PASSWORD" in run.stderr and "Traceback" not in run.output
    assert not (repo / "out").exists()
    run = _release(repo, monkeypatch, "-o", "out", "--sign", str(tmp_path / "none.p12"))
    assert run.exit_code == 2 and "no such file" in run.stderr


def test_a_charter_with_errors_stops_the_release_and_writes_nothing(tmp_path, monkeypatch):
    repo = _repository(tmp_path)
    beta = repo / "charters" / "beta.charter.yaml"
    beta.write_text(beta.read_text(encoding="utf-8").replace("tier: standard", "tier: gold", 1),
                    encoding="utf-8")
    run = _release(repo, monkeypatch, "-o", "out", "--format", "md")
    assert run.exit_code == 1 and "R301" in run.output
    assert "nothing written" in run.stderr and not (repo / "out").exists()


def test_the_actions_release_mode_runs_the_same_release(workflow):
    """action.yml's `Release` step (mode: release), as written, in the same repository:
    since the previous tag, unsigned without a key, checksums checked by the step."""
    repo, done, _ = workflow
    assert done.returncode == 0, done.stderr
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == "Release"]
    env = {**os.environ, "PATHS": "charters", "SINCE": "", "OUTPUT": "action-release",
           "LANGS": "en", "KEY": "", "CHARTERC_SIGN_PASSWORD": "", "PYTHONPATH": str(ROOT),
           "PATH": f"{repo.parent / 'runner' / 'bin'}:{os.environ.get('PATH', '')}"}
    env.pop("SOURCE_DATE_EPOCH", None)
    run = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=repo,
                         env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    out = repo / "action-release"
    notes = (out / "RELEASE-NOTES.md").read_text(encoding="utf-8")
    assert "since `v1`" in notes and "1.0.0 -> 2.0.0" in _section(notes, "`alpha`")
    assert "Signatures: none" in notes
    assert sorted(p.name for p in (out / "clients").iterdir()) == [
        "first-client.zip", "second-client.zip"]
    assert len(list(out.rglob("*.pdf"))) == 6
    _sums_pass(out)
