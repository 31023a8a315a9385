"""Conformance of `mtlj serve` with the clients users run: tritonclient (HTTP and gRPC) and KServe's clients (REST and
gRPC). Every call each client offers is made against a running server; each row says what happened: "ok" with what
was checked, "error" with the client's message, and for calls of protocol extensions mtlj does not implement the
error they get. Infer answers are compared with the server's plain JSON answer for the same examples.

    python conformance.py --http HOST:PORT --grpc HOST:PORT --model NAME --out results.md

The driver (benchmarks/serve/conformance) sets up the venv, the model repository and the server.
"""
import argparse
import asyncio
import json
import os
import sys
import traceback
import urllib.request

import numpy as np

ROWS = []


# Calls of Triton extensions mtlj does not implement: their rows say "unsupported" rather than "error".
UNSUPPORTED = ("trace", "log_settings", "shared_memory", "stream_infer")


def row(client, call, result, detail=""):
    if result == "error" and any(u in call for u in UNSUPPORTED):
        result = "unsupported"
    ROWS.append((client, call, result, detail.replace("|", "\\|").replace("\n", " ")[:200]))
    print(f"{client:24s} {call:42s} {result:6s} {detail[:120]}", flush=True)


def attempt(client, call, fn, check=None):
    try:
        value = fn()
        detail = check(value) if check else "returned"
        row(client, call, "ok", detail)
        return value
    except Exception as e:  # noqa: BLE001 - every failure is a row of the table
        row(client, call, "error", f"{type(e).__name__}: {e}")
        return None


