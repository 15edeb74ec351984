"""A procedure as the national record writes it, both ways: page → record (export, and the
"what the agency has" side of a preview) and record → page (import).

One canonical shape serves both directions, so a round trip (export, import) finds no change and
an import compares like with like. Keys: code, name, field, level, agency, decision, applicants,
result, steps, requirements, legal_basis (lists of paragraphs), channels, cases, forms.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html import escape, unescape

from content_types.documents import FormDocumentPage
from content_types.procedure_fields import ProcedureField
from content_types.procedure_forms import format_days
from content_types.procedures import (
    NO_FEE_INFORMATION,
    ProcedureLevel,
    ProcedurePage,
    ProcedurePageCase,
    ProcedurePageChannel,
    ProcedurePageForm,
    SubmissionChannel,
    TimeLimitUnit,
    fee_given,
    fee_text,
)
from content_types.text import fold_vietnamese

from .reading import level_from_text

TEXT_KEYS = ("applicants", "result")
PARAGRAPH_KEYS = ("steps", "requirements", "legal_basis")
DETAIL_KEYS = (*TEXT_KEYS, *PARAGRAPH_KEYS, "channels", "cases", "forms")
COMPARED_KEYS = ("name", "field", "level", "agency", "decision", *DETAIL_KEYS)

KEY_LABELS = {
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "agency": "Cơ quan thực hiện",
    "decision": "Quyết định công bố",
    "applicants": "Đối tượng thực hiện",
    "result": "Kết quả thực hiện",
    "steps": "Trình tự thực hiện",
    "requirements": "Yêu cầu, điều kiện",
    "legal_basis": "Căn cứ pháp lý",
    "channels": "Cách thức thực hiện, thời hạn, phí",
    "cases": "Trường hợp, thành phần hồ sơ",
    "forms": "Biểu mẫu",
}

LEVEL_LABELS = {
    ProcedureLevel.CENTRAL: "Cấp trung ương",
    ProcedureLevel.PROVINCIAL: "Cấp tỉnh",
    ProcedureLevel.COMMUNE: "Cấp xã",
    ProcedureLevel.OTHER: "Cơ quan khác",
}


def _text(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def paragraphs_of_html(html: str) -> list[str]:
    parts = re.split(r"</p>|<br\s*/?>|</li>", html or "")
    texts = [unescape(re.sub(r"<[^>]+>", " ", part)) for part in parts]
    return [_text(t) for t in texts if _text(t)]


def html_of_paragraphs(items) -> str:
    if isinstance(items, str):
        items = [line for line in items.splitlines()]
    return "".join(f"<p>{escape(_text(item))}</p>" for item in items if _text(item))


def _number(value) -> float | int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _choice(value, choices, default):
    folded = fold_vietnamese(_text(value))
    for key, label in choices:
        if folded in (key, fold_vietnamese(label)):
            return key
    aliases = {"truc tiep": "in_person", "buu chinh": "postal", "ngay lam viec": "working_days"}
    return aliases.get(folded, default)


def _time_limit(data: dict) -> dict:
    unit = _choice(data.get("time_limit_unit"), TimeLimitUnit.choices, "working_days")
    limit = _number(data.get("time_limit"))
    text = _text(data.get("time_limit_text"))
    if limit is None and text:
        unit = TimeLimitUnit.TEXT
    return {"time_limit": limit, "time_limit_unit": unit, "time_limit_text": text}


FEE_KEYS = ("kind", "name", "amount", "unit", "from_quantity", "cap", "cap_unit", "note")
# Words a fee's label may start with before its kind: «Mức thu lệ phí …», «Thu phí …».
_FEE_PREFIXES = ("muc", "thu", "khoan")


def fee_kind_of(label: str) -> str:
    """«fee» (phí) or «charge» (lệ phí) from the national record's label, by its leading
    word whatever the diacritics, case or the words after it: «Phí thẩm định …» is a fee,
    «LỆ PHÍ cấp giấy …» a charge. An unclear label is a charge, the block's default."""
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(_text(label)))
    if words in (["fee"], ["charge"]):
        return words[0]
    while words and words[0] in _FEE_PREFIXES:
        words = words[1:]
    if words[:2] == ["le", "phi"]:
        return "charge"
    if words[:1] == ["phi"]:
        return "fee"
    return "charge"


def fee_name_of(label: str) -> str:
    """The label's words when it names the fee (more than a bare «Phí» / «Lệ phí»)."""
    words = re.findall(r"[a-z0-9]+", fold_vietnamese(_text(label)))
    if words in ([], ["fee"], ["charge"], ["phi"], ["le", "phi"]):
        return ""
    return _text(label).rstrip(" :")


def _fee(item: dict) -> dict:
    label = _text(item.get("kind"))
    return {
        "kind": fee_kind_of(label),
        "name": _text(item.get("name")) or fee_name_of(label),
        "amount": _number(item.get("amount")),
        "unit": _text(item.get("unit")) or "đồng/hồ sơ",
        "from_quantity": _number(item.get("from_quantity")),
        "cap": _number(item.get("cap")),
        "cap_unit": _text(item.get("cap_unit")),
        "note": _text(item.get("note")),
    }


