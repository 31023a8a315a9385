"""Turns the raw log of benchmarks/run into the Markdown results file (medians, ratios with spread, machine)."""
import argparse
import collections
import datetime
import json
import os
import platform
import statistics
import subprocess

LETTER = {"hps-ew": "a", "hps-gradnorm": "b", "hps-upgrad": "c", "tiny-ew": "d", "cnn-ew": "e", "infer-b1": "f",
          "infer-b64": "f", "op-add": "–"}
SIDES = ["java", "java-base", "cpp", "cpp-tuned", "cpp-wheel", "python", "python-torchjd"]
CPP_TARGET = {"hps-ew", "hps-gradnorm", "cnn-ew"}  # Java/C++ <= 1.05
PAPER_S = {"ew": 33, "mgda": 60, "pcgrad": 54, "cagrad": 89, "nashmtl": 995, "famo": 39}  # FAMO paper, Adam = EW


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return "?"


def machine():
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1")
    mem = sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo")
    gpu = sh("nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null")
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {mem}" + (f", GPU {gpu}" if gpu else "")
            + f"; {platform.system()} {platform.release()}")


def fmt(v):
    return "–" if v is None else (f"{v:.4f}" if v < 1 else f"{v:.3f}" if v < 10 else f"{v:.2f}")


def main():
    p = argparse.ArgumentParser()
    for a in ("--raw", "--out", "--device", "--threads", "--rounds", "--jmh", "--command", "--machine-info"):
        p.add_argument(a, default="")
    a = p.parse_args()
    blocks = collections.defaultdict(list)           # (workload, side) -> all block times
    rounds = collections.defaultdict(list)           # (workload, side, round) -> block times
    meta, toys = {}, []
    for line in open(a.raw):
        f = line.split()
        if len(f) < 3:
            continue
        r = int(f[0][1:])
        if f[1] == "RESULT":
            side, w, ms = f[2], f[3], float(f[5])
            blocks[(w, side)].append(ms)
            rounds[(w, side, r)].append(ms)
        elif f[1] == "META":
            meta[f[2]] = " ".join(f[3:])
        elif f[1] == "TOY":
            toys.append(f[2:])
    workloads = [w for w in LETTER if any((w, s) in blocks for s in SIDES)]
    sides = [s for s in SIDES if any((w, s) in blocks for w in workloads)]
    nrounds = max([k[2] for k in rounds] or [0])

    def ratio(w, num, den):
        per = [statistics.median(rounds[(w, num, r)]) / statistics.median(rounds[(w, den, r)])
               for r in range(1, nrounds + 1) if (w, num, r) in rounds and (w, den, r) in rounds]
        return (statistics.median(per), min(per), max(per)) if per else None

    out = []
    unit = "ms per step (training) or per call (inference)"
    out += [f"# mtlj vs C++ libtorch vs Python PyTorch — {a.device.upper()}, {datetime.date.today()}", "",
            f"Command: `{a.command}` ({a.rounds} interleaved rounds; in each round every workload runs on every side,",
            "one process per side, the side order rotating from round to round). Raw log: the `.raw.log` file beside "
            "this one.", "",
            "## Machine and versions", "",
            f"- Machine: {a.machine_info or machine()}",
            f"- Threads: {a.threads} intra-op (and inter-op) thread(s) on every side; `OPENBLAS_NUM_THREADS=1`."]
    for s in sides:
        if s in meta:
            out.append(f"- `{s}`: {meta[s]}")
    if "cpp" in sides:
        out.append("- `cpp` is `native/` run on the JavaCPP presets' own libtorch binaries (the very `.so` files the Java "
                   "side loads: OpenBLAS); `cpp-wheel` is the same program on the torch wheel's libtorch (what Python "
                   "loads: MKL, oneDNN); `cpp-tuned` is `cpp` with glibc malloc keeping freed memory "
                   "(`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=64MiB:trim_threshold=256MiB`), the fairer limit.")
    else:
        out.append("- `cpp-wheel` is `native/` built and run on the host's torch wheel (its libtorch version above).")
    out += ["",
            f"## Median {unit}", "",
            "| workload | " + " | ".join(f"`{s}`" for s in sides) + " |",
            "|---|" + "---:|" * len(sides)]
    for w in workloads:
        cells = []
        for s in sides:
            v = blocks.get((w, s))
            cells.append(f"{fmt(statistics.median(v))}" if v else "–")
        out.append(f"| ({LETTER[w]}) {w} | " + " | ".join(cells) + " |")
    out += ["", "## Ratios (median over rounds of the per-round ratio of medians; [min–max] over rounds)", "",
            "| workload | Java/C++ (same .so) | Java/C++ (same .so, tuned malloc) | Java/C++ (wheel) | Java/Python | target | met |",
            "|---|---:|---:|---:|---:|---|---|"]
    for w in workloads:
        rc, rw, rp = ratio(w, "java", "cpp"), ratio(w, "java", "cpp-wheel"), ratio(w, "java", "python")
        rt = ratio(w, "java", "cpp-tuned")
        cell = lambda x: "–" if x is None else f"{x[0]:.3f} [{x[1]:.3f}–{x[2]:.3f}]"
        targets, met = [], []
        w_target = a.device == "cpu"  # the targets are CPU targets
        if w in CPP_TARGET and w_target:
            targets.append("C++ ≤ 1.05")
            met.append(rc is not None and rc[0] <= 1.05 and (rt is None or rt[0] <= 1.05))
        if w != "op-add" and w_target:
            lim = 0.9 if w == "tiny-ew" else 1.0
            targets.append(f"Py ≤ {lim}")
            met.append(rp is not None and rp[0] <= lim)
        out.append(f"| ({LETTER[w]}) {w} | {cell(rc)} | {cell(rt)} | {cell(rw)} | {cell(rp)} | {', '.join(targets) or 'none'} | "
                   f"{('yes' if all(met) else '**no**') if met else '–'} |")
    if any((w, "java-base") in blocks for w in workloads):
        out += ["", "## This build against the baseline build (`--baseline`)", "",
                "| workload | Java/Java-baseline |", "|---|---:|"]
        for w in workloads:
            rb = ratio(w, "java", "java-base")
            out.append(f"| ({LETTER[w]}) {w} | " + ("–" if rb is None else f"{rb[0]:.3f} [{rb[1]:.3f}–{rb[2]:.3f}]") + " |")
    if ("hps-upgrad", "python-torchjd") in blocks:
        r = ratio("hps-upgrad", "java", "python-torchjd")
        out += ["", f"(c) against torchjd's own `mtl_backward` + `jac_to_grad(UPGrad())`: Java/torchjd = "
                f"{r[0]:.3f} [{r[1]:.3f}–{r[2]:.3f}]."]
    if toys:
        out += ["", "## (g) Two-task toy (CAGrad/Nash-MTL/FAMO), one thread", "",
                "Seconds for 50,000 steps = measured ms/step × 50,000 (`*`: fewer steps were timed and scaled up).",
                "\"× EW\" is each method's time over the same side's EW (plain Adam) time: the comparable part "
                "against the paper's figures (FAMO paper, their machine).", "",
                "| method | Java ms/step | Java s/50k | Java × EW | Python ms/step | Python s/50k | Python × EW | "
                "Java/Python | paper s | paper × Adam | Java end (x; f) | Python end (x; f) |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        by = collections.defaultdict(list)
        for t in toys:
            by[(t[0], t[1])].append(t)
        def med(side, m):
            rows = by.get((side, m))
            return (statistics.median(float(t[3]) for t in rows), rows[-1]) if rows else (None, None)
        ew_j, ew_p = med("java", "ew")[0], med("python", "ew")[0]
        for m in PAPER_S:
            j, jt = med("java", m)
            py, pt = med("python", m)
            star = lambda t: "" if t is None or int(t[2]) >= 50000 else "*"
            end = lambda t: "–" if t is None or int(t[2]) < 50000 else f"({t[4]}, {t[5]}; {t[6]}, {t[7]})"
            out.append(f"| {m} | {fmt(j)} | {fmt(j * 50) if j else '–'}{star(jt)} | {fmt(j / ew_j) if j and ew_j else '–'} | "
                       f"{fmt(py)} | {fmt(py * 50) if py else '–'}{star(pt)} | {fmt(py / ew_p) if py and ew_p else '–'} | "
                       f"{fmt(j / py) if j and py else '–'} | {PAPER_S[m]} | {PAPER_S[m] / PAPER_S['ew']:.2f} | "
                       f"{end(jt)} | {end(pt)} |")
    if a.jmh and os.path.exists(a.jmh):
        out += ["", "## JMH micro-costs (Java side, one thread)", "", "| benchmark | score | error | unit |",
                "|---|---:|---:|---|"]
        for b in json.load(open(a.jmh)):
            pm = b["primaryMetric"]
            name = b["benchmark"].replace("dev.mtlj.bench.micro.", "")
            params = ", ".join(f"{k}={v}" for k, v in (b.get("params") or {}).items())
            out.append(f"| {name}{' (' + params + ')' if params else ''} | {pm['score']:.3f} | "
                       f"{pm['scoreError']:.3f} | {pm['scoreUnit']} |")
    open(a.out, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
