"""One way to hand a generated file to the browser: an attachment with its Vietnamese name,
never cached (it comes from an agency's private records)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"docx": DOCX, "pdf": PDF, "xlsx": XLSX}


def file_download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response
