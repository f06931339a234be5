#!/usr/bin/env python3
"""How hebes would scale beyond this machine: a discrete-event model of one generation.

  tools/scaling_model.py [--lengths FILE.csv] [--step-us US] [--service-us US] [--params N] ...

Fed with measured figures (defaults: this machine's, see docs/scaling.md) and a distribution of
episode lengths (the `steps` column of a `hebes eval --out` CSV, or of any CSV; default: every
episode runs to the 1000-step limit, as the walk job's do), it simulates rank 0 handing out
candidates on demand to N - 1 other ranks while rolling out itself, then adds the end of the
generation (shaping, the pair-weight broadcast, each rank's gradient share, the integer
reduction). It prints the parallel efficiency (rollout work / (ranks x generation time)) for
populations x rank counts, and what bounds it.
"""
import argparse
import csv
import heapq
import math
import random


def read_lengths(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return [int(float(r["steps"])) for r in rows if r.get("steps")]


def generation(pop, ranks, lengths, a, rng):
    """Wall time of one generation and rank 0's share of time spent answering."""
    durations = [rng.choice(lengths) * a.step_us * 1e-6 for _ in range(pop)]
    work = sum(durations)
    queue = list(durations)
    queue.reverse()  # pop() hands out candidates in order
    # events: (time a rank asks for work, rank); rank 0 is modelled apart
    events = [(0.0, r) for r in range(1, ranks)]
    heapq.heapify(events)
    server_free = 0.0  # rank 0 answers one request at a time
    busy0 = 0.0  # rank 0's own rollouts: it polls between its env steps
    rank0_until = 0.0
    served = 0
    finish = 0.0
    while events:
        t, r = heapq.heappop(events)
        # rank 0 is rolling out until rank0_until: a request waits for the end of its current step
        if t < rank0_until:
            t += rng.uniform(0.0, a.step_us * 1e-6)
        start = max(t, server_free)
        server_free = start + a.service_us * 1e-6
        served += 1
        # while idle (between requests), rank 0 takes a candidate itself
        if rank0_until <= start and queue:
            d = queue.pop()
            rank0_until = start + d
            busy0 += d
            finish = max(finish, rank0_until)
        if not queue:
            finish = max(finish, t)
            continue
        d = queue.pop()
        heapq.heappush(events, (server_free + d, r))
        finish = max(finish, server_free + d)
    # rank 0 serves, so its own rollouts stretch by the service time it spent
    finish = max(finish, rank0_until + served * a.service_us * 1e-6 * (busy0 / max(finish, 1e-12)))
    pairs_per_rank = math.ceil(pop / 2 / ranks)
    share = pairs_per_rank * a.params * a.share_ns * 1e-9
    shape = pop * math.log2(max(pop, 2)) * 50e-9
    bytes_ = 8 * a.params
    allreduce = 2 * bytes_ / (a.bandwidth_gbs * 1e9) + 2 * math.log2(max(ranks, 2)) * a.latency_us * 1e-6
    bcast = 4 * pop / (a.bandwidth_gbs * 1e9) + math.log2(max(ranks, 2)) * a.latency_us * 1e-6
    tail = shape + bcast + share + allreduce
    total = finish + tail
    return work, total, served * a.service_us * 1e-6 / total, tail


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lengths", help="CSV with a steps column (hebes eval --out); default: all 1000")
    p.add_argument("--step-us", type=float, default=190.0, help="one env step of a rollout, us (measured)")
    p.add_argument("--service-us", type=float, default=7.4, help="rank 0 per request, us (measured)")
    p.add_argument("--params", type=int, default=60800, help="ES parameters (the walk job: 60,800)")
    p.add_argument("--share-ns", type=float, default=4.8,
                   help="gradient share per pair and parameter, ns (measured: regenerate eps and add)")
    p.add_argument("--bandwidth-gbs", type=float, default=10.0, help="network bandwidth, GB/s (assumed)")
    p.add_argument("--latency-us", type=float, default=5.0, help="network latency per hop, us (assumed)")
    p.add_argument("--generations", type=int, default=3, help="generations simulated per cell")
    a = p.parse_args()
    lengths = read_lengths(a.lengths) if a.lengths else [1000]
    rng = random.Random(1)
    pops = [500, 1000, 2000, 5000, 10000]
    ranks = [64, 256, 1024, 4096]
    print(f"episode lengths: {len(lengths)} values, mean {sum(lengths) / len(lengths):.0f} steps; "
          f"step {a.step_us} us, rank 0 {a.service_us} us a request, {a.params} parameters")
    print("efficiency (rollout work / ranks x generation time); in brackets: generation seconds, "
          "rank 0's time answering")
    print(f"{'population':>10} " + " ".join(f"{r:>24}" for r in ranks))
    for pop in pops:
        cells = []
        for r in ranks:
            res = [generation(pop, r, lengths, a, rng) for _ in range(a.generations)]
            work = sum(x[0] for x in res)
            total = sum(x[1] for x in res)
            load0 = max(x[2] for x in res)
            cells.append(f"{work / (r * total):5.2f} ({total / len(res):6.2f} s, {100 * load0:4.1f}%)")
        print(f"{pop:>10} " + " ".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