def _channel(item: dict) -> dict:
    return {
        "channel": _choice(item.get("channel"), SubmissionChannel.choices, "in_person"),
        **_time_limit(item),
        "fees": _text(item.get("fees")),
        "fee_items": [_fee(f) for f in item.get("fee_items") or [] if isinstance(f, dict)],
        "description": _text(item.get("description")),
    }


def _component(item: dict) -> dict:
    forms = item.get("forms") or []
    if isinstance(forms, str):
        forms = [forms]
    return {
        "name": _text(item.get("name")),
        "originals": int(_number(item.get("originals")) or 0),
        "copies": int(_number(item.get("copies")) or 0),
        "forms": [_text(code) for code in forms if _text(code)],
        "note": _text(item.get("note")),
    }


def _case(item: dict) -> dict:
    return {
        "name": _text(item.get("name")),
        "dossier_sets": int(_number(item.get("dossier_sets")) or 1),
        **_time_limit(item),
        "dossier": [_component(c) for c in item.get("dossier") or [] if isinstance(c, dict)],
    }


def record_normalise(data: dict, *, decision: str | None = None) -> dict:
    """The canonical record of imported data: only the keys the file gives (a list row gives
    the five columns; a national record gives the details too)."""
    record = {
        "code": _text(data.get("code")),
        "name": _text(data.get("name")),
        "field": _text(data.get("field")),
        "level": level_from_text(_text(data.get("level"))) or ProcedureLevel.PROVINCIAL,
        "agency": _text(data.get("agency")),
    }
    if decision is not None:
        record["decision"] = decision
    for key in TEXT_KEYS:
        if key in data:
            record[key] = _text(data[key])
    for key in PARAGRAPH_KEYS:
        if key in data:
            value = data[key]
            items = value.splitlines() if isinstance(value, str) else list(value or [])
            record[key] = [_text(i) for i in items if _text(i)]
    if "channels" in data:
        record["channels"] = [_channel(c) for c in data["channels"] or [] if isinstance(c, dict)]
    if "cases" in data:
        record["cases"] = [_case(c) for c in data["cases"] or [] if isinstance(c, dict)]
    if "forms" in data:
        record["forms"] = [_text(code) for code in data["forms"] or [] if _text(code)]
    return record


def agency_forms_by_code(agency) -> dict[str, FormDocumentPage]:
    forms = FormDocumentPage.objects.descendant_of(agency).order_by("path")
    return {form.code: form for form in forms}


def _time_limit_of(row) -> dict:
    return {
        "time_limit": _number(row.time_limit),
        "time_limit_unit": row.time_limit_unit,
        "time_limit_text": _text(row.time_limit_text),
    }


def procedure_record(page: ProcedurePage, *, form_codes: dict[int, str]) -> dict:
    """The canonical record of a procedure (a page or a revision's object)."""

    def code_of(form_id) -> str | None:
        return form_codes.get(int(form_id)) if form_id else None

    cases = []
    for case in page.cases.all():
        dossier = []
        for item in case.dossier.raw_data:
            if item.get("type") != "component":
                continue
            value = item["value"]
            alternatives = [
                a.get("value") if isinstance(a, dict) else a
                for a in value.get("alternative_forms") or []
            ]
            codes = [code_of(i) for i in [value.get("form"), *alternatives]]
            dossier.append(
                {
                    "name": _text(value.get("name")),
                    "originals": int(value.get("originals") or 0),
                    "copies": int(value.get("copies") or 0),
                    "forms": [c for c in codes if c],
                    "note": _text(value.get("note")),
                }
            )
        cases.append(
            {
                "name": _text(case.name),
                "dossier_sets": case.dossier_sets,
                **_time_limit_of(case),
                "dossier": dossier,
            }
        )
    channels = []
    for channel in page.channels.all():
        fees = [
            _fee(item["value"]) for item in channel.fee_items.raw_data if item.get("type") == "fee"
        ]
        channels.append(
            {
                "channel": channel.channel,
                **_time_limit_of(channel),
                "fees": _text(channel.fees),
                "fee_items": fees,
                "description": _text(channel.description),
            }
        )
    return {
        "code": page.national_code,
        "name": page.title,
        "field": page.field.name if page.field_id else "",
        "level": page.level,
        "agency": _text(page.implementing_agency),
        "decision": _text(page.announcement_decision),
        "applicants": _text(page.applicants),
        "result": _text(page.result),
        "steps": paragraphs_of_html(page.steps),
        "requirements": paragraphs_of_html(page.requirements),
        "legal_basis": paragraphs_of_html(page.legal_basis),
        "channels": channels,
        "cases": cases,
        "forms": [c for c in (code_of(link.form_page_id) for link in page.forms_used.all()) if c],
    }


