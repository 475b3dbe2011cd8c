"""Runs SQL cases through DataFusion for tests/differential.rs: reads a JSON file
{"preamble": [statements], "cases": [{"sql": query, "out": file}]}, runs the preamble once, then
writes each query's rows to its file as the csv crate writes them (quotes only where needed).
A query DataFusion rejects writes no file; its error goes to stderr."""

import csv
import json
import sys

import datafusion

spec = json.load(open(sys.argv[1]))
ctx = datafusion.SessionContext()
for s in spec["preamble"]:
    ctx.sql(s).collect()
for case in spec["cases"]:
    try:
        rows = []
        for batch in ctx.sql(case["sql"]).collect():
            rows.extend(zip(*[c.to_pylist() for c in batch.columns]))
    except Exception as e:
        print(f"{case['sql'][:200]}: {str(e).splitlines()[0][:300]}", file=sys.stderr)
        continue
    with open(case["out"], "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])
