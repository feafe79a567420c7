"""The M/M/c service desk of `bench-sim` in SimPy, the Python discrete-event simulation
library: the same model, horizon, warm-up and seeds as itsm-sim's run, the same measure
(the mean wait of tickets that arrived after the warm-up and were picked up before the
horizon).

Run by `cargo run --release -p itsm-examples --bin bench-sim`, which installs SimPy into
`target/venv-simpy` first. Prints one JSON object: SimPy's version, per seed the mean wait,
the share that waited and the count, and the wall and CPU time of each timed run (all seeds).
"""

import argparse
import json
import random
import time

import simpy


def one(lam, mu, c, horizon, warmup, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=c)
    tally = {"sum": 0.0, "n": 0, "waited": 0}

    def ticket(env, arrived):
        with agents.request() as req:
            yield req
            if arrived >= warmup:
                wait = env.now - arrived
                tally["sum"] += wait
                tally["n"] += 1
                if wait > 0:
                    tally["waited"] += 1
            yield env.timeout(rng.expovariate(mu))

    def source(env):
        while True:
            yield env.timeout(rng.expovariate(lam))
            env.process(ticket(env, env.now))

    env.process(source(env))
    env.run(until=horizon)
    n = tally["n"]
    return {
        "mean": tally["sum"] / n if n else 0.0,
        "waited": tally["waited"] / n if n else 0.0,
        "count": n,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lam", type=float, required=True)
    p.add_argument("--mu", type=float, required=True)
    p.add_argument("--c", type=int, required=True)
    p.add_argument("--horizon", type=float, required=True)
    p.add_argument("--warmup", type=float, required=True)
    p.add_argument("--seeds", type=int, nargs="+", required=True)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    times, cpu = [], []
    results = None
    for _ in range(a.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        results = [one(a.lam, a.mu, a.c, a.horizon, a.warmup, s) for s in a.seeds]
        cpu.append(time.process_time() - started_cpu)
        times.append(time.perf_counter() - started)
    print(json.dumps({"simpy": simpy.__version__, "seeds": results, "times": times, "cpu": cpu}))


if __name__ == "__main__":
    main()
