"""PyTorch CPU loops for fine-tuning a frozen MobileNetV2 on the CIFAR-10 subset, the references
`convlab train --freeze-base` is measured against.

Benchmark only: needs Debian's python3-torch and python3-torchvision (run with /usr/bin/python3).
The images are standardized per channel with the training split's statistics (convlab's CIFAR
recipe) and upscaled with bilinear interpolation (half-pixel centres, as convlab resizes) to
--size. The base is torchvision's MobileNetV2 features plus global average pooling, randomly
initialised and frozen in eval mode; the head is one softmax classifier (convlab's default head),
trained with Adam at batch 64 with seeded shuffling.

  --mode recompute: the usual tutorial loop: every epoch runs every batch through the frozen base
                    (under no_grad) and then the head.
  --mode cache:     the base runs once per image; the head trains on the stored features.

Prints one JSON line: seconds to the end of the last epoch (from the data in memory), seconds in
the base, test accuracy, threads.

Usage: /usr/bin/python3 bench/torch_finetune.py --mode recompute --epochs 10 --threads 2 --data DIR
       [--size 96] [--limit N] [--test-limit N] [--seed 0]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def read_cifar(path, limit=None):
    with gzip.open(path, "rb") as f:
        records = np.frombuffer(f.read(), np.uint8).reshape(-1, 3073)
    if limit:
        records = records[:limit]
    return records[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0, records[:, 0].astype(np.int64)


def prepare(x, mean, std, size):
    t = (torch.from_numpy(x) - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["recompute", "cache"], required=True)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--size", type=int, default=96)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--test-limit", type=int, default=None)
    p.add_argument("--data", default=os.environ.get("CONVLAB_DATA", "../shared/data"))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    folder = os.path.join(a.data, "cifar10-subset")
    xtr, ytr = read_cifar(os.path.join(folder, "train.bin.gz"), a.limit)
    xte, yte = read_cifar(os.path.join(folder, "test.bin.gz"), a.test_limit)
    mean = torch.from_numpy(xtr.transpose(1, 0, 2, 3).reshape(3, -1).mean(1))
    std = torch.from_numpy(xtr.transpose(1, 0, 2, 3).reshape(3, -1).std(1))
    xtr_t, xte_t = prepare(xtr, mean, std, a.size), prepare(xte, mean, std, a.size)
    ytr_t, yte_t = torch.from_numpy(ytr), torch.from_numpy(yte)

    net = torchvision.models.mobilenet_v2(weights=None)
    base = nn.Sequential(net.features, nn.AdaptiveAvgPool2d(1), nn.Flatten()).eval()
    for w in base.parameters():
        w.requires_grad_(False)
    head = nn.Linear(1280, 10)
    opt = torch.optim.Adam(head.parameters(), lr=1e-3, eps=1e-7)
    gen = torch.Generator().manual_seed(a.seed)

    def features(x):
        with torch.no_grad():
            return torch.cat([base(x[i:i + a.batch]) for i in range(0, len(x), a.batch)])

    start = time.perf_counter()
    base_seconds = 0.0
    cached = None
    if a.mode == "cache":
        t = time.perf_counter()
        cached = features(xtr_t)
        base_seconds += time.perf_counter() - t
    for _ in range(a.epochs):
        order = torch.randperm(len(ytr_t), generator=gen)
        for i in range(0, len(order), a.batch):
            idx = order[i:i + a.batch]
            if cached is None:
                t = time.perf_counter()
                with torch.no_grad():
                    f = base(xtr_t[idx])
                base_seconds += time.perf_counter() - t
            else:
                f = cached[idx]
            loss = F.cross_entropy(head(f), ytr_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        acc = (head(features(xte_t)).argmax(1) == yte_t).float().mean().item()
    print(json.dumps({"mode": a.mode, "epochs": a.epochs, "seconds": seconds, "baseSeconds": base_seconds,
                      "testAccuracy": acc, "threads": a.threads, "size": a.size, "samples": len(ytr_t)}))


if __name__ == "__main__":
    main()
