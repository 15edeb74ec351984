"""Small public views: the sitemap (Wagtail's, cached like pages) and robots.txt."""

from django.http import HttpResponse

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
