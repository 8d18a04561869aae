"""The `charterc` program (and `python -m charterc`): the CLI, in a short-lived process.

The garbage collector is tuned here, in the program, and nowhere else: a library user's
(or the tests') collector is left as it was. A command's first tens of milliseconds only
create objects that live until it exits (modules, classes, click's commands): the cyclic
collector would walk them again and again and free nothing, a twentieth of a one-file
check's CPU. So the collector is off while the CLI's modules are imported; everything they
made is then frozen out of later collections (a build's forked workers inherit it frozen
too), and the command runs with a young generation of 10,000 objects instead of 700.
"""
from __future__ import annotations

import gc

# A command allocates in bursts (a charter's document, model and findings; a document's
# view and text): a young generation of 10,000 objects collects cycles a little later and
# walks the young objects a fourteenth as often (about 5 ms of a one-file check). The
# checks, builds and reports of 1,000-client charters gain nothing more from pausing the
# collector per file or per document, or freezing their heap (docs/build.md).
THRESHOLDS = (10_000, 10, 10)


def tune_collector() -> None:
    """The collector as the program runs a command, once its modules are imported: what
    exists now frozen, the young generation larger (benchmarks call it to measure that)."""
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def run(argv: list[str] | None = None) -> None:
    """Run the `charterc` command line on `argv` (default: the process's arguments)."""
    collecting = gc.isenabled()
    gc.disable()
    from .cli import main

    tune_collector()
    if collecting:
        gc.enable()
    main(args=argv, prog_name="charterc")


if __name__ == "__main__":
    run()
