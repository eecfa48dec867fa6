"""The open-data index page and its downloads."""

from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.generic import TemplateView

from baliwg.public_cache import has_current_version

from . import downloads


class OpenDataView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(datasets=downloads.DATASETS.values(), formats=downloads.FORMATS, **kwargs)


def download(request, name: str, fmt: str):
    """The file as built for the current records, streamed from disk (sendfile where the server
    has it), with its length and an ETag. The query string is ignored: it changes nothing, so it
    must not make the file be built again."""
    if name not in downloads.DATASETS or fmt not in downloads.FORMATS:
        raise Http404("No such download.")
    current = downloads.current_stamp()
    etag = f'"{name}.{fmt}-{current}"'
    if has_current_version(request, etag, int(float(current))):
        response = HttpResponseNotModified()  # the visitor has this version: nothing built or read
    else:
        file, stamp = downloads.open_built(name, fmt)
        _, content_type = downloads.FORMATS[fmt]
        response = FileResponse(
            file, content_type=content_type, as_attachment=True, filename=f"bali-process-{name}.{fmt}"
        )
        etag = f'"{name}.{fmt}-{stamp}"'
        response["Last-Modified"] = http_date(float(stamp))
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