def reference(http, model, x):
    """The plain JSON answer: {task: values}."""
    body = {"inputs": [{"name": "input", "datatype": "FP32", "shape": list(x.shape), "data": x.ravel().tolist()}]}
    req = urllib.request.Request(f"http://{http}/v2/models/{model}/infer", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        out = json.load(r)["outputs"]
    return {o["name"]: np.array(o["data"], dtype=np.float32).reshape(o["shape"]) for o in out}


def same(want, got_by_name):
    for name, values in got_by_name.items():
        if not np.array_equal(np.asarray(values, dtype=np.float32), want[name]):
            raise AssertionError(f"output {name} differs from the JSON answer")
    return "outputs equal the JSON answer: " + ", ".join(got_by_name)


def triton(module, kind, address, model, want, x, tasks):
    client = f"tritonclient.{kind}"
    c = module.InferenceServerClient(url=address)
    attempt(client, "is_server_live", c.is_server_live, lambda v: f"live={v}")
    attempt(client, "is_server_ready", c.is_server_ready, lambda v: f"ready={v}")
    attempt(client, "is_model_ready", lambda: c.is_model_ready(model), lambda v: f"ready={v}")
    attempt(client, "get_server_metadata", c.get_server_metadata, lambda v: str(v)[:120])
    attempt(client, "get_model_metadata", lambda: c.get_model_metadata(model), lambda v: str(v)[:120])
    attempt(client, "get_model_config", lambda: c.get_model_config(model), lambda v: str(v)[:120])
    attempt(client, "get_model_repository_index", c.get_model_repository_index, lambda v: str(v)[:120])
    attempt(client, "unload_model", lambda: c.unload_model(model))
    attempt(client, "is_model_ready (after unload)", lambda: c.is_model_ready(model), lambda v: f"ready={v}")
    attempt(client, "load_model", lambda: c.load_model(model))
    attempt(client, "is_model_ready (after load)", lambda: c.is_model_ready(model), lambda v: f"ready={v}")

    def infer(binary_in=True, outputs=None, datatype="FP32", data=x):
        i = module.InferInput("input", list(data.shape), datatype)
        if kind == "http":
            i.set_data_from_numpy(data, binary_data=binary_in)
        else:
            i.set_data_from_numpy(data)
        return c.infer(model, [i], outputs=outputs)

    attempt(client, "infer (defaults)", infer, lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
    if kind == "http":
        attempt(client, "infer (JSON input)", lambda: infer(binary_in=False),
                lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
        attempt(client, "infer (JSON outputs)",
                lambda: infer(outputs=[module.InferRequestedOutput(t, binary_data=False) for t in tasks]),
                lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
        attempt(client, "infer (binary outputs)",
                lambda: infer(outputs=[module.InferRequestedOutput(t, binary_data=True) for t in tasks]),
                lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
    attempt(client, "infer (one output)", lambda: infer(outputs=[module.InferRequestedOutput(tasks[0])]),
            lambda r: same(want, {tasks[0]: r.as_numpy(tasks[0])}))
    attempt(client, "infer (classification top-2)",
            lambda: infer(outputs=[module.InferRequestedOutput(tasks[-1], class_count=2)]),
            lambda r: f"top-2 of {tasks[-1]}: {r.as_numpy(tasks[-1])[0].tolist()}")
    attempt(client, "infer (FP64 input)", lambda: infer(datatype="FP64", data=x.astype(np.float64)),
            lambda r: "answered " + str({t: r.as_numpy(t).shape for t in tasks}))
    if kind == "http":
        attempt(client, "async_infer", lambda: c.async_infer(model, [_input(module, kind, x)]).get_result(),
                lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
    else:
        def async_grpc():
            import queue
            q = queue.Queue()
            c.async_infer(model, [_input(module, kind, x)], callback=lambda result, error: q.put(error or result))
            got = q.get(timeout=60)
            if isinstance(got, Exception):
                raise got
            return got
        attempt(client, "async_infer", async_grpc, lambda r: same(want, {t: r.as_numpy(t) for t in tasks}))
    attempt(client, "get_inference_statistics", lambda: c.get_inference_statistics(model), lambda v: str(v)[:120])
    attempt(client, "get_trace_settings", lambda: c.get_trace_settings())
    attempt(client, "update_trace_settings", lambda: c.update_trace_settings(settings={"trace_level": ["OFF"]}))
    attempt(client, "get_log_settings", lambda: c.get_log_settings())
    attempt(client, "update_log_settings", lambda: c.update_log_settings(settings={"log_info": True}))
    attempt(client, "get_system_shared_memory_status", c.get_system_shared_memory_status)
    attempt(client, "get_cuda_shared_memory_status", c.get_cuda_shared_memory_status)
    if kind == "grpc":
        def stream():
            got = []
            c.start_stream(callback=lambda result, error: got.append(error or result))
            c.async_stream_infer(model, [_input(module, kind, x)])
            c.stop_stream()
            if got and isinstance(got[0], Exception):
                raise got[0]
            return got
        attempt(client, "stream_infer", stream)
    c.close()


def _input(module, kind, x):
    i = module.InferInput("input", list(x.shape), "FP32")
    i.set_data_from_numpy(x)
    return i


def kserve_calls(http, grpc_address, model, want, x, tasks):
    from kserve import InferenceRESTClient, InferRequest, InferInput, RESTConfig
    from kserve.inference_client import InferenceGRPCClient

    async def rest():
        client = "kserve.InferenceRESTClient"
        c = InferenceRESTClient(RESTConfig(protocol="v2"))
        base = f"http://{http}"
        for call, fn in [("is_server_live", lambda: c.is_server_live(base)),
                         ("is_server_ready", lambda: c.is_server_ready(base)),
                         ("is_model_ready", lambda: c.is_model_ready(base, model))]:
            try:
                row(client, call, "ok", f"{await fn()}")
            except Exception as e:  # noqa: BLE001
                row(client, call, "error", f"{type(e).__name__}: {e}")
        for binary in (False, True):
            i = InferInput(name="input", shape=list(x.shape), datatype="FP32")
            i.set_data_from_numpy(x, binary_data=binary)
            req = InferRequest(model_name=model, infer_inputs=[i], request_id="k-1")
            call = "infer (binary input)" if binary else "infer (JSON input, the default)"
            try:
                r = await c.infer(base, req, model_name=model)
                row(client, call, "ok", same(want, {o.name: o.as_numpy() for o in r.outputs}))
            except Exception as e:  # noqa: BLE001
                row(client, call, "error", f"{type(e).__name__}: {e}")
        await c.close()

    async def grpc_calls():
        client = "kserve.InferenceGRPCClient"
        c = InferenceGRPCClient(url=grpc_address)
        for call, fn in [("is_server_ready", lambda: c.is_server_ready()),
                         ("is_server_live", lambda: c.is_server_live()),
                         ("is_model_ready", lambda: c.is_model_ready(model))]:
            try:
                row(client, call, "ok", f"{await fn()}")
            except Exception as e:  # noqa: BLE001
                row(client, call, "error", f"{type(e).__name__}: {e}")
        i = InferInput(name="input", shape=list(x.shape), datatype="FP32")
        i.set_data_from_numpy(x)
        try:
            r = await c.infer(InferRequest(model_name=model, infer_inputs=[i], request_id="k-2"))
            row(client, "infer", "ok", same(want, {o.name: o.as_numpy() for o in r.outputs}))
        except Exception as e:  # noqa: BLE001
            row(client, "infer", "error", f"{type(e).__name__}: {e}")
        await c.close()

    asyncio.run(rest())
    asyncio.run(grpc_calls())


def kserve_child():
    """The KServe half, alone in its process (KServe parses the command line when imported: none is given)."""
    http, grpc_address, model, out = json.loads(os.environ["CONFORMANCE_KSERVE"])
    x = np.random.default_rng(7).standard_normal((2, 250)).astype(np.float32)
    want = reference(http, model, x)
    kserve_calls(http, grpc_address, model, want, x, list(want))
    json.dump(ROWS, open(out, "w"))
    return 0


def main():
    if "CONFORMANCE_KSERVE" in os.environ:
        return kserve_child()
    p = argparse.ArgumentParser()
    p.add_argument("--http", required=True)
    p.add_argument("--grpc", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--header", default="")
    args = p.parse_args()
    x = np.random.default_rng(7).standard_normal((2, 250)).astype(np.float32)
    want = reference(args.http, args.model, x)
    tasks = list(want)
    import tritonclient.grpc as tg
    import tritonclient.http as th
    for module, kind, address in ((th, "http", args.http), (tg, "grpc", args.grpc)):
        try:
            triton(module, kind, address, args.model, want, x, tasks)
        except Exception:  # noqa: BLE001
            row(f"tritonclient.{kind}", "(client)", "error", traceback.format_exc(limit=1))
    # KServe's and tritonclient's generated code both define the inference.* protobuf symbols: another process
    import subprocess
    env = dict(os.environ, CONFORMANCE_KSERVE=json.dumps([args.http, args.grpc, args.model, args.out + ".kserve.json"]))
    k = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True)
    print(k.stdout, k.stderr, flush=True)
    try:
        ROWS.extend(tuple(r) for r in json.load(open(args.out + ".kserve.json")))
        os.remove(args.out + ".kserve.json")
    except OSError as e:
        row("kserve", "(client)", "error", f"the KServe process failed: {e}")
    ok = sum(1 for r in ROWS if r[2] == "ok")
    unsupported = sum(1 for r in ROWS if r[2] == "unsupported")
    with open(args.out, "w") as f:
        f.write(args.header)
        f.write(f"\n{ok} of {len(ROWS)} calls succeeded; {unsupported} belong to Triton extensions mtlj does not implement"
                f" (tracing, log settings, shared memory, streaming).\n\n| client | call | result | detail |\n"
                "|---|---|---|---|\n")
        for r in ROWS:
            f.write(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |\n")
    print(f"{ok} of {len(ROWS)} ok, {unsupported} unsupported; written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
