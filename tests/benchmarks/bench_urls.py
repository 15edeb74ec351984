"""The project's URLs plus a bare Django view: the baseline the procedure page is compared to."""

from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
