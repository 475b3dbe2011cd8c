#!/usr/bin/env python3
"""Runs a fixed set of queries through MeetQL and through Spark (PySpark, local mode) or
DataFusion over `meetql export --format parquet`, and compares the rows.

    pip install pyspark        # Spark; needs Java 17
    pip install datafusion     # DataFusion
    python3 tools/scaleout_compare.py --engine spark --count 1000000

It generates a corpus (`meetql gen`), imports it, exports it as Parquet, then for each query
prints the rows `meetql query -f csv` gives (header aside) and the rows the engine gives for
`meetql sql --dialect ENGINE --from DIR`, formatted the same way, and whether they are equal,
with the times. Exits 1 when any query differs. See docs/scale-out.md for the figures.
"""

import argparse
import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time

QUERIES = [
    'meetings where org = "UN" and date >= 2024-01 select id',
    'meetings where date = 2023 count by org',
    'meetings where participant { name contains "a" and org = "OSCE" } count',
    'meetings where country in ["Kazakhstan", "Uzbekistan"] and not topic = "water" count',
    'meetings where date between 2022-03 and 2022-04 order by date desc limit 20 select id',
    'topics where org = "EU" limit 5',
    'meetings where city exists and date < 2020 count',
    'meetings where date >= 2024 count by month',
    'meetings where kind = "call" and person starts with "A" order by date limit 50 offset 10 select id',
    'people where country = "Turkmenistan" and date = 2024-01 limit 10',
    'meetings where topic = "energy" and city = "Ashgabat" order by org limit 25',
    'meetings where not (org = "UN" or org = "OSCE") and date = 2021 count by year',
    'countries where kind = "video" limit 10',
    'meetings where text contains "water" and title exists count by kind',
    'orgs count',
]


def csv_text(rows):
    """Rows as the csv crate writes them (quotes only where needed, \\n line ends)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return out.getvalue()


def statements(sql):
    """The statements of `meetql sql` output (the preamble's views, then the query)."""
    return [s.strip() for s in sql.strip().rstrip(";").split(";\n") if s.strip()]


class Spark:
    name = "spark"

    def __init__(self, cores):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            sys.exit("scaleout_compare: PySpark is missing: pip install pyspark (and Java 17)")
        self.spark = (
            SparkSession.builder.master(f"local[{cores}]")
            .appName("meetql-scaleout")
            .config("spark.driver.memory", "4g")
            .config("spark.sql.shuffle.partitions", str(max(4, 2 * cores)))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")

    def run(self, sql):
        *pre, query = statements(sql)
        for s in pre:
            self.spark.sql(s)
        return [tuple(r) for r in self.spark.sql(query).collect()]


class DataFusion:
    name = "datafusion"

    def __init__(self, cores):
        try:
            import datafusion
        except ImportError:
            sys.exit("scaleout_compare: DataFusion is missing: pip install datafusion")
        self.datafusion = datafusion
        self.cores = cores

    def run(self, sql):
        ctx = self.datafusion.SessionContext(
            self.datafusion.SessionConfig().with_target_partitions(self.cores)
        )
        *pre, query = statements(sql)
        for s in pre:
            ctx.sql(s).collect()
        rows = []
        for batch in ctx.sql(query).collect():
            cols = [c.to_pylist() for c in batch.columns]
            rows.extend(zip(*cols))
        return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["spark", "datafusion"], default="spark")
    ap.add_argument("--meetql", default="target/release/meetql", help="the meetql binary")
    ap.add_argument("--count", type=int, default=1_000_000, help="meetings to generate")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--work", help="keep the corpus, database and export here (reused when present)")
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="meetql-scaleout-")
    os.makedirs(work, exist_ok=True)
    db, pq, corpus = (os.path.join(work, n) for n in ("db", "parquet", "corpus.jsonl"))
    mq = os.path.abspath(args.meetql)

    def timed(cmd, **kw):
        t = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
        return out.stdout, time.perf_counter() - t

    if not os.path.exists(db):
        with open(corpus, "w") as f:
            subprocess.run([mq, "gen", "--count", str(args.count), "--seed", str(args.seed)], check=True, stdout=f)
        _, t = timed([mq, "import", "--db", db, corpus])
        print(f"import of {args.count} meetings: {t:.1f} s")
    if not os.path.exists(pq):
        _, t = timed([mq, "export", "--db", db, "--format", "parquet", pq])
        print(f"export --format parquet: {t:.1f} s")

    t = time.perf_counter()
    engine = Spark(args.cores) if args.engine == "spark" else DataFusion(args.cores)
    print(f"{engine.name} start: {time.perf_counter() - t:.1f} s")
    print(f"\n| query | rows | equal | MeetQL s | {engine.name} s |\n|---|---:|:---:|---:|---:|")
    differ = 0
    for q in QUERIES:
        mine, t_mine = timed([mq, "query", "--db", db, "-f", "csv", q])
        mine = mine.split("\n", 1)[1] if "\n" in mine else ""
        sql, _ = timed([mq, "sql", "--dialect", engine.name, "--from", pq, q])
        t = time.perf_counter()
        try:
            theirs = csv_text(engine.run(sql))
        except Exception as e:  # the engine's own error, shown as such
            theirs = f"<error: {str(e).splitlines()[0][:200]}>"
        t_theirs = time.perf_counter() - t
        same = mine == theirs
        differ += not same
        rows = mine.count("\n")
        print(f"| `{q}` | {rows} | {'yes' if same else 'NO'} | {t_mine:.2f} | {t_theirs:.2f} |", flush=True)
        if not same:
            print(f"    MeetQL: {mine[:300]!r}\n    {engine.name}: {theirs[:300]!r}", file=sys.stderr)
    print(f"\n{len(QUERIES) - differ}/{len(QUERIES)} queries equal on {engine.name}")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
