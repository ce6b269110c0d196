"""Response hardening Django leaves to the project, one middleware per job, placed outermost so
that every response has it: pages, the API, static files, error pages and the health probes.

- ``PolicyHeadersMiddleware``: ``Permissions-Policy`` denies the browser features the site never
  uses (camera, microphone, geolocation, payment, usb, ...), so an injected script or a framed
  page cannot ask for them; ``Cross-Origin-Resource-Policy: same-origin`` stops other sites
  embedding our responses (https://developer.mozilla.org/docs/Web/HTTP/Cross-Origin_Resource_Policy).
- ``KnownMethodsMiddleware``: only the methods the site answers reach it; ``TRACE`` and the rest
  get a 405 with ``Allow`` instead of a page rendered as if they were a GET.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse

from .errors import wants_json


class PolicyHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(f"{name}=()" for name in settings.KB_DENIED_FEATURES)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.KB_CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class KnownMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in settings.KB_HTTP_METHODS:
            return self.get_response(request)
        if wants_json(request):
            response = JsonResponse({"detail": "不支持这个请求方法。"}, status=405)
            response["Allow"] = ", ".join(settings.KB_HTTP_METHODS)
            return response
        return HttpResponseNotAllowed(settings.KB_HTTP_METHODS)
