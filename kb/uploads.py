"""Where the editor's images are kept, and how readers get them.

By default they are files under MEDIA_ROOT (``var/media``), which is right for one machine. On
the scale path (several servers on one PostgreSQL: ``KB_UPLOADS=database``, the default when
DATABASE_URL is PostgreSQL) they are rows of ``StoredUpload``: every server reads the same
table, so an image uploaded through one is served by all, with nothing more to run, back up or
secure than the database itself. The images are small (at most 2 MB, resized to 1600 px by
markdownx) and few, and each is read from the database once per CDN or browser: their names are
unique (markdownx makes them from a UUID) and never rewritten, so they are served with a year's
``immutable`` cache lifetime. (A site with many large images would put them in S3-compatible
storage through django-storages instead: a STORAGES change, the view below unchanged.)

Either way ``serve_upload`` answers ``/media/...`` through Django's storage API, and only for the
raster types the editor lets in (kb.editor checks the bytes before anything is stored).
"""

import posixpath

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.http import FileResponse, Http404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .editor import IMAGE_FORMATS

# The types an upload may be served as: what the editor stores (its extensions decide).
SERVED_TYPES = {f".{extension}": content_type for content_type, extension in IMAGE_FORMATS.values()}
SERVED_TYPES[".jpeg"] = "image/jpeg"
# Names never change content: browsers and CDNs keep them a year.
UPLOAD_MAX_AGE = 365 * 24 * 3600


@deconstructible
class DatabaseStorage(Storage):
    """Django storage on the StoredUpload table (names as markdownx gives them)."""

    def __init__(self, base_url=None):
        self._base_url = base_url

    @property
    def base_url(self):
        return self._base_url or settings.MEDIA_URL

    @staticmethod
    def _rows():
        from .models import StoredUpload

        return StoredUpload.objects

    def _save(self, name, content):
        content.seek(0)
        data = content.read()
        self._rows().create(name=name, content=data, size=len(data))
        return name

    def _open(self, name, mode="rb"):
        row = self._rows().filter(name=name).first()
        if row is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(row.content), name=name)

    def exists(self, name):
        return self._rows().filter(name=name).exists()

    def delete(self, name):
        self._rows().filter(name=name).delete()

    def size(self, name):
        return self._rows().values_list("size", flat=True).get(name=name)

    def get_modified_time(self, name):
        return self._rows().values_list("uploaded_at", flat=True).get(name=name)

    def url(self, name):
        return f"{self.base_url}{filepath_to_uri(name)}"


def _storages():
    """Where an upload may be: the storage in use, then (with the database) the files a site
    stored under MEDIA_ROOT before it moved to the scale path, which keep being served."""
    yield default_storage
    if isinstance(default_storage, DatabaseStorage):
        yield FileSystemStorage(location=settings.MEDIA_ROOT)


@require_safe
def serve_upload(request, path):
    """An uploaded image, from whichever storage holds them (``STORAGES["default"]``)."""
    name = posixpath.normpath(path).lstrip("/")
    content_type = SERVED_TYPES.get(posixpath.splitext(name)[1].lower())
    if content_type is None or name.startswith(".."):
        raise Http404("没有这个文件。")
    for storage in _storages():
        try:
            modified = storage.get_modified_time(name)
            upload = storage.open(name)
            break
        except (OSError, SuspiciousFileOperation, ObjectDoesNotExist):
            continue
    else:
        raise Http404("没有这个文件。")
    last_modified = int(modified.timestamp())
    response = get_conditional_response(request, last_modified=last_modified)
    if response is None:
        response = FileResponse(upload, content_type=content_type)
    else:
        upload.close()
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=UPLOAD_MAX_AGE, immutable=True)
    return response
