#!/usr/bin/env python3
"""Reference side of scripts/bench/vectors: data generation, faiss-cpu IndexFlatIP and numpy timings, the table.

Thread counts come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS (set by the bash script before numpy loads) and
faiss.omp_set_num_threads. See the comment at the top of scripts/bench/vectors for the file and JSON formats.
"""
import argparse
import json
import statistics
import struct
import time

import numpy as np


def write_matrix(path, m):
    m = np.ascontiguousarray(m, dtype="<f4")
    with open(path, "wb") as f:
        f.write(struct.pack("<II", m.shape[0], m.shape[1]))
        m.tofile(f)


def read_matrix(path):
    with open(path, "rb") as f:
        rows, dim = struct.unpack("<II", f.read(8))
    return np.fromfile(path, dtype="<f4", offset=8).reshape(rows, dim)


def generate(args):
    rng = np.random.default_rng(args.seed)
    out = np.empty((args.rows, args.dim), dtype=np.float32)
    step = 65536
    for lo in range(0, args.rows, step):
        block = rng.standard_normal((min(step, args.rows - lo), args.dim), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[lo:lo + len(block)] = block
    write_matrix(args.out, out)


def topk_rows(scores, k):
    """Top-k indices of each row of `scores`, best first, ties by smaller index."""
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    result = []
    for r in range(scores.shape[0]):
        ids = part[r]
        order = np.lexsort((ids, -scores[r, ids]))
        result.append([int(i) for i in ids[order]])
    return result


def timed(fn, repeats):
    times, last = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        last = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), last


def recall(found, truth, k):
    hits = sum(len(set(f[:k]) & set(t[:k])) for f, t in zip(found, truth))
    return hits / (k * len(truth))


def compare(args):
    import faiss  # after numpy; threads from the environment

    faiss.omp_set_num_threads(args.threads)
    X = read_matrix(args.data)
    Q = read_matrix(args.queries)
    n, d = X.shape
    nq, k = Q.shape[0], args.k
    with open(args.pipsight) as f:
        ps = json.load(f)

    # numpy: matrix product + argpartition.
    np_single, np_single_ids = timed(lambda: [topk_rows((X @ Q[i])[None, :], k)[0] for i in range(nq)], args.repeats)
    np_batch, np_batch_ids = timed(lambda: topk_rows(Q @ X.T, k), args.repeats)
    np_single /= nq

    index = faiss.IndexFlatIP(d)
    index.add(X)
    index.search(Q[:1], k)  # warm-up
    fs_single, fs_single_ids = timed(lambda: [index.search(Q[i:i + 1], k)[1][0].tolist() for i in range(nq)], args.repeats)
    fs_single /= nq
    # faiss >= 1.10 raised distance_compute_blas_threshold (128000 in 1.15), so a batch of 64 takes its per-query
    # SIMD path; the classic value 20 sends it through sgemm. Time both and compare against the faster.
    default_threshold = faiss.cvar.distance_compute_blas_threshold
    fs_batch, fs_batch_res = timed(lambda: index.search(Q, k), args.repeats)
    fs_mode = f"distance_compute_blas_threshold={default_threshold} (default)"
    faiss.cvar.distance_compute_blas_threshold = 20
    index.search(Q, k)  # warm-up of the BLAS path
    fs_blas, fs_blas_res = timed(lambda: index.search(Q, k), args.repeats)
    faiss.cvar.distance_compute_blas_threshold = default_threshold
    print(f"faiss batch: {fs_batch:.1f} ms with threshold {default_threshold} (default), {fs_blas:.1f} ms with 20 (sgemm)")
    if fs_blas < fs_batch:
        fs_batch, fs_batch_res, fs_mode = fs_blas, fs_blas_res, "distance_compute_blas_threshold=20 (sgemm)"
    fs_batch_ids = fs_batch_res[1].tolist()

    truth = np_batch_ids
    gb = n * d * 4 / 1e9
    rows = [
        ("pipsight", ps["singleMsPerQuery"], ps["batchMsPerQuery"], ps["batchMsTotal"],
         recall(ps["singleIds"], truth, k), recall(ps["batchIds"], truth, k)),
        ("faiss IndexFlatIP", fs_single, fs_batch / nq, fs_batch, recall(fs_single_ids, truth, k), recall(fs_batch_ids, truth, k)),
        ("numpy", np_single, np_batch / nq, np_batch, recall(np_single_ids, truth, k), 1.0),
    ]
    import os
    print(f"\n{n} x {d} float32, {nq} queries, k={k}, threads={args.threads}, "
          f"OPENBLAS_CORETYPE for faiss/numpy: {os.environ.get('OPENBLAS_CORETYPE', 'auto')}, "
          f"Pipsight elementType={ps['elementType']}, OpenBLAS core {ps['blasCore']}, faiss {faiss.__version__}, numpy {np.__version__}")
    print(f"{'engine':<18} {'single ms/q':>11} {'batch ms/q':>11} {'batch ms':>9} {'single GB/s':>11} {'batch GB/s':>10} {'recall 1q':>9} {'recall b':>8}")
    for name, s, b, bt, r1, rb in rows:
        print(f"{name:<18} {s:>11.3f} {b:>11.3f} {bt:>9.1f} {gb / (s / 1000):>11.2f} {gb / (bt / 1000):>10.2f} {r1:>9.4f} {rb:>8.4f}")
    print(f"pipsight / faiss: single {ps['singleMsPerQuery'] / fs_single:.2f}x, batch {ps['batchMsPerQuery'] / (fs_batch / nq):.2f}x; "
          f"pipsight / numpy: single {ps['singleMsPerQuery'] / np_single:.2f}x, batch {ps['batchMsPerQuery'] / (np_batch / nq):.2f}x; "
          f"faiss batch mode {fs_mode}; pipsight effective {ps['singleGBPerSecond']:.2f} GB/s single, {ps['batchGBPerSecond']:.2f} GB/s batch")
    if args.summary:
        summary = {
            "rows": n, "dimension": d, "queries": nq, "k": k, "threads": args.threads,
            "pipsight": {key: v for key, v in ps.items() if not key.endswith("Ids")},
            "faiss": {"singleMsPerQuery": fs_single, "batchMsPerQuery": fs_batch / nq, "batchMsTotal": fs_batch,
                      "batchMode": fs_mode, "version": faiss.__version__},
            "numpy": {"singleMsPerQuery": np_single, "batchMsPerQuery": np_batch / nq, "batchMsTotal": np_batch,
                      "version": np.__version__},
            "recall": {name: {"single": r1, "batch": rb} for name, _, _, _, r1, rb in rows},
        }
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=2)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--rows", type=int, required=True)
    g.add_argument("--dim", type=int, required=True)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--data", required=True)
    c.add_argument("--queries", required=True)
    c.add_argument("--k", type=int, default=10)
    c.add_argument("--threads", type=int, default=1)
    c.add_argument("--repeats", type=int, default=3)
    c.add_argument("--pipsight", required=True)
    c.add_argument("--summary")
    args = parser.parse_args()
    generate(args) if args.command == "generate" else compare(args)


if __name__ == "__main__":
    main()
