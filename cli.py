"""budgetkg command line: a thin layer over the library.

Library errors (``kg.errors.BudgetKGError``) become one-line messages here and nowhere
else; exit status 0 = ok, 1 = some input failed or nothing found, 2 = usage error.
Defaults and choices come from the settings table (``kg.settings``). The subcommands live
in ``budgetkg_cli``, one module per group, each adding its own parsers.
"""
from __future__ import annotations

import argparse
import os
import sys

from budgetkg_cli import ingest, maintenance, pages, queries, reading
from kg.errors import BudgetKGError
from kg.filenames import show_in_streams

EXAMPLES = """例 (examples):
  budgetkg ingest examples/ --store .budgetkg
  budgetkg ask "哪些项目执行率低于60%" --store .budgetkg
  budgetkg search "合同纠纷没有付款" --store .budgetkg -k 5
  budgetkg sparql "SELECT ?p WHERE { ?p a bkg:Project } LIMIT 5" --store .budgetkg
  budgetkg trace 晋财社〔2019〕1号 --store .budgetkg
  budgetkg extract report.pdf --json
"""

GROUPS = (reading, ingest, queries, maintenance, pages)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetkg", description="预算公开/决算公开 知识图谱与语义检索 "
                                     "(knowledge graph and semantic search over budget disclosures)",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    show_in_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except BudgetKGError as err:
        print(f"错误 (error): {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except KeyboardInterrupt:
        print("已中断 (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