def record_export(record: dict) -> dict:
    """The record as the export writes it: the level in words, as published lists do."""
    return {**record, "level": LEVEL_LABELS.get(record["level"], record["level"])}


def record_changes(existing: dict | None, imported: dict) -> list[str]:
    """The keys of `imported` whose value differs from what the agency has."""
    if existing is None:
        return [key for key in COMPARED_KEYS if key in imported]
    return [key for key in COMPARED_KEYS if key in imported and imported[key] != existing.get(key)]


def record_apply(
    page: ProcedurePage, record: dict, *, forms: dict[str, FormDocumentPage]
) -> list[str]:
    """Write `record` onto `page` (not saved). Returns warnings (form codes the agency lacks)."""
    warnings: list[str] = []
    page.title = record["name"]
    page.national_code = record["code"]
    page.level = record["level"]
    if record["field"]:
        page.field, _created = ProcedureField.objects.get_or_create(name=record["field"])
    page.implementing_agency = record["agency"]
    if "decision" in record:
        page.announcement_decision = record["decision"]
    for key in TEXT_KEYS:
        if key in record:
            setattr(page, key, record[key])
    for key in PARAGRAPH_KEYS:
        if key in record:
            setattr(page, key, html_of_paragraphs(record[key]))

    def form_for(code: str):
        form = forms.get(code)
        if form is None:
            warnings.append(f"Cơ quan chưa có biểu mẫu mã {code}: thành phần hồ sơ chưa có mẫu.")
        return form

    if "channels" in record:
        page.channels = [
            ProcedurePageChannel(
                sort_order=number,
                channel=item["channel"],
                time_limit=_decimal(item["time_limit"]),
                time_limit_unit=item["time_limit_unit"],
                time_limit_text=item["time_limit_text"],
                fees=item["fees"],
                fee_items=[("fee", _fee_value(fee)) for fee in item["fee_items"]],
                description=item["description"],
            )
            for number, item in enumerate(record["channels"])
        ]
    if "cases" in record:
        cases = []
        # The file's order is the order shown: without sort_order, PostgreSQL returns the
        # rows in any order (the editor's formsets number them, an import must too).
        for number, item in enumerate(record["cases"]):
            dossier = []
            for component in item["dossier"]:
                found = [f for f in (form_for(code) for code in component["forms"]) if f]
                dossier.append(
                    (
                        "component",
                        {
                            "name": component["name"],
                            "originals": component["originals"],
                            "copies": component["copies"],
                            "form": found[0] if found else None,
                            "alternative_forms": found[1:],
                            "note": component["note"],
                        },
                    )
                )
            cases.append(
                ProcedurePageCase(
                    sort_order=number,
                    name=item["name"],
                    dossier_sets=item["dossier_sets"],
                    time_limit=_decimal(item["time_limit"]),
                    time_limit_unit=item["time_limit_unit"],
                    time_limit_text=item["time_limit_text"],
                    dossier=dossier,
                )
            )
        page.cases = cases
    if "forms" in record:
        found = [f for f in (form_for(code) for code in record["forms"]) if f]
        page.forms_used = [
            ProcedurePageForm(sort_order=number, form_page=form)
            for number, form in enumerate(found)
        ]
    return list(dict.fromkeys(warnings))


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _fee_value(fee: dict) -> dict:
    value = {key: fee.get(key) for key in FEE_KEYS}
    for key in ("amount", "cap"):
        value[key] = _decimal(value[key])
    value["from_quantity"] = int(value["from_quantity"]) if value["from_quantity"] else None
    return value


def _limit_summary(item: dict) -> str:
    if item["time_limit"] is None:
        return item["time_limit_text"]
    days = format_days(Decimal(str(item["time_limit"])))
    return f"{days} {TimeLimitUnit(item['time_limit_unit']).label}"


def _fee_summary(channel: dict) -> str:
    """The channel's fees as the public page words them, so that a preview shows a change of
    fee alone (otherwise both sides would read the same)."""
    lines = [fee_text(fee) for fee in channel.get("fee_items") or [] if fee_given(fee)]
    if channel.get("fees"):
        lines.append(channel["fees"])
    return "; ".join(lines) or f"phí, lệ phí: {NO_FEE_INFORMATION.lower()}"


def record_summary(record: dict, key: str) -> str:
    """A short text of one key for the preview table."""
    value = record.get(key)
    if key == "level":
        return LEVEL_LABELS.get(value, value or "")
    if isinstance(value, list):
        if key == "channels":
            return "; ".join(
                f"{SubmissionChannel(c['channel']).label}: {_limit_summary(c)} ({_fee_summary(c)})"
                for c in value
            )
        if key == "cases":
            return "; ".join(
                f"{c['name'] or 'Trường hợp không tên'} ({len(c['dossier'])} giấy tờ)"
                for c in value
            )
        return "; ".join(str(v) for v in value)
    return str(value or "")
