"""PyTorch CPU training throughput of the lecture's LeNet-5 on MNIST, for comparison with `convlab train`.

Benchmark only: needs Debian's python3-torch (run with /usr/bin/python3). Reads the IDX files from
../shared/data/mnist (or --data), pads 28x28 to 32x32 as the lecture's LeNet expects, trains with
Adam at batch 64 and prints samples/s per epoch and the final test accuracy as JSON lines.
Usage: /usr/bin/python3 bench/torch_train_lenet.py --epochs 1 --threads 2
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "mnist"))
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=60000)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    xs = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))[: a.limit]
    ys = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz"))[: a.limit]
    xt = read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    yt = read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz"))
    prep = lambda x: F.pad(torch.tensor(x, dtype=torch.float32).unsqueeze(1) / 255.0, (2, 2, 2, 2))
    X, Y, XT, YT = prep(xs), torch.tensor(ys, dtype=torch.long), prep(xt), torch.tensor(yt, dtype=torch.long)
    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(a.epochs):
        perm = torch.randperm(len(X))
        t = time.perf_counter()
        for i in range(0, len(X), a.batch):
            idx = perm[i : i + a.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), Y[idx])
            loss.backward()
            opt.step()
        dt = time.perf_counter() - t
        with torch.no_grad():
            acc = (model(XT).argmax(1) == YT).float().mean().item()
        print(json.dumps({"engine": f"pytorch {torch.__version__}", "epoch": epoch + 1, "batch": a.batch, "threads": a.threads,
                          "samples_per_s": round(len(X) / dt, 1), "seconds": round(dt, 2), "test_accuracy": round(acc, 4)}))


if __name__ == "__main__":
    main()
