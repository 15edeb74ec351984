from wagtail import hooks

from .cache import mark_cacheable


@hooks.register("before_serve_page")
def mark_served_page_cacheable(page, request, serve_args, serve_kwargs):
    # Wagtail serves this page to this request; PublicCacheMiddleware decides whether to keep it.
    mark_cacheable(request)
    from .skeleton import site_skeleton

    request.iso_private_paths = site_skeleton(request).private_paths
