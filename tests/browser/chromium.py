"""Where the headless browser comes from: Debian's Chromium driven by the pinned Playwright package."""
from pathlib import Path
import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def missing_browser_tools() -> list[str]:
    """What stops a browser test here, each with the command that fixes it."""
    problems = []
    if not Path(CHROMIUM).exists():
        problems.append(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the playwright package is not installed (pip install -r requirements.txt)")
    return problems
