"""``python -m search.web --store DIR [--host H] [--port P] [--update-token T] [--query-timeout S]``

The same server as ``budgetkg serve``; the token may also come from BUDGETKG_UPDATE_TOKEN
(so it does not show in the process list).
"""
from __future__ import annotations

import argparse
import os
import sys

from kg.errors import BudgetKGError
from kg.settings import resolve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.web", description="budgetkg 网页服务 (web server)")
    parser.add_argument("--store", help="存储目录 (store folder)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="端口，0 = 任选空闲端口 (0 = any free port)")
    parser.add_argument("--update-token", help="允许带此令牌的 SPARQL 更新 (allow updates with this bearer token)")
    parser.add_argument("--query-timeout", type=float, help="查询超时秒数 (query timeout, seconds)")
    parser.add_argument("--workers", type=int, help="SPARQL 查询进程数 (SPARQL query processes)")
    parser.add_argument("--max-request-bytes", type=int, default=1024 * 1024)
    parser.add_argument("--api-concurrency", type=int, help="同时处理的问答/检索请求数 (ask/search/trace requests "
                                                            "run at once; default: the number of cores)")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-access-log", action="store_true")
    args = parser.parse_args(argv)
    from search.web.app import serve

    try:
        serve(resolve("store", args.store), host=args.host, port=args.port,
              token=args.update_token or os.environ.get("BUDGETKG_UPDATE_TOKEN") or None,
              query_timeout=resolve("query-timeout", args.query_timeout), workers=args.workers,
              max_request_bytes=args.max_request_bytes, log_level=args.log_level,
              access_log=not args.no_access_log, api_concurrency=args.api_concurrency)
    except BudgetKGError as err:
        print(f"错误 (error): {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
