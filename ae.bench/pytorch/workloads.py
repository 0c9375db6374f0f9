#!/usr/bin/python3
"""The reference workloads R1..R6 of docs/workloads.md in PyTorch: the speed anchor ae is measured against.

Prints one JSON object per line, with the keys of `ae bench workload`:
  {"workload": "R1", "threads": 1, "steps": 400, "samples_per_s": ..., "impl": "pytorch", ...}
With --epochs E it also trains E full epochs and prints the test-set mean loss per sample.

PyTorch's linear layers call the system BLAS: Debian's python3-torch links the reference BLAS unless OpenBLAS is
installed (apt-get install libopenblas0-pthread), which makes it about 9x faster here. A comparison against the
reference BLAS would flatter ae, so the "blas" key of each line says which library PyTorch really ran.
Debian's OpenBLAS 0.3.21 does not recognise every newer CPU and then falls back to its Prescott (SSE3) kernels
(OPENBLAS_VERBOSE=2 prints the core): on such a machine give PyTorch its best kernels with OPENBLAS_CORETYPE set to
SkylakeX or Haswell, whichever measures faster, and compare ae against that.
At T threads it reports the fastest of three splits of the cores between PyTorch's OpenMP threads and OpenBLAS's
(T and T, T and 1, 1 and T), with the split in "omp_threads" and "blas_threads".
Run it on the same machine and in the same session as the ae figures it is compared with, e.g.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 ae.bench/pytorch/workloads.py --threads 1 --steps 400
"""
import argparse
import ctypes
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
BATCH = 128


