"""The management review's minutes (biên bản họp xem xét của lãnh đạo) in the administrative
layout: the meeting, its inputs per clause 9.3.2, its decisions per 9.3.3, the conclusion, and
the secretary's and the chair's signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .layout import Letterhead, PdfStory, Signoff, docx_close, docx_open, docx_section, docx_table


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
    governing_body: str
    agency_name: str
    number: str
    place: str
    meeting_date: date
    title: str
    chair: str
    secretary: str
    participants: str
    inputs: list[ReviewInputLine]
    decisions: list[ReviewDecisionLine]
    conclusion: str
    recipients: str
    draft: bool = False


def _letterhead(doc: ReviewMinutesDocument) -> Letterhead:
    return Letterhead(
        governing_body=doc.governing_body,
        agency_name=doc.agency_name,
        number=doc.number,
        place=doc.place,
        day=doc.meeting_date,
        kind="BIÊN BẢN",
        title=doc.title,
        draft=doc.draft,
    )


def _opening(doc: ReviewMinutesDocument) -> str:
    lines = [
        f"Thời gian: ngày {doc.meeting_date:%d/%m/%Y}.",
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


def _signoff(doc: ReviewMinutesDocument) -> Signoff:
    return Signoff(
        recipients=doc.recipients, signers=(("Thư ký", doc.secretary), ("Chủ trì", doc.chair))
    )


def review_minutes_docx(doc: ReviewMinutesDocument) -> bytes:
    document = docx_open(_letterhead(doc))
    docx_section(document, "I. THÀNH PHẦN, THỜI GIAN", _opening(doc))
    document.add_paragraph().add_run(
        "II. ĐẦU VÀO CỦA XEM XÉT (TCVN ISO 9001:2015, 9.3.2)"
    ).bold = True
    for index, line in enumerate(doc.inputs, start=1):
        docx_section(document, _input_heading(index, line), line.text)
    document.add_paragraph().add_run("III. ĐẦU RA: CÁC QUYẾT ĐỊNH (9.3.3)").bold = True
    if doc.decisions:
        docx_table(document, _decision_rows(doc))
    else:
        document.add_paragraph("Không có quyết định.")
    docx_section(document, "IV. KẾT LUẬN", doc.conclusion)
    return docx_close(document, _signoff(doc))


def review_minutes_pdf(doc: ReviewMinutesDocument) -> bytes:
    story = PdfStory(_letterhead(doc))
    story.section("I. THÀNH PHẦN, THỜI GIAN", _opening(doc))
    story.flowables.append(
        story.p("II. ĐẦU VÀO CỦA XEM XÉT (TCVN ISO 9001:2015, 9.3.2)", story.heading)
    )
    for index, line in enumerate(doc.inputs, start=1):
        story.section(_input_heading(index, line), line.text)
    story.flowables.append(story.p("III. ĐẦU RA: CÁC QUYẾT ĐỊNH (9.3.3)", story.heading))
    if doc.decisions:
        story.table(_decision_rows(doc), [1.0, 3.0, 6.4, 3.4, 2.2])
    else:
        story.flowables.append(story.p("Không có quyết định."))
    story.section("IV. KẾT LUẬN", doc.conclusion)
    return story.close(_signoff(doc))
