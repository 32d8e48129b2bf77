"""How much memory an export needs as its rows grow: the same installment-like rows written as CSV and XLSX at
10,000, 100,000 and 1,000,000 rows, with the peak memory the Python heap reached while writing each.

    .venv/bin/python benchmarks/exports.py            # 10k, 100k, 1M rows
    .venv/bin/python benchmarks/exports.py --rows 10000 50000

Rows come from a generator, as the kernel reads a QuerySet in chunks (``QuerySet.iterator(chunk_size=...)``),
so what is measured is the writers': flat means the peak does not grow with the rows.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from cooperation.exports import writers  # noqa: E402
from cooperation.exports.tables import Column, Table  # noqa: E402

START = datetime.date(2024, 1, 1)
COLUMNS = [
    Column("Loan", lambda n: f"LN-{n // 12:06d}"),
    Column("Number", lambda n: n % 12 + 1),
    Column("Due on", lambda n: START + datetime.timedelta(days=30 * (n % 120))),
    Column("Principal", lambda n: Decimal(1000 + n % 997) + Decimal("0.25")),
    Column("Interest", lambda n: Decimal(n % 89) + Decimal("0.10")),
    Column("Currency", lambda n: ("USD", "EUR", "IDR", "JPY")[n % 4]),
    Column("Borrower", lambda n: f"Cooperative {n % 5000}"),
]


def measure(rows: int, file_format: str) -> tuple[float, float, int]:
    table = Table("installments", COLUMNS, (n for n in range(rows)))
    with tempfile.TemporaryFile() as file:
        tracemalloc.start()
        began = time.perf_counter()
        writers.WRITERS[file_format](table, file)
        seconds = time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = file.tell()
    return peak / 2**20, seconds, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    options = parser.parse_args()
    print(f"{'rows':>10} {'format':>6} {'peak heap MiB':>14} {'seconds':>8} {'file MiB':>9}")
    for rows in options.rows:
        for file_format in writers.FORMATS:
            peak, seconds, size = measure(rows, file_format)
            print(f"{rows:>10,} {file_format:>6} {peak:>14.1f} {seconds:>8.1f} {size / 2**20:>9.1f}")


if __name__ == "__main__":
    main()
