"""What a file is when it is not a budget report: one clear line instead of "unreadable".

Scraped folders hold web pages saved as .pdf, scans, 绩效评价报告, request forms, policy
texts and blank templates next to the reports. Each is recognised by what it prints — its
first bytes, or the title on its first page — never by its file name.
"""
from __future__ import annotations

import re

from kg.extract.layout import RawDocument, TextLine
from kg.extract.normalize import squash

_HTML = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|meta|!--)", re.I)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[【（(]\s*(?:19|20)\d{2}\s*[〕\]】）)]\s*\d+\s*号")
# (pattern on the first page's title lines, Chinese, English) — checked in order
_KINDS = [
    (re.compile(r"绩效评价(报告|结果)|评价报告"), "绩效评价报告", "a performance evaluation report"),
    (re.compile(r"审计报告|审计结果"), "审计报告", "an audit report"),
    (re.compile(r"申请表|登记表|申报表$|信息表$"), "表格（申请表/登记表）", "a form"),
    (re.compile(r"(工作)?年度报告$|政务公开.*(通报|报告)"), "工作报告或通报", "an activity report or notice"),
    (re.compile(r"(办法|规定|细则|条例|意见|方案|规划|通知|通报|决定|批复)$"), "政策文件或通知", "a policy text or notice"),
]
_PLACEHOLDER = re.compile(r"XX|××|xx|某某|＿{3,}|_{3,}")


def is_html(data: bytes) -> bool:
    return _HTML.match(data[:512]) is not None


def what_is(doc: RawDocument) -> tuple[str, str] | None:
    """(Chinese, English) description of a document that is recognisably not a budget report."""
    lines = [b for b in doc.blocks[:40] if isinstance(b, TextLine)]
    first_page = lines[0].page if lines else None
    head = [squash(line.text) for line in lines if line.page == first_page][:12]
    title = "".join(head)
    number = _DOC_NUMBER.search(title)
    for pattern, zh, en in _KINDS:
        for line in head:
            if pattern.search(line):
                if zh == "政策文件或通知" and number:
                    return f"{zh}（{number.group(0)}）", en
                return zh, en
    text = " ".join(line.text for line in lines)
    if len(_PLACEHOLDER.findall(text)) >= 5:
        return "空白模板（XX 占位未填写）", "a blank template with XX placeholders"
    if number and re.search(r"文件$|^.{0,20}(文件|函)", title):
        return f"公文（{number.group(0)}）", "an official document"
    return None
