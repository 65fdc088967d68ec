"""OpenAPI post-processing: the error answers every operation can give are part of its contract.

drf-spectacular documents only the success answer. A client (and the schemathesis fuzz suite in tests/fuzz)
must also know what a refusal looks like: DRF answers 401/403/404/405/429 with `{"detail": "…"}` and
a rejected input with 400 and `{"field": ["message", …]}`.
"""

ERROR_DETAIL = "ErrorDetail"
VALIDATION_ERROR = "ValidationError"

ERROR_SCHEMAS = {
    ERROR_DETAIL: {
        "type": "object",
        "description": "Отказ: причина в поле detail.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "Неверные данные запроса: по каждому полю (или non_field_errors) — список сообщений.",
        "additionalProperties": {},
    },
}

DESCRIPTIONS = {
    400: "Неверные параметры или данные запроса",
    401: "Нужна аутентификация (токен или сеанс)",
    403: "Недостаточно прав",
    404: "Объект не найден или вне области доступа; страница за пределами списка",
    413: "Файл больше предельного размера (UPLOAD_MAX_MB): не принят, ничего не сохранено",
    429: "Слишком много запросов",
}


def _error_response(status: int) -> dict:
    component = VALIDATION_ERROR if status == 400 else ERROR_DETAIL
    return {"description": DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}}


def _error_statuses(operation: dict) -> list[int]:
    parameters = operation.get("parameters", [])
    statuses = [429]
    if operation.get("security") != [{}]:  # `[{}]` marks an operation open to anonymous callers
        statuses += [401, 403]
    if parameters or "requestBody" in operation:
        statuses.append(400)
    if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
        statuses.append(404)
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        statuses.append(413)  # rsoko.uploads refuses an oversized body before reading it
    return statuses


def document_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: adds the refusals an operation can give, never replacing a documented answer."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(operation):
                responses.setdefault(str(status), _error_response(status))
    return result
