#!/usr/bin/env python3
"""The serving fleet's robustness promises, measured against a running `mtlj serve` (not part of CI).

Starts `java <opts> -jar JAR serve --model RUN` on 127.0.0.1, then:
  slow    256 connections from 127.0.0.2 send headers and drip their bodies; a normal request from 127.0.0.1 is timed
  rss     32 keep-alive clients send single-example requests for --seconds; the server's RSS is sampled every 5 s
  drain   32 keep-alive clients send back to back; SIGTERM; every request written must get a whole response
Prints one JSON object. Standard library only.

  python3 benchmarks/serve/fleet-check.py --jar target/mtlj.jar --run RUN_DIR [--java-opts "-Xmx1g"] [--seconds 60]
"""
import argparse, json, os, signal, socket, subprocess, sys, threading, time

FEATURES = 250


def body():
    data = ",".join(str((i % 7) / 7) for i in range(FEATURES))
    return ('{"inputs":[{"name":"input","datatype":"FP32","shape":[1,%d],"data":[%s]}]}' % (FEATURES, data)).encode()


def request(path="/v2/models/m/infer"):
    b = body()
    return (b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(b)).encode() + b"\r\n\r\n" + b)


def read_response(f):
    """(status, headers) of one response, its body consumed; None at end of stream."""
    line = f.readline()
    if not line:
        return None
    status = int(line.split()[1])
    headers = {}
    while True:
        h = f.readline()
        if h in (b"\r\n", b"\n", b""):
            break
        k, _, v = h.decode().partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    if n and len(f.read(n)) < n:
        return None
    return status, headers


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as s:
        for line in s:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_ready(port, proc, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit("the server exited with %d" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n")
                if b" 200 " in s.recv(100):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not get ready")


def start(args, port):
    cmd = ["java"] + args.java_opts.split() + ["-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-jar", args.jar, "serve",
           "--model", "m=" + args.run, "--port", str(port), "--grpc-port", "-1", "--device", "cpu", "-q"]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, proc)
    return proc


def slow(port):
    drippers = []
    for _ in range(256):
        s = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0))
        s.sendall(b"POST /v2/models/m/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{")
        drippers.append(s)
    time.sleep(1)
    times, statuses = [], []
    for _ in range(5):
        t0 = time.time()
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.settimeout(60)
            s.sendall(request())
            r = read_response(s.makefile("rb"))
        times.append((time.time() - t0) * 1000)
        statuses.append(r[0] if r else None)
    for s in drippers:
        s.close()
    return {"normal_request_ms": [round(t, 1) for t in times], "statuses": statuses}


def clients(port, n, stop, counts):
    def run():
        try:
            s = socket.create_connection(("127.0.0.1", port))
        except OSError:
            counts["refused"] += 1
            return
        f = s.makefile("rb")
        req = request()
        while not stop.is_set():
            try:
                s.sendall(req)
            except OSError:
                counts["write_failed"] += 1
                break
            counts["written"] += 1
            try:
                r = read_response(f)
            except OSError:
                r = None
            if r is None:
                counts["no_response"] += 1
                break
            counts["answered"] += 1
            counts["status_%d" % r[0]] += 1
            if r[1].get("connection", "").lower() == "close":
                counts["closed_by_server"] += 1
                break
        s.close()
    import collections
    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def rss(proc, port, seconds):
    import collections
    counts = collections.Counter()
    stop = threading.Event()
    threads = clients(port, 32, stop, counts)
    samples = [rss_kib(proc.pid) // 1024]
    t0 = time.time()
    while time.time() - t0 < seconds:
        time.sleep(5)
        samples.append(rss_kib(proc.pid) // 1024)
    stop.set()
    for t in threads:
        t.join()
    return {"rss_mib_every_5s": samples, "requests": counts["answered"], "non_200": counts["answered"] - counts["status_200"]}


def drain(proc, port):
    import collections
    counts = collections.Counter()
    stop = threading.Event()
    threads = clients(port, 32, stop, counts)
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(60)
    proc.wait(60)
    c = dict(counts)
    c["dropped"] = counts["written"] - counts["answered"]
    return c


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--java-opts", default="")
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--port", type=int, default=18480)
    args = p.parse_args()
    out = {"jar": args.jar, "java_opts": args.java_opts}
    proc = start(args, args.port)
    try:
        out["slow"] = slow(args.port)
        out["rss"] = rss(proc, args.port, args.seconds)
        out["drain"] = drain(proc, args.port)
    finally:
        if proc.poll() is None:
            proc.kill()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
