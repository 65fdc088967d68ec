"""The portal's OpenAPI schema as schemathesis reads it, shared by the fuzz suite (tests/fuzz) and the
regression tests of what it found: an answer of the API must be one the schema documents."""
from functools import cache
import json


@cache
def portal_schema():
    """The schema /api/schema/ serves, built in process (serving it needs a signed-in user); calls go via WSGI."""
    import schemathesis
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from rsoko.wsgi import application

    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    schema.app = application
    return schema


def assert_conforms(response, path: str, method: str = "GET") -> None:
    """A Django test client answer to `method path` (the schema's path template) has a documented status,
    content type and body; raises schemathesis' failure with the mismatch otherwise."""
    import requests
    from schemathesis.core.transport import Response

    request = requests.Request(method=method, url=f"http://testserver{response.wsgi_request.get_full_path()}")
    answer = Response(status_code=response.status_code, headers={k: [v] for k, v in response.headers.items()},
                      content=response.content, request=request.prepare(), elapsed=0.0, verify=True)
    portal_schema()[path][method].validate_response(answer)
