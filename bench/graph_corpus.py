"""A synthetic budget corpus for bench/graph_bench.py: the five seeds cloned over units,
departments, regions and years until the store holds the requested number of quads."""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import random
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
REGIONS = ROOT / "kg" / "data" / "regions.tsv"
YEARS = list(range(2019, 2027))

DEPARTMENT_TYPES = [
    ("人力资源和社会保障局", ["劳动保障监察综合行政执法队", "就业服务中心", "社会保险中心", "劳动人事争议仲裁院",
                        "职业技能鉴定中心", "企业职工劳动事务服务中心", "人才交流服务中心", "信息中心", "技工学校"]),
    ("财政局", ["国库集中支付中心", "财政投资评审中心", "非税收入管理中心", "会计服务中心", "政府采购中心"]),
    ("教育局", ["教学研究室", "电化教育馆", "招生考试中心", "学生资助管理中心", "第一中学", "第二中学", "实验小学"]),
    ("卫生健康委员会", ["疾病预防控制中心", "妇幼保健院", "人民医院", "中医院", "卫生监督所", "急救中心"]),
    ("民政局", ["社会福利院", "救助管理站", "殡仪馆", "婚姻登记中心", "老年公寓"]),
    ("农业农村局", ["农业技术推广中心", "畜牧兽医服务中心", "农产品质量安全检测站", "农业机械化服务中心", "种子站"]),
    ("交通运输局", ["公路事业发展中心", "道路运输服务中心", "交通运输综合行政执法队", "农村公路管理站"]),
    ("自然资源局", ["不动产登记中心", "土地储备中心", "测绘院", "自然资源综合行政执法队"]),
    ("文化和旅游局", ["图书馆", "文化馆", "博物馆", "文物保护中心", "旅游服务中心"]),
    ("市场监督管理局", ["食品药品检验所", "计量检定所", "市场监管综合行政执法队", "消费者权益保护中心"]),
]
QUALIFIERS = ["（续建）", "（二期）", "专项", "补助", "（提标）"]
DOC_NUMBER = "晋财社〔2019〕1号"  # cited by seed 003's employment-fund projects


# -- synthetic corpus --------------------------------------------------------------------------------
def load_regions() -> list[tuple[str, str, str | None]]:
    """(province, city, county) triples from GB/T 2260, county None for a city's own units."""
    names: dict[str, str] = {}
    for line in REGIONS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        code, name = line.split("\t", 1)
        names[code] = name
    out = []
    for code, name in names.items():
        if code.endswith("0000") or name in ("市辖区", "县", "省直辖县级行政区划"):
            continue
        province = names.get(code[:2] + "0000")
        if code.endswith("00"):
            if province and name.endswith("市"):
                out.append((province, name, None))
            continue
        city = names.get(code[:4] + "00")
        if province and city and city not in ("市辖区", "县") and name.endswith(("县", "市", "区")):
            out.append((province, city, name))
    return sorted(set(out), key=lambda r: (r[0], r[1], r[2] or ""))


def extract_seeds():
    from kg.extract import extract

    return [extract(path) for path in sorted(SEEDS.glob("*.txt"))]


