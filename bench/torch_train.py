"""A hand-written PyTorch CPU training loop, the reference `convlab train` is measured against.

Benchmark only: needs Debian's python3-torch and libopenblas0-pthread (run with /usr/bin/python3).
Models: the lecture's LeNet-5 on MNIST (28x28 padded to 32x32) and the ResNet paper's CIFAR ResNet-20
(option-A shortcuts, no conv bias) on CIFAR-10. Adam, batch 64, seeded shuffling. Prints one JSON
line per epoch: samples/s over the whole epoch (shuffling, batching and the optimizer included),
test accuracy, the thread count, and the BLAS library the process actually loaded.

Usage: /usr/bin/python3 bench/torch_train.py --model lenet5 --threads 1 --epochs 1 [--limit N]
       [--standardize] [--val-split 0.1] [--seed 0] [--data DIR] [--no-test]
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
        return np.frombuffer(data, np.uint8, offset=16).reshape(count, 1, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def read_cifar(path):
    with gzip.open(path, "rb") as f:
        records = np.frombuffer(f.read(), np.uint8).reshape(-1, 3073)
    return records[:, 1:].reshape(-1, 3, 32, 32), records[:, 0]


def load(dataset, root, split):
    """Images as uint8 NCHW and labels, from the same files convlab reads."""
    if dataset == "mnist":
        prefix = "train" if split == "train" else "t10k"
        folder = os.path.join(root, "mnist")
        return read_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz")), read_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"))
    return read_cifar(os.path.join(root, "cifar10-subset", f"{split}.bin.gz"))


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


class Block(nn.Module):
    """Basic block with the paper's option-A shortcut: subsample, then zero channels."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.extra = stride, cout - cin

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x[:, :, :: self.stride, :: self.stride] if self.stride > 1 else x
        if self.extra:
            s = F.pad(s, (0, 0, 0, 0, 0, self.extra))
        return F.relu(y + s)


class ResNet20(nn.Module):
    def __init__(self, n=3):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for i, cout in enumerate((16, 32, 64)):
            for b in range(n):
                layers.append(Block(cin, cout, 2 if (i > 0 and b == 0) else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


MODELS = {"lenet5": ("mnist", LeNet5), "resnet20": ("cifar10", ResNet20)}


def blas_library():
    """The BLAS shared objects this process mapped, as folder/file (openblas-pthread/libopenblasp-r0.3.21.so)."""
    with open("/proc/self/maps") as f:
        names = {"/".join(line.split()[-1].rsplit("/", 2)[-2:]) for line in f if "blas" in line.lower()}
    return ", ".join(sorted(names)) or "none"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=sorted(MODELS), default="lenet5")
    ap.add_argument("--data", default=os.environ.get("CONVLAB_DATA", os.path.join(here, "..", "..", "shared", "data")))
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--standardize", action="store_true", help="per-channel mean/std of the training samples used")
    ap.add_argument("--val-split", type=float, default=0.0, help="hold out this fraction (seeded), as convlab's default 0.1 does")
    ap.add_argument("--no-test", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dataset, Model = MODELS[a.model]
    xs, ys = load(dataset, a.data, "train")
    if a.limit:
        xs, ys = xs[: a.limit], ys[: a.limit]
    if a.val_split:
        keep = np.sort(np.random.default_rng(a.seed).permutation(len(xs))[: len(xs) - round(len(xs) * a.val_split)])
        xs, ys = xs[keep], ys[keep]
    X = torch.tensor(xs, dtype=torch.float32) / 255.0
    mean = X.mean(dim=(0, 2, 3), keepdim=True) if a.standardize else torch.zeros(1, X.shape[1], 1, 1)
    std = X.std(dim=(0, 2, 3), unbiased=False, keepdim=True) if a.standardize else torch.ones(1, X.shape[1], 1, 1)
    pad = (2, 2, 2, 2) if dataset == "mnist" else (0, 0, 0, 0)
    prep = lambda x: F.pad((x - mean) / std, pad)
    X, Y = prep(X), torch.tensor(ys, dtype=torch.long)
    model = Model()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    if not a.no_test:
        xt, yt = load(dataset, a.data, "test")
        XT, YT = prep(torch.tensor(xt, dtype=torch.float32) / 255.0), torch.tensor(yt, dtype=torch.long)
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(X))
        t = time.perf_counter()
        for i in range(0, len(X), a.batch):
            idx = perm[i : i + a.batch]
            opt.zero_grad()
            loss = F.cross_entropy(model(X[idx]), Y[idx])
            loss.backward()
            opt.step()
        dt = time.perf_counter() - t
        record = {"engine": f"pytorch {torch.__version__}", "model": a.model, "epoch": epoch + 1, "batch": a.batch, "threads": torch.get_num_threads(),
                  "train_samples": len(X), "samples_per_s": round(len(X) / dt, 1), "seconds": round(dt, 2), "blas": blas_library(),
                  "standardized": a.standardize, "load": round(os.getloadavg()[0], 2)}
        if not a.no_test:
            model.eval()
            with torch.no_grad():
                record["test_accuracy"] = round((torch.cat([model(XT[j : j + 1000]).argmax(1) for j in range(0, len(XT), 1000)]) == YT).float().mean().item(), 4)
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
