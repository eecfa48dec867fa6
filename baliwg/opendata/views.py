"""The open-data index page and its downloads."""

from django.http import FileResponse, Http404
from django.views.generic import TemplateView

from . import downloads


class OpenDataView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(datasets=downloads.DATASETS.values(), formats=downloads.FORMATS, **kwargs)


def download(request, name: str, fmt: str):
    """The file as built for today's records, streamed. The query string is ignored: it changes
    nothing, so it must not make the file be built again."""
    if name not in downloads.DATASETS or fmt not in downloads.FORMATS:
        raise Http404("No such download.")
    _, content_type = downloads.FORMATS[fmt]
    return FileResponse(
        open(downloads.built_file(name, fmt), "rb"),
        content_type=content_type,
        as_attachment=True,
        filename=f"bali-process-{name}.{fmt}",
    )