def _amounts(obj, seen: set[int]):
    """Every ``Amount`` reachable from a document-model object, each once."""
    from kg.model import Amount

    if isinstance(obj, Amount):
        if id(obj) not in seen:
            seen.add(id(obj))
            yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _amounts(getattr(obj, f.name), seen)
    elif isinstance(obj, list):
        for item in obj:
            yield from _amounts(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            yield from _amounts(item, seen)


def _scale(amount, factor: float) -> None:
    wan = (amount.value / Decimal(10000) * Decimal(f"{factor:.6f}")).quantize(Decimal("0.01"))
    amount.value = wan * Decimal(10000)
    if amount.unit == "万元":
        amount.printed = f"{wan:,.2f}"
    else:
        amount.printed = f"{amount.value:,.2f}"


_YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")


@dataclasses.dataclass
class Unit:
    name: str
    department: str
    department_code: str
    unit_code: str
    region: tuple[str, str, str | None]
    template: int  # seed index
    years: list[int]
    factor: float
    growth: float
    rng_seed: int


class Corpus:
    """Deterministic synthetic reports cloned from the seeds, yielded one at a time."""

    def __init__(self, seeds, seed: int = 7):
        self.seeds = seeds
        self.seed = seed
        self.regions = load_regions()
        self.departments: list[tuple[str, list[Unit]]] = []

    def plan(self):
        """Departments with their units, endless; department 0 holds the query targets."""
        rng = random.Random(self.seed)
        used: set[str] = set()
        d = 0
        while True:
            region = self.regions[rng.randrange(len(self.regions))] if d else ("山西省", "大同市", None)
            place = region[2] or region[1]
            dept_type, unit_types = DEPARTMENT_TYPES[d % len(DEPARTMENT_TYPES)] if d else DEPARTMENT_TYPES[0]
            department = f"{place}{dept_type}"
            while department in used:
                department = f"{place}第{len(used)}{dept_type}"
            used.add(department)
            code = f"{100 + d % 900}"
            units: list[Unit] = []
            count = rng.randint(3, min(8, len(unit_types)))
            chosen = unit_types[:count] if d == 0 else rng.sample(unit_types, count)
            # the department's own report, then its units; department 0 unit 0 spans every year
            names = [department] + [f"{place}{t}" if f"{place}{t}" not in used else f"{place}{t}{d}" for t in chosen]
            for i, name in enumerate(names):
                used.add(name)
                if d == 0 and i == 1:
                    template, years = 0, YEARS
                elif d == 0 and i == 0:
                    template, years = 3, YEARS[3:]
                elif d == 0 and i == 2:
                    template, years = 1, YEARS[2:]  # a final account (决算): self-evaluations for query 1
                else:
                    template = rng.choice([1, 2, 3] if i == 0 else [0, 3, 4, 1])
                    span = rng.randint(2, 6)
                    start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
                    years = list(range(start, start + span))
                units.append(Unit(name, department, code, f"{code}{i:03d}", region, template, years,
                                  factor=rng.uniform(0.4, 2.5), growth=rng.uniform(-0.05, 0.12),
                                  rng_seed=rng.randrange(2**31)))
            self.departments.append((department, units))
            yield department, units
            d += 1

    def reports(self):
        for _, units in self.plan():
            for year in YEARS:  # year by year, so a small corpus already has every unit of the first department
                for unit in units:
                    if year in unit.years:
                        yield self.clone(unit, year)

    def clone(self, unit: Unit, year: int):
        from kg.model import Region, SourceFile

        seed = self.seeds[unit.template]
        rng = random.Random(unit.rng_seed * 31 + year)
        unit_rng = random.Random(unit.rng_seed)  # same choices every year of a unit
        report = copy.deepcopy(seed)
        own = unit.name == unit.department
        report.unit = unit.name
        report.unit_aliases = []
        report.department = unit.department
        report.department_code = unit.department_code
        report.unit_code = None if own else unit.unit_code
        report.scope = "部门" if own and seed.scope == "部门" else "单位"
        report.year = year
        report.region = Region(*unit.region)
        report.title = f"{unit.name}{year}年度{report.scope}{report.kind}公开"
        digest = hashlib.sha256(f"{unit.name}|{year}".encode()).hexdigest()
        report.source = SourceFile(path=f"synthetic/{digest[:16]}.txt", sha256=digest, format="text",
                                   pages=seed.source.pages if seed.source else None,
                                   page_basis=seed.source.page_basis if seed.source else "none")
        factor = unit.factor * (1 + unit.growth) ** (year - YEARS[0]) * rng.uniform(0.97, 1.03)
        seen: set[int] = set()
        renumber: dict[str, str] = {}
        for project in report.projects:
            project.name = _YEAR.sub(str(year), project.name)
            if unit_rng.random() < 0.3:
                project.name += unit_rng.choice(QUALIFIERS)
            project.printed_names = [_YEAR.sub(str(year), p) for p in project.printed_names]
            project.unit = report.unit
            project.department = report.department
            project_factor = factor * rng.uniform(0.7, 1.3)
            for amount in _amounts(project, seen):
                _scale(amount, project_factor)
            e = project.self_evaluation
            if e is not None:
                rate = rng.uniform(15, 60) if rng.random() < 0.3 else rng.uniform(60, 100)
                e.execution_rate = Decimal(f"{rate:.2f}")
                if e.full_year_budget is not None and e.executed is not None:
                    e.executed.value = (e.full_year_budget.value * e.execution_rate / 100).quantize(Decimal("100"))
                    e.executed.printed = f"{e.executed.value / 10000:,.2f}"
            for ref in project.documents:
                self._renumber(ref, unit_rng, renumber)
        for ref in report.documents:
            self._renumber(ref, unit_rng, renumber)
        for amount in _amounts(report, seen):
            _scale(amount, factor)
        return report

    @staticmethod
    def _renumber(ref, rng: random.Random, done: dict[str, str]) -> None:
        """Keep about 60% of numbered references, give the rest another serial number."""
        if ref.kind != "number" or not ref.number or ref.canonical == DOC_NUMBER:
            return  # the document of query 2 stays: every employment bureau cites the provincial rule
        if ref.canonical not in done:
            if rng.random() < 0.6:
                done[ref.canonical] = ref.canonical
            else:
                number = str(rng.randint(1, 400))
                done[ref.canonical] = ref.canonical[: -len(ref.number) - 1] + number + "号" \
                    if ref.canonical.endswith(ref.number + "号") else ref.canonical
        new = done[ref.canonical]
        if new != ref.canonical:
            number = new[new.rindex("〕") + 1:-1] if "〕" in new else ref.number
            ref.printed = ref.printed.replace(ref.canonical, new)
            ref.canonical, ref.number = new, number


def report_graphs(report, with_passages: bool):
    """What ``store.corpus.Corpus`` stores for a report: its graph (builder + passage triples)
    and the shared nodes' graphs (units, regions, concepts, documents, series, metrics)."""
    from kg.graph.builder import build_graphs

    iri, graph, shared = build_graphs(report)
    if with_passages:
        from kg.passages import add_passage_triples, build_passages

        add_passage_triples(graph, iri, report, build_passages(report))
    return iri, graph, shared


