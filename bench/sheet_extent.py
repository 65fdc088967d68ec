"""Benchmark: the sheet-size bound of uploads (rsoko/xlsx_extent.py, issue 16 item 1).

    python bench/sheet_extent.py [--pupils 30000]

Prints: the peak memory a fresh interpreter gains reading a 5 KB xlsx with A1 and XFD1000 (target: refused,
≤ 50 MB), and the cost of the bound on an honest 30,000 pupils × 30 columns export: the scan alone against
calamine's own read of the same file (target ≤ 0.6 of it).
"""
import argparse
import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET_BOMB_MB, TARGET_RATIO = 50, 0.6
PROBE = """
import resource, sys, time
from rsoko.tables import TableFileError, read_table_file
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
try:
    read_table_file("bomb.xlsx", data, limit_bytes=50 * 1024 * 1024)
    outcome = "read"
except TableFileError:
    outcome = "refused"
print(outcome, time.perf_counter() - started, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def bomb(tmp: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"], book.active["XFD1000"] = "код", "x"
    path = tmp / "bomb.xlsx"
    book.save(path)
    return path


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import tempfile

    from python_calamine import CalamineWorkbook

    from import_results import xlsx_file
    from rsoko import xlsx_extent

    with tempfile.TemporaryDirectory() as tmp:
        path = bomb(Path(tmp))
        outcome, seconds, grown = subprocess.run([sys.executable, "-c", PROBE, str(path)], cwd=ROOT, check=True,
                                                 capture_output=True, text=True).stdout.split()
        print(f"A1 + XFD1000 ({path.stat().st_size} bytes): {outcome} in {float(seconds) * 1000:.1f} ms, "
              f"peak memory +{float(grown):.0f} MB (target ≤ {TARGET_BOMB_MB} MB: "
              f"{float(grown) / TARGET_BOMB_MB:.2f} of target)")
    data = xlsx_file(args.pupils)
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = [m for m in archive.infolist() if m.filename.endswith(".xml")]
    scan = best_of(args.repeat, lambda: [xlsx_extent.check_sheet_part(archive, m) for m in members])
    read = best_of(args.repeat, lambda: CalamineWorkbook.from_filelike(io.BytesIO(data))
                   .get_sheet_by_name("Sheet").to_python())
    print(f"{args.pupils} pupils × 30 columns ({len(data) / 1048576:.1f} MB): bound scan {scan:.3f} s, "
          f"calamine read {read:.3f} s, ratio {scan / read:.2f} (target ≤ {TARGET_RATIO}: "
          f"{scan / read / TARGET_RATIO:.2f} of target)")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")
    main()
