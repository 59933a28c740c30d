"""``python -m search.web --store DIR [--host H] [--port P] [--query-timeout S] [--allow-service URL]
[--host-name NAME] …``

The same server as ``budgetkg serve``. The update token is best given in the environment
(``BUDGETKG_UPDATE_TOKEN``), where it does not show in the process list.
"""
from __future__ import annotations

import argparse
import sys

from kg.errors import BudgetKGError
from search.web.options import add_server_options, token_from


def main(argv: list[str] | None = None) -> int:
    from kg.settings import resolve

    parser = argparse.ArgumentParser(prog="python -m search.web", description="budgetkg 网页服务 (web server)")
    parser.add_argument("--store", help="存储目录 (store folder)")
    add_server_options(parser)
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
        given = {"store": args.store, "query-timeout": args.query_timeout}
        serve(resolve("store", args.store), host=args.host, port=args.port, token=token_from(args),
              workers=args.workers, max_request_bytes=args.max_request_bytes, log_level=args.log_level,
              access_log=not args.no_access_log, api_concurrency=args.api_concurrency,
              allow_services=args.allow_service or (), host_names=args.host_name or (), given=given)
    except BudgetKGError as err:
        print(f"错误 (error): {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
