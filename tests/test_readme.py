"""README.md renders as written: every code block is closed, no command is left outside its block (issue 17)."""
from pathlib import Path
import re

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_code_block_of_the_readme_is_closed_and_every_command_is_inside_one():
    inside, stray = False, []
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            inside = not inside
        elif not inside and re.match(r"\s*(python|make|docker|cp|\.venv/bin/)\S*\s", line):
            stray.append((number, line))
    assert not inside, "the last code block is never closed"
    assert not stray, stray
