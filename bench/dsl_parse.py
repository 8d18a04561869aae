"""Bench: load a large `.charter` file with the DSL loader against PyYAML's C loader.

Builds a charter of 1,000 clients from the bundled IT service desk example, writes it
as DSL and as YAML with charterc's writers, then times (best of N, same run):

- charterc.loaders.dsl.load_text on the DSL text (document + source map + checks);
- yaml.load(..., Loader=yaml.CSafeLoader) on the YAML twin (a bare document, no positions).

The last line is `ratio: X.XX` (DSL time / CSafeLoader time); the target is <= 3.

    python bench/dsl_parse.py [--clients 1000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

import yaml

from charterc.authoring import dsl as dsl_writer
from charterc.authoring import yaml as yaml_writer
from charterc.loaders import load_path
from charterc.loaders.dsl import load_text, parser

ROOT = Path(__file__).resolve().parent.parent


def big_charter(clients: int) -> dict:
    document = load_path(ROOT / "charters" / "it-service-desk.charter.yaml").document
    models = document["clients"]
    document["clients"] = []
    for index in range(clients):
        client = copy.deepcopy(models[index % len(models)])
        client["id"] = f"client-{index}"
        client["name"] = f"Client number {index}"
        document["clients"].append(client)
    return document


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--clients", type=int, default=1000)
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()

    document = big_charter(args.clients)
    dsl_text = dsl_writer.dump(document)
    yaml_text = yaml_writer.dump(document)
    loaded = load_text(dsl_text, "big.charter")
    assert loaded.diagnostics == [] and loaded.document == document
    assert yaml.load(yaml_text, Loader=yaml.CSafeLoader)["clients"][-1]["id"] == \
        document["clients"][-1]["id"]
    parser()  # built once per process: not part of a load

    dsl_time = best(lambda: load_text(dsl_text, "big.charter"), args.repeat)
    yaml_time = best(lambda: yaml.load(yaml_text, Loader=yaml.CSafeLoader), args.repeat)
    print(f"clients: {args.clients:,}; DSL {len(dsl_text):,} bytes, YAML {len(yaml_text):,} bytes")
    print(f"dsl loader:        {dsl_time * 1000:8.1f} ms")
    print(f"yaml CSafeLoader:  {yaml_time * 1000:8.1f} ms")
    print(f"ratio: {dsl_time / yaml_time:.2f}")


if __name__ == "__main__":
    main()
