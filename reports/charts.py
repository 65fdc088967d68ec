"""Vector charts for the PDFs: the dashboards' ECharts options, rendered to SVG by ECharts itself under Node."""
import copy
import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont

SCRIPT = Path(__file__).with_name("echarts_ssr.js")
FONT = "DejaVu Sans Condensed"
FONT_FILES = {"regular": "DejaVuSansCondensed.ttf", "bold": "DejaVuSansCondensed-Bold.ttf"}
# The characters chart texts are made of: Latin, Cyrillic, general punctuation (« » – — № …).
MEASURED = [*range(0x20, 0x250), *range(0x400, 0x460), *range(0x2010, 0x2070), 0x2116]


class ChartRenderError(RuntimeError):
    pass


def for_print(option: dict) -> dict:
    """The screen option, adapted to paper: the report's font, no tooltips, no animation."""
    option = copy.deepcopy(option)
    option.pop("tooltip", None)
    option["textStyle"] = {"fontFamily": FONT, "fontSize": 11, "color": "#1b2430"}
    option["animation"] = False
    return option


@lru_cache(maxsize=1)
def font_metrics() -> dict:
    """Advance widths of the report font, in ems, for ECharts to measure labels as WeasyPrint will draw them."""
    metrics = {}
    for weight, filename in FONT_FILES.items():
        font = TTFont(Path(settings.BASE_DIR) / "static" / "fonts" / "dejavu" / filename, lazy=True)
        per_em, cmap, advances = font["head"].unitsPerEm, font.getBestCmap(), font["hmtx"].metrics
        metrics[weight] = {chr(code): round(advances[cmap[code]][0] / per_em, 4) for code in MEASURED if code in cmap}
    metrics["fallback"] = metrics["regular"]["0"]
    return metrics


def render_svgs(options: list[dict], *, width: int = 680, height: int = 270) -> list[str]:
    """All charts of one report in one Node run (starting Node costs more than drawing a chart)."""
    if not options:
        return []
    node = getattr(settings, "NODE_BINARY", "") or shutil.which("node")
    if not node:
        raise ChartRenderError("Node.js не найден: графики в PDF строятся ECharts на сервере.")
    payload = {"width": width, "height": height, "metrics": font_metrics(),
               "options": [{"option": for_print(o.get("option", o)), "width": o.get("width"), "height": o.get("height")}
                           if "option" in o else {"option": for_print(o)} for o in options]}
    # --no-opt: the run is too short for V8's optimising compiler to pay off; compiling in the background cost a
    # third of Node's CPU time for a report of 36 charts.
    done = subprocess.run([node, "--no-opt", str(SCRIPT)], input=json.dumps(payload, ensure_ascii=False),
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise ChartRenderError(f"ECharts не построил графики: {done.stderr.strip()[:500]}")
    return json.loads(done.stdout)
