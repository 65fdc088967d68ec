"""Walking every page of a persona's menu: no server error (the page or any request it makes), no script error,
nothing wider than the screen — checked on the DOM and on a full-page screenshot (a page that overflows sideways
makes a screenshot wider than the window)."""
from pathlib import Path
import re
import struct

WIDTH = 1350  # a 1366 px screen less a classic desktop scrollbar
SCREENSHOT_TIMEOUT_MS = 90_000  # a long page (the audit log) on a busy machine

# Boxes whose content sticks out of them: cards and chart boxes (a chart drawn wider than its card is cut off).
OVERFLOWING = """() => {
    const out = [];
    for (const box of document.querySelectorAll("main .card, main .chart, main .stat, main .page-head")) {
        const rect = box.getBoundingClientRect();
        if (rect.width === 0) continue;
        const wide = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "auto";
        const outside = rect.right > window.innerWidth + 1;
        if (wide || outside) out.push((box.querySelector("h1, h2, h3, .stat-label") || box).textContent.trim().slice(0, 60));
    }
    return out;
}"""


def png_width(path: Path) -> int:
    with open(path, "rb") as stream:
        return struct.unpack(">I", stream.read(24)[16:20])[0]


def slug(href: str) -> str:
    return re.sub(r"[^\w]+", "_", href).strip("_") or "home"


def menu_links(page) -> list[str]:
    links = page.eval_on_selector_all("nav[aria-label='Главное меню'] a[href^='/']",
                                      "links => links.map(link => link.getAttribute('href'))")
    return list(dict.fromkeys(links))


def sweep_menu(page, shots: Path, persona: str) -> dict:
    """Every menu page of the signed-in persona; {href: problems} for the pages with any."""
    failures: list[tuple[int, str]] = []
    script_errors: list[str] = []
    page.on("response", lambda response: failures.append((response.status, response.url))
            if response.status >= 500 else None)
    page.on("pageerror", lambda error: script_errors.append(str(error)[:200]))
    page.set_viewport_size({"width": WIDTH, "height": 900})
    shots.mkdir(parents=True, exist_ok=True)
    problems = {}
    links = menu_links(page)
    assert len(links) >= 3, links
    for number, href in enumerate(links, start=1):
        failures.clear()
        script_errors.clear()
        response = page.goto(href)
        page.wait_for_load_state("networkidle")
        shot = shots / f"{persona}-{number:02d}-{slug(href)}.png"
        page.screenshot(path=str(shot), full_page=True, timeout=SCREENSHOT_TIMEOUT_MS)
        found = {}
        if response is None or response.status >= 500 or failures:
            found["server errors"] = failures or [(response.status if response else None, href)]
        if script_errors:
            found["script errors"] = list(script_errors)
        overflowing = page.evaluate(OVERFLOWING)
        if overflowing:
            found["content wider than its box"] = overflowing
        if png_width(shot) > WIDTH:
            found["screenshot wider than the window"] = png_width(shot)
        if found:
            problems[href] = found
    return problems
