"""PyTorch CPU inference latency for side-by-side comparison with `convlab bench`.

Benchmark only: needs Debian's python3-torch, python3-torchvision and libopenblas0-pthread (run with
/usr/bin/python3). Prints one JSON line per (model, batch): p50/p90 latency in ms, images/s, and the
BLAS library the process loaded.
Usage: /usr/bin/python3 bench/torch_infer.py --models resnet50,mobilenet_v2 --batch 1,8 --threads 2
"""
import argparse
import json
import time

import torch
import torchvision

from torch_train import blas_library


def measure(model, batch, size, warmup, runs):
    x = torch.randn(batch, 3, size, size)
    with torch.inference_mode():
        for _ in range(warmup):
            model(x)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50 = times[len(times) // 2]
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    return p50, p90


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="resnet50")
    ap.add_argument("--batch", default="1")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--size", type=int, default=224)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for name in a.models.split(","):
        model = getattr(torchvision.models, name)().eval()
        for b in [int(s) for s in a.batch.split(",")]:
            p50, p90 = measure(model, b, a.size, a.warmup, a.runs)
            print(json.dumps({"engine": f"pytorch {torch.__version__}", "model": name, "batch": b, "threads": a.threads,
                              "p50_ms": round(p50, 2), "p90_ms": round(p90, 2), "images_per_s": round(b * 1000 / p50, 1),
                              "blas": blas_library()}))


if __name__ == "__main__":
    main()
