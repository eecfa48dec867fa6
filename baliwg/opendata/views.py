"""The open-data index page and its downloads."""

from django.http import Http404, HttpResponse
from django.views.generic import TemplateView

from . import downloads


class OpenDataView(TemplateView):
    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(datasets=downloads.DATASETS.values(), formats=downloads.FORMATS, **kwargs)


def download(request, name: str, fmt: str):
    dataset = downloads.DATASETS.get(name)
    if dataset is None or fmt not in downloads.FORMATS:
        raise Http404("No such download.")
    write, content_type = downloads.FORMATS[fmt]
    response = HttpResponse(write(dataset), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bali-process-{name}.{fmt}"'
    return response
