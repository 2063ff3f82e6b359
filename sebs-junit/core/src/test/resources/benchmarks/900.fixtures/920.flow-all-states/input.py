"""920.flow-all-states: every SeBS-Flow state type in one small workflow (test fixture).

start -> twice (repeat inc x2) -> choose (switch counter == 2) -> squares (map over items)
-> fanout (parallel: total | scaled, a map with common_params n) -> audit (loop over scaled)
-> risky (fails) --failure--> recover.  With {"n": 3}: items [1, 4, 9], total 14, scaled [3, 12, 27],
15 function executions. {"boom": true} makes start raise without a failure transition.
"""


def generate_input(data_dir, size, benchmarks_bucket, input_paths, output_paths, upload_func, nosql_func):
    return {"n": {"test": 3, "small": 5, "large": 8}[size]}
