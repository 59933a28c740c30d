"""Names of units and departments: normalisation, aliases and administrative region."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from kg.extract.normalize import canon_brackets, squash
from kg.model import Region

# short form → full form of common government department names (suffix of a unit name); only pure
# abbreviations: names that are also official names of their own (交通局, 农业局, 环保局, 科技局) are not here
ABBREVIATIONS = {
    "人社局": "人力资源和社会保障局", "人社厅": "人力资源和社会保障厅", "人社部": "人力资源和社会保障部",
    "人力社保局": "人力资源和社会保障局", "发改委": "发展和改革委员会", "发改局": "发展和改革局",
    "住建局": "住房和城乡建设局", "住建厅": "住房和城乡建设厅", "卫健委": "卫生健康委员会", "卫健局": "卫生健康局",
    "教体局": "教育和体育局", "文旅局": "文化和旅游局", "市场监管局": "市场监督管理局", "医保局": "医疗保障局",
    "退役军人局": "退役军人事务局", "应急局": "应急管理局",
    "工信局": "工业和信息化局", "城管局": "城市管理局",
    "规自局": "自然资源和规划局", "自规局": "自然资源和规划局",
    "国资委": "国有资产监督管理委员会", "统战部": "统一战线工作部", "组织部": "组织部", "宣传部": "宣传部",
}
_ABBREV_BY_FULL = {}
for _short, _full in ABBREVIATIONS.items():
    _ABBREV_BY_FULL.setdefault(_full, _short)

_DEPARTMENT_MARK = re.compile(r"[〔\[【（(]\s*(部门|单位|本级)\s*[〕\]】）)]$")
_CODE_PREFIX = re.compile(r"^(\d{2,12})\s*[-—－–_]\s*")
_LEVEL_SUFFIX = ("省", "市", "县", "区", "旗", "州", "盟", "自治区", "自治州", "自治县")


def own_part(unit: str) -> str:
    """The name of a department's own part (its 本级) beside its other 预算单位: ``X（本级）``."""
    return f"{normalise_unit(unit)}（本级）"


def normalise_unit(name: str | None) -> str:
    """'【通城县人社局】' → '通城县人力资源和社会保障局'; codes and [部门] marks dropped."""
    text = squash(canon_brackets(name or ""))
    text = _DEPARTMENT_MARK.sub("", text)
    text = text.strip("〔〕【】[]“”\"'：:")
    text = _CODE_PREFIX.sub("", text)
    for short, full in ABBREVIATIONS.items():
        if text.endswith(short) and not text.endswith(full):
            text = text[: -len(short)] + full
            break
    return text


_CODE_SUFFIX = re.compile(r"^(?P<name>[\u4e00-\u9fff（）]{2,})(?P<code>\d{2,12})$")


def split_code(text: str) -> tuple[str | None, str]:
    """'121-大同市人力资源和社会保障局[部门]' → ('121', '大同市人力资源和社会保障局'); the code may also
    follow the name ('教育部105', printed under 主管部门及代码)."""
    raw = squash(canon_brackets(text or ""))
    match = _CODE_PREFIX.match(raw)
    code = match.group(1) if match else None
    suffix = _CODE_SUFFIX.match(raw) if code is None else None
    if suffix:
        return suffix.group("code"), normalise_unit(suffix.group("name"))
    return code, normalise_unit(raw)


# bodies of the State Council and the Party centre: never given a local region's prefix
CENTRAL_BODIES = re.compile(
    r"^(?:国家|中国|中央|全国|国务院)|^(?:外交|国防|教育|科学技术|工业和信息化|公安|国家安全|民政|司法|财政|人力资源和社会保障|"
    r"自然资源|生态环境|住房和城乡建设|交通运输|水利|农业农村|商务|文化和旅游|退役军人事务|应急管理)部$|^审计署$")


def short_forms(full_name: str) -> list[str]:
    """Aliases a reader may type: '大同市人力资源和社会保障局' → ['大同市人社局']."""
    out = []
    for full, short in _ABBREV_BY_FULL.items():
        if full_name.endswith(full) and len(full) > len(short):
            out.append(full_name[: -len(full)] + short)
    return out


# -- regions ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, list[str]]]:
    """adcode → name, and name → adcodes (GB/T 2260)."""
    by_code: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    text = resources.files("kg").joinpath("data/regions.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if not row or row.startswith("#"):
            continue
        code, name = row.split("\t")
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        by_code[code] = name
        by_name.setdefault(name, []).append(code)
    return by_code, by_name


def _region_of(code: str) -> Region:
    by_code, _ = _divisions()
    province = by_code.get(code[:2] + "0000")
    city = by_code.get(code[:4] + "00") if code[2:4] != "00" else None
    county = by_code.get(code) if code[4:] != "00" else None
    if city == province:
        city = None
    return Region(province=province, city=city, county=county)


def _leading_divisions(name: str) -> list[tuple[str, list[str]]]:
    """Division names at the start of ``name`` (longest first): '汾阳市人力…' → [('汾阳市', [...])]."""
    _, by_name = _divisions()
    found = []
    rest = name
    while rest:
        match = None
        for size in range(min(len(rest), 12), 1, -1):
            head = rest[:size]
            if head in by_name:
                match = head
                break
        if match is None:
            break
        found.append((match, by_name[match]))
        rest = rest[len(match):]
    return found


def resolve_region(unit: str, text: str = "") -> Region:
    """Region of a unit from its name; ``text`` (the report) breaks ties between equal names."""
    found = _leading_divisions(unit)
    if not found:
        bare = re.match(r"^([\u4e00-\u9fff]{2,3}?)(?:人民政府|人社|人力|财政|教育|卫生|公安|民政)", unit)
        if bare:
            for suffix in ("市", "县", "区"):
                found = _leading_divisions(bare.group(1) + suffix)
                if found:
                    break
    if not found:
        return Region()
    name, candidates = found[-1]
    if len(candidates) > 1 and len(found) > 1:
        parent_codes = set(found[-2][1])
        narrowed = [c for c in candidates if c[:4] + "00" in parent_codes or c[:2] + "0000" in parent_codes]
        candidates = narrowed or candidates
    if len(candidates) > 1 and text:
        def mentions(code: str) -> int:
            region = _region_of(code)
            return sum(text.count(n) for n in (region.province, region.city) if n)
        candidates = sorted(candidates, key=mentions, reverse=True)
    return _region_of(candidates[0])
