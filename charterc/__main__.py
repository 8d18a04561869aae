"""The `charterc` program (and `python -m charterc`): the CLI, in a short-lived process.

A command's first tens of milliseconds only create objects that live until it exits
(modules, classes, click's commands): the cyclic collector would walk them again and again
and free nothing, a twentieth of a one-file check's CPU. So the collector is off while the
CLI's modules are imported; everything they made is then frozen out of later collections,
and the collector runs for the command with a larger young generation. This is done here,
in the program, not when `charterc.cli` is imported: a library user's (or the tests')
collector is left as it was.
"""
from __future__ import annotations

import gc


def run(argv: list[str] | None = None) -> None:
    """Run the `charterc` command line on `argv` (default: the process's arguments)."""
    collecting = gc.isenabled()
    gc.disable()
    from .cli import main

    gc.freeze()
    # a command allocates in bursts (a charter's model and checks, a report's rows): a young
    # generation of 10,000 objects instead of 700 collects cycles a little later and walks
    # the young objects a fourteenth as often (about 5 ms of a one-file check)
    gc.set_threshold(10_000, 10, 10)
    if collecting:
        gc.enable()
    main(args=argv, prog_name="charterc")


if __name__ == "__main__":
    run()
