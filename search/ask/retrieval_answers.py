"""Answers the graph's own intents do not give: the consistency findings of ``budgetkg check``,
a hybrid retrieval of passages when no graph intent fits, the narrowing of graph answers to the
projects whose passages speak of a semantic condition, and the evidence passage of every row.

``RetrievalAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's corpus, store,
lexicon and ``_run``.
"""
from __future__ import annotations

from search.ask import sparql as q
from search.ask.answer import Answer, as_int
from search.ask.parser import Intent

KIND_PREFERENCE = {
    "execution_rate": ("self_evaluation", "deviation", "project"), "total_score": ("self_evaluation", "project"),
    "grade": ("self_evaluation", "project"), "executed": ("self_evaluation", "project"),
    "balance": ("self_evaluation", "project"), "budget": ("project", "self_evaluation", "basis"),
    "period_amount": ("project",), "basis": ("basis", "project"), "funding": ("project",),
    "department": ("project",), "unit": ("project",), "attribute": ("project",), "term": ("project",),
    "indicators": ("indicator", "goal"), "deviation": ("deviation", "analysis", "self_evaluation"),
    "overview": ("project", "goal"),
}
"""The passage kinds that best evidence an answer, per purpose, best first."""


class RetrievalAnswers:
    """The findings and retrieval intents of ``Asker``, and its rows' evidence."""

    def _findings(self, intent: Intent, answer: Answer) -> None:
        severity = "" if any(w in intent.question for w in ("所有", "全部", "提示")) else \
            '  FILTER(?severity IN ("error", "warning"))\n'
        rows = self._run(answer, f"""SELECT ?finding ?report_label ?rule ?severity ?message
       (GROUP_CONCAT(DISTINCT STR(?page_number); separator="、") AS ?page) WHERE {{
  ?finding a bkg:Finding ; bkg:inReport ?report ; bkg:rule ?rule ; bkg:message ?message ; bkg:severity ?severity .
{severity}  OPTIONAL {{ ?finding prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page_number }}
  ?report rdfs:label ?report_label .
}} GROUP BY ?finding ?report_label ?rule ?severity ?message ORDER BY ?report_label ?rule""")
        answer.columns = ["报告", "规则", "严重程度", "说明", "页"]
        for row in rows:
            answer.add_row({"报告": row["report_label"], "规则": row["rule"], "严重程度": row.get("severity"),
                            "说明": row["message"], "页": row.get("page")}, row["finding"],
                           {"report": row["report_label"], "page": row.get("page") or None, "text": row["message"]})
        reports = sorted({r["报告"] for r in answer.rows})
        answer.answer = (f"{len(reports)}份报告存在数据不一致，共{len(answer.rows)}处：" + "、".join(reports) + "。"
                         if answer.rows else "没有检查发现；如需检查请运行 budgetkg check (no findings: run budgetkg check)。")

    # -- retrieval ---------------------------------------------------------------------------
    def _retrieval(self, intent: Intent, answer: Answer) -> None:
        from search.hybrid import HybridSearcher

        if intent.yoy and intent.units and not intent.projects and self._stated_change(intent, answer):
            return  # 科技成果转化与扩散支出比上年减少了多少: a line no table names, its change stated in prose
        answer.mode = "retrieval"
        searcher = HybridSearcher(self.corpus, self.lexicon)
        if not searcher.relevant(intent.question):
            answer.answer = ("语料库中没有与该问题相关的内容；可以询问项目执行率、预算、立项依据、三公经费等 "
                             "(nothing in the corpus relates to this question)。")
            return
        hits = searcher.search(intent.question, k=8, units=[u.iri for u in intent.units] or None,
                               years=intent.years or None, subunits=intent.subunits)
        answer.sparql = searcher.last_sparql
        answer.columns = ["项目", "单位", "年度", "段落"]
        projects = self.lexicon.projects  # by IRI
        used = set()
        for hit in hits:
            project = next((projects[e] for e in hit.passage.entities if e in projects), None)
            key = project.iri if project else hit.passage.id
            if key in used:
                continue
            used.add(key)
            answer.add_row({"项目": project.name if project else None, "单位": hit.passage.facets.get("unit"),
                            "年度": as_int(hit.passage.facets.get("year")), "段落": hit.passage.text,
                            "得分": round(hit.score, 4)}, key,
                           {"report": hit.passage.source, "page": hit.passage.page, "text": hit.passage.text})
            if len(answer.rows) >= 5:
                break
        answer.columns.append("得分")
        if answer.rows:
            top = answer.rows[0]
            subject = top["项目"] or top["单位"]
            answer.answer = (f"图谱无法直接回答，以下为语义检索结果（最相关：{subject}）："
                             f"{top['段落'][:80]}… (answered by retrieval)")
        else:
            answer.answer = "没有找到相关内容 (nothing relevant found)。"

    def _semantic_narrowing(self, intent: Intent, answer: Answer) -> None:
        """Keep the graph-filtered projects whose own passages speak of the semantic condition."""
        from search.hybrid import HybridSearcher, content_terms

        answer.mode = "hybrid"
        entities = answer.entities
        if not entities:
            return
        terms = content_terms(intent.semantic)
        searcher = HybridSearcher(self.corpus, self.lexicon)
        scored = searcher.rank_entities(intent.semantic, entities, terms)
        top = max((v[0] for v in scored.values()), default=0)
        if top > 0:
            keep = [i for i, e in enumerate(entities) if scored.get(e, (0, 0.0))[0] == top]
        elif scored:
            keep = [entities.index(max(scored.items(), key=lambda kv: kv[1][1])[0])]
        else:
            keep = []
        answer.rows = [answer.rows[i] for i in keep]
        answer.evidence = [answer.evidence[i] for i in keep]
        answer.entities = [entities[i] for i in keep]
        answer.intent["entities"] = answer.entities

    # -- evidence ----------------------------------------------------------------------------
    def _evidence(self, answer: Answer, purpose: str) -> None:
        entities = answer.entities
        if not entities:
            return
        rows = self.store.query(q.evidence_query(sorted(set(entities)))).rows
        preference = KIND_PREFERENCE.get(purpose, ("project", "paragraph"))
        best: dict[str, dict] = {}
        for row in rows:
            rank = preference.index(row["passage_kind"]) if row["passage_kind"] in preference else len(preference)
            current = best.get(row["entity"])
            if current is None or rank < current[0] or (rank == current[0] and len(row["text"]) < len(current[1]["text"])):
                best[row["entity"]] = (rank, row)
        for i, entity in enumerate(entities):
            found = best.get(entity)
            if answer.evidence[i] is None and found:
                row = found[1]
                answer.evidence[i] = {"report": row["report_label"], "page": row.get("page"), "text": row["text"]}
        answer.evidence = [e or {"report": None, "page": None, "text": ""} for e in answer.evidence]
