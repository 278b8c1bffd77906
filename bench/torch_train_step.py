"""Time of one training step against one forward pass, in PyTorch on the CPU, for convlab's training-FLOPs check.

Benchmark only: needs Debian's python3-torch and python3-torchvision (run with /usr/bin/python3).
Models: the lecture's LeNet-5 (32x32x1, tanh, average pooling) and torchvision's ResNet-50. For each,
random inputs and labels, SGD with momentum, cross-entropy: the median of `--steps` forward passes
under no_grad, and of `--steps` training steps (forward, backward, optimizer step), after a warm-up.
Prints one JSON line per model.

Usage: /usr/bin/python3 bench/torch_train_step.py --model resnet50 --batch 8 --steps 5 --threads 2
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision

# The same LeNet-5 as the training benchmark; this script sits beside it.
from torch_train import LeNet5


MODELS = {
    "lenet5": (LeNet5, (1, 32, 32), 10),
    "resnet50": (lambda: torchvision.models.resnet50(), (3, 224, 224), 1000),
}


def timed(f, steps):
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=sorted(MODELS), required=True)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    make, shape, classes = MODELS[a.model]
    model = make()
    x = torch.randn(a.batch, *shape)
    y = torch.randint(0, classes, (a.batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def forward():
        with torch.no_grad():
            model(x)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    model.train()
    step()
    train_s = timed(step, a.steps)
    forward()
    forward_s = timed(forward, a.steps)
    print(json.dumps({"model": a.model, "batch": a.batch, "threads": a.threads, "forward_s": forward_s, "train_step_s": train_s, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
