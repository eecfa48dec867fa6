"""What the read-only API shares: pagination whose bad page is a 400, not a 404, and the schema
hook that documents that 400."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({"page": [str(error.detail)]}) from error

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not (value.isdigit() and int(value) > 0):
            raise ValidationError({"page_size": ["A whole number from 1 to 200."]})
        return super().get_page_size(request)


def document_bad_page(result, generator, request, public):
    """drf-spectacular post-processing hook: a 400 with the field's messages on every paged list."""
    result.setdefault("components", {}).setdefault("schemas", {})["BadRequest"] = {
        "type": "object",
        "description": "Which query parameter was refused, and why.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    }
    for path in result.get("paths", {}).values():
        operation = path.get("get")
        if operation and any(p["name"] == "page" for p in operation.get("parameters", [])):
            operation["responses"]["400"] = {
                "description": "A page or page size that does not exist, or a filter value refused.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BadRequest"}}},
            }
    return result
