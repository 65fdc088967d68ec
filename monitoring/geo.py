"""Boundaries of municipalities from a GeoJSON file (pure: bytes in, checked features and a match out).

The ministry uploads whatever its GIS service exports; we accept a FeatureCollection of Polygon/MultiPolygon
features whose properties carry a municipality's name or code, and say in Russian what is wrong otherwise.
"""
from dataclasses import dataclass, field
import json
import re

MAX_BYTES = 20 * 1024 * 1024
# Property names GIS exports use for a municipality's name and code (checked in this order).
NAME_KEYS = ("name", "name_ru", "NAME", "NAME_RU", "title", "municipality", "mun_name", "NAME_1", "NAME_2")
CODE_KEYS = ("code", "CODE", "oktmo", "OKTMO", "id_mun", "rsoko_code")
GEOMETRIES = {"Polygon", "MultiPolygon"}
# Words that differ between a register's name and a map's label of the same municipality.
FILLER = re.compile(r"\b(муниципальн\w*|городск\w*|сельск\w*|район\w*|округ\w*|образовани\w*|поселени\w*|г|о|город|"
                    r"мо|го|мр|р-н)\b\.?")


class GeoJSONError(Exception):
    """The file was refused; the message says what is wrong in Russian."""


@dataclass
class MapMatch:
    """Features matched to municipalities (properties: the register's name and rsoko_id), the names that matched
    none and the municipalities left without a boundary."""

    features: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # municipalities of the register without a boundary


def normalised(name: str) -> str:
    text = str(name).lower().replace("ё", "е")
    text = FILLER.sub(" ", text)
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


def read(raw: bytes) -> list[dict]:
    """The file's features, or GeoJSONError naming the problem (encoding, JSON, type, a feature's geometry)."""
    if len(raw) > MAX_BYTES:
        raise GeoJSONError(f"Файл больше {MAX_BYTES // 1024 // 1024} МБ: упростите границы (например, в mapshaper) "
                           "и загрузите снова.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GeoJSONError(f"Файл не в кодировке UTF-8 (байт {error.start + 1}): сохраните GeoJSON в UTF-8.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise GeoJSONError(f"Файл не является JSON: строка {error.lineno}, позиция {error.colno} — {error.msg}.") \
            from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeoJSONError("Нужен GeoJSON типа FeatureCollection (набор объектов-границ), а в файле "
                           f"{describe(data)}.")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise GeoJSONError("В файле нет объектов (features): границы муниципалитетов не найдены.")
    for number, feature in enumerate(features, start=1):
        check_feature(number, feature)
    return features


def describe(data) -> str:
    if isinstance(data, dict):
        return f"объект типа «{str(data.get('type') or 'без типа')[:40]}»"
    return "список" if isinstance(data, list) else "не объект"


def check_feature(number: int, feature) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise GeoJSONError(f"Объект № {number}: это не Feature.")
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in GEOMETRIES:
        raise GeoJSONError(f"Объект № {number} («{label(feature) or 'без названия'}»): геометрия "
                           f"{'отсутствует' if kind is None else f'типа «{kind}»'}, нужен Polygon или MultiPolygon.")
    if not isinstance(geometry.get("coordinates"), list) or not geometry["coordinates"]:
        raise GeoJSONError(f"Объект № {number} («{label(feature) or 'без названия'}»): нет координат границы.")
    if not label(feature) and not code(feature):
        raise GeoJSONError(f"Объект № {number}: в свойствах (properties) нет названия или кода муниципалитета "
                           f"(ожидается одно из полей: {', '.join(NAME_KEYS[:4] + CODE_KEYS[:3])}).")


def properties(feature: dict) -> dict:
    value = feature.get("properties")
    return value if isinstance(value, dict) else {}


def label(feature: dict) -> str:
    props = properties(feature)
    return next((str(props[k]).strip() for k in NAME_KEYS if str(props.get(k) or "").strip()), "")


def code(feature: dict) -> str:
    props = properties(feature)
    return next((str(props[k]).strip() for k in CODE_KEYS if str(props.get(k) or "").strip()), "")


def match(features: list[dict], municipalities: list[tuple[int, str, str]]) -> MapMatch:
    """Matches each feature by code first, then by normalised name; `municipalities` are (id, name, code)."""
    by_code = {c.lower(): i for i, _, c in municipalities}
    by_name = {normalised(n): i for i, n, _ in municipalities}
    names = {i: n for i, n, _ in municipalities}
    result, used = MapMatch(), set()
    for feature in features:
        found = by_code.get(code(feature).lower()) or by_name.get(normalised(label(feature)))
        if found is None or found in used:
            result.unmatched.append(label(feature) or code(feature))
            continue
        used.add(found)
        result.features.append({"type": "Feature", "geometry": feature["geometry"],
                                "properties": {"name": names[found], "rsoko_id": found, "label": label(feature)}})
    result.missing = [n for i, n, _ in municipalities if i not in used]
    return result
