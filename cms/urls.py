from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from themes import api as public_api
from themes import routing as public_routing
from themes import views as public_views
from workflows.isolation_views import admin_urlpatterns as isolation_admin_urlpatterns
from workflows.oversight.push import dossier_push
from workflows.views import confirm_workflow_cancellation
from workflows.workspace.public_views import feedback_form

urlpatterns = [
    # Sign-in (accounts): second factor, single sign-on, and Wagtail's login, logout and password
    # reset views wrapped by the lockout and the provider's logout; ahead of Wagtail's routes.
    path("", include("accounts.urls")),
    # Ahead of Wagtail's own route, which checks no right on the page (see the view).
    path(
        "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
        confirm_workflow_cancellation,
    ),
    # Wagtail screens that list every agency, narrowed to the user's own (see the module).
    path("admin/", include(isolation_admin_urlpatterns)),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Public, read-only: the JSON API, the sitemap and robots.txt (themes).
    # The one-stop system pushes its dossier figures (workflows.oversight.push: it writes).
    path("api/v1/thong-ke-ho-so/", dossier_push, name="iso_dossier_push"),
    path("api/v1/tim-kiem/", include("search.api")),  # JSON search (search/)
    path("api/v1/", include(public_api.urlpatterns)),
    path("sitemap.xml", public_views.sitemap, name="sitemap"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
]

# Images from the media folder, in the demo and wherever the front web server leaves them to
# Django; never the documents folder (see themes.views.media_file and the README).
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", public_views.media_file),
]

urlpatterns += [path("tim-kiem/", include("search.urls"))]  # public search (search/)
# A citizen's rating and feedback on a procedure: never cached (workflows.workspace.public_views).
urlpatterns += [path("y-kien/<int:procedure_id>/", feedback_form, name="iso_feedback_form")]

# Wagtail serves every other path from the page tree; keep it last.
# Pages are routed by url_path in two queries (themes.routing), then served by Wagtail's view; the
# pattern is Wagtail's own, so reverse("wagtail_serve") still gives the same URLs.
urlpatterns += [
    # Not Wagtail's own /_util/ views (the login of private pages): they follow in wagtail_urls.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", public_routing.serve),
    path("", include(wagtail_urls)),
]

# Vietnamese error pages (themes.views).
handler403 = "themes.views.permission_denied"
handler404 = "themes.views.page_not_found"
handler500 = "themes.views.server_error"