def load_images(split):
    path = os.path.join(DATA, f"{split}-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">i4")
    if magic != 2051:
        sys.exit(f"{path}: bad magic {magic}")
    pixels = np.frombuffer(raw[16:], dtype=np.uint8, count=n * rows * cols)
    return torch.from_numpy(pixels.reshape(n, rows * cols).astype(np.float32) / 255.0)


def fan_in_uniform(layer):
    bound = 1.0 / layer.in_features ** 0.5
    nn.init.uniform_(layer.weight, -bound, bound)
    nn.init.uniform_(layer.bias, -bound, bound)
    return layer


def linear(i, o):
    return fan_in_uniform(nn.Linear(i, o))


class Shallow(nn.Module):
    """R1, R3, R4, R5: 784 -> 256 sigmoid -> 784 sigmoid (logits out; BCE from logits)."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        self.enc = linear(784, 256)
        self.dec = linear(256, 784)

    def loss(self, x):
        inp = x
        if self.kind == "R4":
            inp = x * (torch.rand_like(x) >= 0.3).float()
        h = torch.sigmoid(self.enc(inp))
        logits = self.dec(h)
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        if self.kind == "R3":
            # closed form ||dh/dx||_F^2 = sum_j (h_j(1-h_j))^2 * sum_i W_ji^2, mean over the batch
            w_sq = (self.enc.weight ** 2).sum(dim=1)
            loss = loss + 0.1 * (((h * (1 - h)) ** 2) * w_sq).sum() / x.shape[0]
        if self.kind == "R5":
            rho, rho_hat = 0.05, h.mean(dim=0).clamp(1e-6, 1 - 1e-6)
            kl = rho * torch.log(rho / rho_hat) + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))
            loss = loss + 3.0 * kl.sum()
        return loss


class Deep(nn.Module):
    """R2: 784-512-256-64-256-512-784, ReLU hidden, linear code, sigmoid output."""

    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(linear(i, o) for i, o in
                                    [(784, 512), (512, 256), (256, 64), (64, 256), (256, 512), (512, 784)])

    def loss(self, x):
        h = x
        for index, layer in enumerate(self.layers):
            h = layer(h)
            if index not in (2, 5):
                h = F.relu(h)
        return F.binary_cross_entropy_with_logits(h, x, reduction="sum") / x.shape[0]


class Vae(nn.Module):
    """R6: 784-400 ReLU -> mu(20), logvar(20); z -> 400 ReLU -> 784 sigmoid."""

    def __init__(self):
        super().__init__()
        self.enc, self.mu, self.logvar = linear(784, 400), linear(400, 20), linear(400, 20)
        self.dec1, self.dec2 = linear(20, 400), linear(400, 784)

    def loss(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.dec2(F.relu(self.dec1(z)))
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())
        return (bce + kl) / x.shape[0]


def build(name):
    return Deep() if name == "R2" else Vae() if name == "R6" else Shallow(name)


def batches(train, generator):
    order = torch.randperm(train.shape[0], generator=generator)
    for start in range(0, train.shape[0] - BATCH + 1, BATCH):
        yield train[order[start:start + BATCH]]


def throughput(name, train, threads, steps, warmup, repetitions, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = build(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    generator = torch.Generator().manual_seed(seed)

    def endless():
        while True:
            yield from batches(train, generator)

    stream = endless()

    def step():
        x = next(stream)
        opt.zero_grad(set_to_none=False)
        loss = model.loss(x)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    rates, loss = [], float("nan")
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        rates.append(steps * BATCH / (time.perf_counter() - start))
    return statistics.median(rates), loss


def quality(name, train, test, threads, epochs, seed):
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = build(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for x in batches(train, generator):
            opt.zero_grad()
            model.loss(x).backward()
            opt.step()
    with torch.no_grad():
        total = sum(model.loss(test[i:i + 1000]).item() * test[i:i + 1000].shape[0]
                    for i in range(0, test.shape[0], 1000))
    return total / test.shape[0]


def loaded_blas():
    """The BLAS shared library this process mapped (the alternatives system decides which)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
    return ",".join(sorted(os.path.realpath(p) for p in paths)) or "unknown"


def set_blas_threads(threads):
    """OpenBLAS runs its own thread pool beside PyTorch's OpenMP threads, sized to all cores unless told: at
    "1 thread" PyTorch's products would run on 2 cores, at 2 threads OpenMP and OpenBLAS would oversubscribe them.
    Returns the OpenBLAS thread count in effect, or None when the BLAS is not OpenBLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libopenblas" in line and "/" in line}
    count = None
    for path in paths:
        library = ctypes.CDLL(path)
        library.openblas_set_num_threads(threads)
        count = library.openblas_get_num_threads()
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="R1,R2,R3,R4,R5,R6")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=0, help="also train this many epochs and report test loss")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    train = load_images("train")
    test = load_images("t10k") if args.epochs else None
    torch.ones(64, 64) @ torch.ones(64, 64)
    blas = loaded_blas()
    for name in args.workloads.split(","):
        for threads in (int(t) for t in args.threads.split(",")):
            # PyTorch's best use of the cores: its OpenMP threads and OpenBLAS's both at the count oversubscribe
            # them (at 2 threads here that halved the speed), so the split of the count is measured too.
            best = None
            for omp_threads, blas_count in [(threads, threads)] + ([(threads, 1), (1, threads)] if threads > 1 else []):
                blas_threads = set_blas_threads(blas_count)
                rate, loss = throughput(name, train, omp_threads, args.steps, args.warmup, args.repetitions, args.seed)
                if best is None or rate > best[0]:
                    best = (rate, loss, omp_threads, blas_threads)
            rate, loss, omp_threads, blas_threads = best
            row = {"workload": name, "threads": threads, "steps": args.steps, "samples_per_s": round(rate, 1),
                   "impl": "pytorch", "torch": torch.__version__, "blas": blas, "omp_threads": omp_threads,
                   "blas_threads": blas_threads,
                   "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "auto"), "last_loss": round(loss, 3)}
            if args.epochs:
                row["epochs"] = args.epochs
                row["test_loss"] = round(quality(name, train, test, threads, args.epochs, args.seed), 3)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
