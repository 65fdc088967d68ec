"""The OpenAPI schema is valid and complete: no warnings, every endpoint documented."""
import io

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/organizations/" in out.getvalue()
