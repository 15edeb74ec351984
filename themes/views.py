"""Small public views: the sitemap (Wagtail's, cached like pages), robots.txt, the public
media files, and the error pages."""

import posixpath

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.views.static import serve as serve_static

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .cache import mark_cacheable


def sitemap(request):
    # Wagtail's sitemap lists live, public pages of the requesting site only.
    mark_cacheable(request)
    return wagtail_sitemap(request)


def robots_txt(request):
    mark_cacheable(request)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Media folders anyone may read: Wagtail's images and their renditions. Documents (and files
# waiting in the multiple uploader) are never served from the folder: only through Wagtail's
# document view, which asks workflows.document_access who may have them.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")


def media_file(request, path: str):
    normalised = posixpath.normpath(path).lstrip("/")
    if not normalised.startswith(PUBLIC_MEDIA_FOLDERS) or ".." in normalised.split("/"):
        raise Http404
    response = serve_static(request, normalised, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    return response


ERRORS = {
    403: (
        "Không có quyền truy cập",
        "Bạn không có quyền xem nội dung này. Nội dung nội bộ của một cơ quan chỉ dành cho "
        "cán bộ của cơ quan đó.",
    ),
    404: (
        "Không tìm thấy trang",
        "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy tìm biểu mẫu, thủ tục theo tên "
        "hoặc mã hiệu.",
    ),
}


def error_page(request, status: int, **context) -> HttpResponse:
    heading, message = ERRORS[status]
    context = {"heading": heading, "message": message, "page": None, **context}
    html = render_to_string("themes/error_page.html", context, request=request)
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def obsolete_file_page(request, *, page) -> HttpResponse:
    """An old link to a form's file whose version is no longer in force: say so, and point to
    the form's page, which offers the version in force (410 Gone: the old file is withdrawn)."""
    html = render_to_string(
        "themes/error_page.html",
        {
            "heading": "Biểu mẫu này đã hết hiệu lực",
            "message": (
                f"Tệp bạn mở là một lần ban hành cũ của «{page.title}», nay không còn hiệu lực. "
                "Hãy dùng lần ban hành đang có hiệu lực."
            ),
            "current_url": page.url,
            "current_label": "Xem biểu mẫu đang có hiệu lực",
            "page": None,
        },
        request=request,
    )
    response = HttpResponse(html, status=410, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    return error_page(request, 404)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def server_error(request):
    # No request context: the error may be the database itself.
    html = render_to_string("themes/error_500.html")
    return HttpResponse(html, status=500, content_type="text/html; charset=utf-8")


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """A form sent without its security token (an expired page, a blocked cookie)."""
    response = error_page(
        request,
        403,
        message=(
            "Biểu mẫu đã hết hạn hoặc trình duyệt đã chặn cookie, nên yêu cầu không được thực "
            "hiện. Hãy tải lại trang rồi gửi lại."
        ),
    )
    return response
