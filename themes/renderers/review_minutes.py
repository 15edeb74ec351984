"""The management review's minutes (biên bản họp xem xét của lãnh đạo) in the administrative
layout: the meeting, its inputs per clause 9.3.2, its decisions per 9.3.3, the conclusion, and
the secretary's and the chair's signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .administrative import (
    AdministrativeDocument,
    Grid,
    Heading,
    Letterhead,
    Text,
    administrative_docx,
    administrative_pdf,
)


@dataclass(frozen=True)
class ReviewInputLine:
    clause_ref: str
    label: str
    text: str


@dataclass(frozen=True)
class ReviewDecisionLine:
    kind: str
    decision: str
    owner: str
    due: date


@dataclass(frozen=True)
class ReviewMinutesDocument:
    letterhead: Letterhead
    title: str
    chair: str
    secretary: str
    participants: str
    inputs: list[ReviewInputLine]
    decisions: list[ReviewDecisionLine]
    conclusion: str
    recipients: str
    draft: bool = False


def _opening(doc: ReviewMinutesDocument) -> str:
    lines = [
        f"Thời gian: ngày {doc.letterhead.issued_on:%d/%m/%Y}.",
        f"Chủ trì: {doc.chair}.",
    ]
    if doc.secretary:
        lines.append(f"Thư ký: {doc.secretary}.")
    lines.append("Thành phần tham dự:")
    lines += [f"- {line.strip(' -')}" for line in doc.participants.splitlines() if line.strip()]
    return "\n".join(lines)


def _input_heading(index: int, line: ReviewInputLine) -> str:
    ref = f" ({line.clause_ref})" if line.clause_ref else ""
    return f"{index}. {line.label}{ref}"


def _decision_rows(doc: ReviewMinutesDocument) -> list[list[str]]:
    rows = [["TT", "Loại", "Quyết định, hành động", "Người thực hiện", "Hạn"]]
    for index, d in enumerate(doc.decisions, start=1):
        rows.append([str(index), d.kind, d.decision, d.owner, f"{d.due:%d/%m/%Y}"])
    return rows


def review_minutes_layout(doc: ReviewMinutesDocument) -> AdministrativeDocument:
    """The minutes in the shared administrative layout, signed by the secretary and the chair."""
    blocks: list = [Heading("I. THÀNH PHẦN, THỜI GIAN"), Text(_opening(doc))]
    blocks.append(Heading("II. ĐẦU VÀO CỦA XEM XÉT (TCVN ISO 9001:2015, 9.3.2)"))
    for index, line in enumerate(doc.inputs, start=1):
        blocks += [Heading(_input_heading(index, line)), Text(line.text)]
    blocks.append(Heading("III. ĐẦU RA: CÁC QUYẾT ĐỊNH (9.3.3)"))
    if doc.decisions:
        blocks.append(Grid(_decision_rows(doc), widths_cm=[1.0, 3.0, 6.4, 3.4, 2.2]))
    else:
        blocks.append(Text("Không có quyết định."))
    blocks += [Heading("IV. KẾT LUẬN"), Text(doc.conclusion)]
    return AdministrativeDocument(
        letterhead=doc.letterhead,
        kind="BIÊN BẢN",
        title=doc.title,
        blocks=blocks,
        recipients=doc.recipients,
        draft=doc.draft,
        co_signers=(("Thư ký", doc.secretary), ("Chủ trì", doc.chair)),
    )


def review_minutes_docx(doc: ReviewMinutesDocument) -> bytes:
    return administrative_docx(review_minutes_layout(doc))


def review_minutes_pdf(doc: ReviewMinutesDocument) -> bytes:
    return administrative_pdf(review_minutes_layout(doc))
