"""torchjd's aggregators on the Jacobian of benchmarks/src/.../AggregatorScaling.java: J [T, P] float32 from torch's
generator seeded with T*P; times aggregator(J) -> d. One thread. Prints RESULT torchjd METHOD T P MS: after 0.5 s of
warm-up calls, the median of >= 3 calls and >= 1 s of calls (at most 200), or of the calls made in 10 s when they are
longer (at least one).

Usage: aggregator_peer.py T P METHOD[,METHOD...]"""
import sys
import time

import torch
from torchjd.aggregation import (CAGrad, ConFIG, DualProj, GradVac, IMTLG, MGDA, NashMTL, PCGrad, UPGrad,
                                 AlignedMTL)

MAKE = {"upgrad": UPGrad, "dualproj": DualProj, "mgda": MGDA, "pcgrad": PCGrad, "imtl-g": IMTLG,
        "aligned-mtl": AlignedMTL, "config": ConFIG, "cagrad": lambda: CAGrad(c=0.5), "gradvac": GradVac,
        "nash-mtl": lambda n: NashMTL(n_tasks=n)}


def call(make, method, t, j):
    agg = make(t) if method == "nash-mtl" else make()
    t0 = time.perf_counter()
    d = agg(j)
    dt = time.perf_counter() - t0
    if not torch.isfinite(d).all():
        print(f"aggregator_peer.py: {method} gave a non-finite direction at T = {t}", file=sys.stderr)
    return dt


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    t, p = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(1)
    torch.manual_seed(t * p)
    j = torch.randn(t, p)
    for method in sys.argv[3].split(","):
        make = MAKE.get(method)
        if make is None:
            print(f"aggregator_peer.py: unknown method '{method}'", file=sys.stderr)
            sys.exit(2)
        times, warm = [], 0.0
        for i in range(200):  # warm-up as the Java side does it
            if warm >= 0.5:
                break
            dt = call(make, method, t, j)
            warm += dt
            if dt > 10:
                break
        spent = 0.0
        while not times or (len(times) < 3 and spent < 10) or (spent < 1.0 and len(times) < 200):
            dt = call(make, method, t, j)
            times.append(dt * 1000)
            spent += dt
        times.sort()
        print(f"RESULT torchjd {method} {t} {p} {times[len(times) // 2]:.4f}", flush=True)


if __name__ == "__main__":
    main()
