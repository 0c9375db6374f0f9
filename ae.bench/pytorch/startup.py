#!/usr/bin/python3
"""The whole job `ae train --model R1 --data fashion-mnist --epochs 1 --validation 0` does, in PyTorch: read the
IDX files, train the workload for --epochs epochs of batch 128 with Adam, and compute the test loss. Prints one JSON
object per epoch with the keys of `ae train --json` (epoch, samples_per_s, seconds) and a last one with test_loss,
so `ae bench startup` times both processes, from start to exit, the same way.
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import workloads  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="R1")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    workloads.set_blas_threads(args.threads)
    torch.manual_seed(args.seed)
    train = workloads.load_images("train")
    test = workloads.load_images("t10k")
    model = workloads.build(args.model)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        samples = 0
        for x in workloads.batches(train, generator):
            opt.zero_grad()
            model.loss(x).backward()
            opt.step()
            samples += x.shape[0]
        seconds = time.perf_counter() - started
        print(json.dumps({"epoch": epoch, "samples_per_s": samples / seconds, "seconds": seconds}), flush=True)
    with torch.no_grad():
        total = sum(model.loss(test[i:i + 1000]).item() * test[i:i + 1000].shape[0]
                    for i in range(0, test.shape[0], 1000))
    print(json.dumps({"test_loss": total / test.shape[0]}), flush=True)


if __name__ == "__main__":
    main()
