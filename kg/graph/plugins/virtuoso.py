"""Virtuoso filled through its bulk loader: graphs arrive as N-Quads files, not SPARQL updates.

Queries go to the SPARQL endpoint like ``sparql``. Writes use the path Virtuoso documents
for loading large amounts of RDF ("Bulk Loading RDF Source Files"): a file is registered
with ``ld_add`` and parsed server-side by ``rdf_loader_run`` — the multi-threaded loader
that writes quads straight into its indexes, instead of SPARQL text parsed and executed
triple by triple. One commit of a report is one file (its graph, its findings graph and the
shared-node graphs it describes) and one ``isql-vt`` session: clear the report's and its
findings' graphs, load the file, read the loader's verdict for that file from
``DB.DBA.load_list``, forget the row. ``rdf_loader_run(null, 1)`` keeps the transaction
log on (the loader's default, 2, turns it off until the next ``checkpoint``), so a loaded
report survives a Virtuoso crash — the store's journal counts on a write being durable once
it returns; without row autocommit (3) the log holds one entry per file, not one per quad
(with 3, a restart replayed 139,000 row transactions in 31 s after a few test ingests).

The folder (``--bulk-load-dir``) must be readable by the Virtuoso server under the same
path (one host, or one mount point on both) and listed in its ``DirsAllowed``; the SQL port
(``--virtuoso-isql HOST:PORT``) takes the endpoint user and password (dba/dba when none is
given, Virtuoso's default). Loading and clearing are not one transaction: a reader may see
a report half-loaded while it is written; the store's journal completes it either way.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

from rdflib.plugins.serializers.nt import _nt_row

from kg.errors import StoreError, UsageError
from kg.graph.plugins.sparql import SparqlEndpointStore

ISQL = "isql-vt"
_ROW = re.compile(r"BKG-LOAD\|(\d+)\|(.*)")


class VirtuosoBulkStore(SparqlEndpointStore):
    name = "virtuoso"

    def __init__(self, location: str | None = None, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = 60.0, isql: str | None = None,
                 load_dir: str | None = None, isql_command: str | None = None):
        super().__init__(location, update_url, user, password, timeout)
        if not isql or not load_dir:
            missing = " ".join(f"--{name} …" for name, value in (("virtuoso-isql", isql), ("bulk-load-dir", load_dir))
                               if not value)
            raise UsageError(f"graph-store virtuoso 需要 Virtuoso 的 SQL 端口和它可读的导入文件夹：{missing} "
                             f"(needs Virtuoso's SQL port and a folder listed in its DirsAllowed), 例如 "
                             f"--virtuoso-isql 127.0.0.1:1111 --bulk-load-dir /var/lib/virtuoso/load；"
                             f"或用 --graph-store sparql 逐条写入 (or use --graph-store sparql to write by updates)")
        self.isql = isql
        self.load_dir = Path(load_dir).expanduser().absolute()
        self.sql_user = user or "dba"
        self.sql_password = password if user else "dba"
        self.isql_command = isql_command or shutil.which(ISQL)
        if self.isql_command is None:
            raise StoreError(f"graph-store virtuoso 需要 {ISQL}（Debian：apt-get install virtuoso-opensource）"
                             f"(the bulk loader runs through {ISQL}; install virtuoso-opensource on this machine)")
        try:
            self.load_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"无法创建导入文件夹 {self.load_dir}（{err}）(cannot create the bulk-load folder)") from None

    # -- writes: one N-Quads file per call, loaded by rdf_loader_run ----------------------------
    def write_report(self, graph_iri: str, graph, shared: dict, findings_iri: str, findings) -> None:
        graphs = [(graph_iri, graph)] + ([(findings_iri, findings)] if findings is not None else [])
        self._load(graphs + [(str(iri), g) for iri, g in shared.items()], clear=[graph_iri, findings_iri])

    def replace(self, graph_iri: str, graph) -> None:
        self._load([(graph_iri, graph)], clear=[graph_iri])

    def merge(self, graph_iri: str, graph) -> None:
        self._load([(graph_iri, graph)], clear=[])

    def merge_all(self, graphs: dict) -> None:
        self._load([(str(iri), g) for iri, g in graphs.items()], clear=[])

    def remove(self, graph_iri: str) -> None:
        self._isql([f"SPARQL DROP SILENT GRAPH {_iri(graph_iri)};"])

    def _load(self, graphs: list[tuple[str, object]], clear: list[str]) -> None:
        path = self.load_dir / f"bkg-{uuid.uuid4().hex}.nq"
        try:
            with open(path, "w", encoding="utf-8") as out:
                for graph_iri, graph in graphs:
                    name = f" {_iri(graph_iri)} .\n"
                    out.writelines(_nt_row(triple)[:-3] + name for triple in graph)
            os.chmod(path, 0o644)
        except OSError as err:
            path.unlink(missing_ok=True)
            raise StoreError(f"无法写入批量导入文件 {path}（{err}）(cannot write the bulk-load file)") from None
        file = _sql_string(str(path))
        script = [f"SPARQL CLEAR GRAPH {_iri(iri)};" for iri in clear]
        script += [f"ld_add({file}, {_sql_string(graphs[0][0] if graphs else 'urn:budgetkg:none')});",
                   "rdf_loader_run(null, 1);",
                   f"select concat('BKG-LOAD|', cast(ll_state as varchar), '|', coalesce(ll_error, '')) "
                   f"from DB.DBA.load_list where ll_file = {file};",
                   f"delete from DB.DBA.load_list where ll_file = {file};"]
        try:
            output = self._isql(script)
        finally:
            path.unlink(missing_ok=True)
        verdict = _ROW.search(output)
        if verdict is None or verdict.group(1) != "2" or verdict.group(2).strip():
            detail = verdict.group(2).strip() if verdict else output[-300:]
            if verdict is not None and (verdict.group(1) == "0" or "FA003" in detail):
                detail += (f" — {self.load_dir} 须列在 Virtuoso 的 virtuoso.ini DirsAllowed 中，且在服务器上是同一路径 "
                           f"(the folder must be in the server's DirsAllowed, under the same path there)")
            raise StoreError(f"Virtuoso 批量导入失败 (bulk load failed) {path.name}: {detail.strip(' —')}")

    def _isql(self, statements: list[str]) -> str:
        """Run statements in one isql session; StoreError on a connection or SQL error."""
        script = "\n".join(statements) + "\n"
        try:
            done = subprocess.run([self.isql_command, self.isql, self.sql_user, self.sql_password],
                                  input=script, capture_output=True, text=True, timeout=max(self.timeout, 600))
        except (OSError, subprocess.TimeoutExpired) as err:
            raise StoreError(f"{ISQL} 运行失败（{err}）(could not run {ISQL})") from None
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            error = next((line for line in output.splitlines() if line.startswith("*** Error")), output[-300:])
            if "Connect failed" in error or "Bad login" in error:
                raise StoreError(f"无法连接 Virtuoso SQL 端口 {self.isql}（{error.strip()}）(cannot reach Virtuoso's "
                                 f"SQL port: check --virtuoso-isql and --endpoint-user/--endpoint-password)")
            raise StoreError(f"Virtuoso 执行出错 (Virtuoso SQL error): {error.strip()}")
        return output


def _iri(iri: str) -> str:
    if any(c in iri for c in "<>\"{}|^`\\ \n"):
        raise StoreError(f"图名不是合法 IRI (not a valid graph IRI): {iri!r}")
    return f"<{iri}>"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
