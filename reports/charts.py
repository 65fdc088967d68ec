"""Vector charts for the PDFs: the dashboards' ECharts options, rendered to SVG by ECharts itself under Node."""
import copy
import json
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

SCRIPT = Path(__file__).with_name("echarts_ssr.js")
FONT = "DejaVu Sans Condensed"


class ChartRenderError(RuntimeError):
    pass


def for_print(option: dict) -> dict:
    """The screen option, adapted to paper: the report's font, no tooltips, no animation."""
    option = copy.deepcopy(option)
    option.pop("tooltip", None)
    option["textStyle"] = {"fontFamily": FONT, "fontSize": 11, "color": "#1b2430"}
    option["animation"] = False
    return option


def render_svgs(options: list[dict], *, width: int = 680, height: int = 270) -> list[str]:
    """All charts of one report in one Node run (starting Node costs more than drawing a chart)."""
    if not options:
        return []
    node = getattr(settings, "NODE_BINARY", "") or shutil.which("node")
    if not node:
        raise ChartRenderError("Node.js не найден: графики в PDF строятся ECharts на сервере.")
    payload = {"width": width, "height": height,
               "options": [{"option": for_print(o.get("option", o)), "width": o.get("width"), "height": o.get("height")}
                           if "option" in o else {"option": for_print(o)} for o in options]}
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps(payload, ensure_ascii=False), capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise ChartRenderError(f"ECharts не построил графики: {done.stderr.strip()[:500]}")
    return json.loads(done.stdout)
