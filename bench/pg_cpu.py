"""CPU time of the PostgreSQL server processes serving one database, sampled from /proc (the server runs on this
machine). `python bench/pg_cpu.py <database>` polls every 0.2 s and, when it receives SIGTERM, prints the CPU
seconds its backends used since it started (a backend's time is kept after it exits: the last sample counts).
Backends of other databases (other sessions on the shared server) are left out; so are the server's own
background processes (checkpointer, WAL writer), which the whole server shares."""
import os
import signal
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def backends(database: str) -> dict[int, float]:
    """pid → CPU seconds so far, of the processes whose title names the database («postgres: 15/main: user db …»)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                title = f.read().decode(errors="ignore").split()
            # «postgres: [cluster:] user database client state»
            if not title or title[0] != "postgres:" or database not in title[1:4]:
                continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            found[int(pid)] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError, ValueError):
            continue
    return found


def main(database: str) -> None:
    first = backends(database)
    last = dict(first)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        last.update(backends(database))
        time.sleep(0.2)
    last.update(backends(database))
    print(f"{sum(last.values()) - sum(first.values()):.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
