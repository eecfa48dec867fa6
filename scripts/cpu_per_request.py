"""The server's CPU time per request for each endpoint of the benchmark, at each scale: a cross-check
of what larger scales keep that does not move with the machine's other load.

Throughput on a shared 2-core machine moves 5-10% between runs seconds apart (more in bursts), so
"scale 100 keeps 90% of scale 1's throughput" can fail on noise alone. The CPU the server spends on
a request (the gunicorn workers' and every PostgreSQL process's user and system time, read from
/proc before and after a wrk run, over the requests served) measures the same question, whether the
records' size costs anything, without the noise of the wall clock. wrk and Redis are not counted.

Uses the benchmark's own databases, server and endpoints (scripts/bench.py); a scale's database is
generated first if `make bench` has not kept one.

    scripts/cpu_per_request.py [--scales 1,10,100] [--rounds 3] [--seconds 3]
"""

import argparse
import contextlib
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402 (the harness next to this file)


def postgres_pids() -> list[int]:
    found = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True, check=False)
    return [int(pid) for pid in found.stdout.split()]


def server_cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # a process that ended in between
            total += bench.cpu_seconds(pid)
    return total


def measure(scale: float, port: int, rounds: int, seconds: float) -> dict[str, list[float]]:
    database = f"baliwg_bench_{str(scale).replace('.', '_')}"
    facts = bench.prepare(scale, database, port, reuse=True)
    with bench.Server(facts["env"]) as server:
        points = bench.endpoints(server, facts)
        for _, path, headers in points:
            server.get(path, headers)
        costs = {name: [] for name, _, _ in points}
        for round_number in range(rounds):
            print(f"scale {scale:g}: round {round_number + 1}/{rounds}", file=sys.stderr)
            for name, path, headers in points:
                pids = bench.worker_pids(server.process.pid) + postgres_pids()
                before = server_cpu(pids)
                result = bench.wrk(server.base, path, headers, seconds, 8)
                if result["requests"]:
                    costs[name].append((server_cpu(pids) - before) / result["requests"] * 1000)
    print({name: round(statistics.median(c), 2) for name, c in costs.items() if c}, file=sys.stderr)
    return costs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3)
    options = parser.parse_args()
    scales = [float(x) for x in options.scales.split(",")]
    results = [measure(scale, 8811 + i, options.rounds, options.seconds) for i, scale in enumerate(scales)]
    header = " | ".join([*(f"ms @{s:g}" for s in scales), *(f"kept {s:g} vs {scales[0]:g}" for s in scales[1:])])
    lines = [
        f"Server CPU per request (gunicorn workers + PostgreSQL), median of {options.rounds} rounds of "
        f"{options.seconds:g} s, 8 connections:",
        "",
        f"| endpoint | {header} |",
        "|---|" + "---:|" * (2 * len(scales) - 1),
    ]
    for name in results[0]:
        # The same endpoint at every scale (a meeting's name carries its row count, which differs).
        medians = [statistics.median(result[bench.same_endpoint(name, result)]) for result in results]
        kept = [medians[0] / m if m else 0.0 for m in medians[1:]]
        cells = [*(f"{m:.2f}" for m in medians), *(f"{k:.0%}" for k in kept)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
