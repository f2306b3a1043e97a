"""Benchmarks: each figure a ratio against a baseline measured in the same run, on the same loopback server.

    scripts/bench                 # everything; prints a Markdown table
    scripts/bench --only mock     # one part (repeatable); `scripts/bench --help` lists them

One module per part (`client`, `pager`, `webhooks`, `mock`, `delivery`, `contract`, `ingest`, ...), each with a
`run() -> list[Row]`; the servers and baselines they share are in `servers`, the timing rules in `timing`, the
table and the machine it ran on in `report`. Every row carries the machine (cores, load average before and after
its part): these machines are shared, and a figure means little without the load it was taken under.
"""
