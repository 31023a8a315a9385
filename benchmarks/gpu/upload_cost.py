"""Where the per-step time of a tiny model goes on a GPU: the quickstart-size step (batch 64) with the batch indices
(a) uploaded from freshly pinned memory without blocking, (b) uploaded from pageable memory (blocking),
(c) sliced from a device-resident epoch permutation (no per-step upload); and the bare costs of pin_memory() and
of a blocking 64-element upload. Medians of 7 blocks of 200 steps, after 50 warm-up steps.

    python3 benchmarks/gpu/upload_cost.py
"""
import statistics
import time

import torch
import torch.nn.functional as F

dev = "cuda"
n, batch = 4000, 64
torch.manual_seed(0)
x = torch.randn(n, 250, device=dev)
ys = [torch.randn(n, 100, device=dev) for _ in range(3)]
cls = torch.randint(0, 4, (n,), device=dev)
layers, w = [], 250
for _ in range(4):
    layers += [torch.nn.Linear(w, 100), torch.nn.ReLU()]
    w = 100
net = torch.nn.Sequential(*layers).to(dev)
heads = torch.nn.ModuleList([torch.nn.Linear(100, 100) for _ in range(3)] + [torch.nn.Linear(100, 4)]).to(dev)
opt = torch.optim.Adam(list(net.parameters()) + list(heads.parameters()), lr=1e-3)
perm_host = torch.randperm(n)
perm_dev = perm_host.to(dev)


def step(mode, k):
    lo = (k * batch) % (n - batch)
    if mode == "pinned":
        idx = perm_host[lo:lo + batch].pin_memory().to(dev, non_blocking=True)
    elif mode == "pageable":
        idx = perm_host[lo:lo + batch].to(dev)
    else:
        idx = perm_dev[lo:lo + batch]
    z = net(x.index_select(0, idx))
    outs = [h(z) for h in heads]
    losses = [F.mse_loss(outs[i], ys[i].index_select(0, idx)) for i in range(3)]
    losses.append(F.cross_entropy(outs[3], cls.index_select(0, idx)))
    opt.zero_grad()
    torch.stack(losses).sum().backward()
    opt.step()


def timed(fn, steps=200, blocks=7, warm=50):
    for k in range(warm):
        fn(k)
    torch.cuda.synchronize()
    out = []
    for _ in range(blocks):
        t0 = time.perf_counter()
        for k in range(steps):
            fn(k)
        torch.cuda.synchronize()
        out.append((time.perf_counter() - t0) * 1e3 / steps)
    return statistics.median(out)


for mode in ["pinned", "pageable", "device", "pinned", "pageable", "device"]:
    print(f"step with {mode} indices: {timed(lambda k: step(mode, k)):.4f} ms", flush=True)
print(f"pin_memory() of 64 longs: {timed(lambda k: perm_host[:64].pin_memory()):.4f} ms")
print(f"blocking upload of 64 longs: {timed(lambda k: perm_host[:64].to(dev)):.4f} ms")
print(f"empty kernel launch (x.add_(0)) : {timed(lambda k: x[:1].add_(0)):.4f} ms")
