"""Options of the web server shared by ``budgetkg serve`` and ``python -m search.web`` (no heavy imports)."""
from __future__ import annotations

import argparse
import os
import sys

from kg.graph.federation import add_allow_service_option


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """The options ``budgetkg serve`` and ``python -m search.web`` share."""
    parser.add_argument("--host", default="127.0.0.1", help="监听地址 (address to listen on) [默认 127.0.0.1]")
    parser.add_argument("--port", type=int, default=8000, help="端口，0 = 任选空闲端口 (port; 0 = any free port) "
                                                               "[默认 8000]")
    parser.add_argument("--update-token", help="允许带 Authorization: Bearer TOKEN 的 SPARQL 更新，不给则只读；最好用环境变量 "
                                               "BUDGETKG_UPDATE_TOKEN 给出，免得出现在进程列表里 (allow SPARQL updates "
                                               "with this bearer token; prefer the environment variable)")
    add_allow_service_option(parser)
    parser.add_argument("--host-name", action="append", metavar="NAME",
                        help="Host 请求头可用的名字（可重复）；默认只有 localhost、127.0.0.1、::1 和监听地址 (a name the "
                             "Host header may carry, repeatable; default: loopback names and the listen address)")


def token_from(args) -> str | None:
    """``--update-token`` (with a warning: it shows in the process list), else ``BUDGETKG_UPDATE_TOKEN``."""
    if args.update_token:
        print("提示：--update-token 会出现在进程列表中，建议改用环境变量 BUDGETKG_UPDATE_TOKEN (note: the token shows "
              "in the process list; prefer BUDGETKG_UPDATE_TOKEN)", file=sys.stderr)
        return args.update_token
    return os.environ.get("BUDGETKG_UPDATE_TOKEN") or None


__all__ = ["add_server_options", "token_from"]
