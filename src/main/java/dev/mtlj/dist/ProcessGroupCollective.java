package dev.mtlj.dist;

import dev.mtlj.UserInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collectives on libtorch's c10d: a {@code TCPStore} for the rendezvous (started by rank 0, or torchrun's agent) and a
 * Gloo or NCCL process group. A failed collective is diagnosed through the store: every rank that notices posts what it
 * saw, a rank that fails on its own posts its error first, so each survivor can name the rank that failed or went
 * silent.
 */
final class ProcessGroupCollective implements Collective {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroupCollective.class);
    /** How long a survivor waits for the others' reports before it names the silent ranks. */
    private static final long REPORT_WAIT_MS = 1500;

    private final WorldInfo world;
    /** The stores in creation order (TCP, then prefixed views on it); each holds the one before. */
    private final List<Store> stores;

    private final Store store;
    private final Backend group;
    private final int timeoutS;
    private boolean closed;
    private boolean failed;

    private ProcessGroupCollective(WorldInfo world, List<Store> stores, Backend group, int timeoutS) {
        this.world = world;
        this.stores = stores;
        this.store = stores.get(1);
        this.group = group;
        this.timeoutS = timeoutS;
    }

    // Stores and groups are created outside PointerScopes and closed in close(): a PrefixStore keeps a raw pointer
    // to the store beneath, so freeing that one early crashed the JVM (SIGSEGV in PrefixStore::set).
    static ProcessGroupCollective join(WorldInfo world, DistSpec spec, boolean cuda) {
        CommBackend backend = choose(spec.backend(), cuda, world);
        List<Store> stores = new ArrayList<>();
        stores.add(tcpStore(world, spec.timeoutS()));
        // a key space per torchrun attempt: the agent's store outlives a failed group, and a restarted rank must not
        // read the dead group's addresses (it did: "connectFullMesh failed … Connection refused")
        stores.add(new PrefixStore("mtlj/attempt" + world.restartCount(), stores.get(0)));
        stores.add(new PrefixStore(backend.toString(), stores.get(1)));
        Backend group;
        try {
            group = backend == CommBackend.NCCL
                    ? nccl(stores.get(2), world)
                    : gloo(stores.get(2), world, spec.timeoutS());
        } catch (RuntimeException e) {
            closeAll(stores);
            throw new RankFailedException("rank " + world.rank() + " could not form the " + backend + " group of "
                    + world.size() + " ranks within " + spec.timeoutS() + " s (dist.timeout_s): not every rank joined"
                    + " or a peer is unreachable: " + firstLine(e));
        }
        LOG.info(
                "rank {} of {} joined ({} over {}:{}, local rank {})",
                world.rank(),
                world.size(),
                backend,
                world.masterAddr(),
                world.masterPort(),
                world.localRank());
        return new ProcessGroupCollective(world, stores, group, spec.timeoutS());
    }

    private static void closeAll(List<Store> stores) {
        for (int i = stores.size() - 1; i >= 0; i--) {
            stores.get(i).close();
        }
    }

    /** The rendezvous store: rank 0 starts it unless torchrun's agent already did. */
    private static Store tcpStore(WorldInfo world, int timeoutS) {
        boolean server = world.rank() == 0 && !world.agentStore();
        try (PointerScope scope = new PointerScope()) {
            TCPStoreOptions o = new TCPStoreOptions();
            o.port((short) world.masterPort())
                    .isServer(server)
                    .numWorkers(new SizeTPointer(1).put(world.size()))
                    .waitWorkers(false)
                    .timeout(new Milliseconds(timeoutS * 1000L))
                    .multiTenant(true);
            TCPStore tcp = new TCPStore(world.masterAddr(), o);
            tcp.retainReference(); // survives the scope (the options are copied)
            return tcp;
        } catch (RuntimeException e) {
            String m = firstLine(e);
            if (server && m.toLowerCase(Locale.ROOT).contains("address already in use")) {
                throw new UserInputException("rank 0 cannot start the rendezvous store on port " + world.masterPort()
                        + ": the port is in use; choose another MASTER_PORT");
            }
            throw new RankFailedException("rank " + world.rank() + " cannot reach the rendezvous store at "
                    + world.masterAddr() + ":" + world.masterPort() + " within " + timeoutS + " s (dist.timeout_s);"
                    + " it lives in rank 0, or in torchrun's agent: is it running, and do MASTER_ADDR and MASTER_PORT"
                    + " point at it? (" + m + ")");
        }
    }

    private static CommBackend choose(CommBackend wanted, boolean cuda, WorldInfo world) {
        if (wanted != CommBackend.AUTO) {
            if (wanted == CommBackend.NCCL && !cuda) {
                throw new UserInputException("dist.backend nccl carries CUDA tensors only, and this run trains on the"
                        + " CPU; use gloo (or auto)");
            }
            return wanted;
        }
        // NCCL needs a GPU of its own per rank; ranks sharing one GPU (or CPU training) use Gloo
        return cuda && world.localSize() <= cudaDevices() ? CommBackend.NCCL : CommBackend.GLOO;
    }

    private static int cudaDevices() {
        try {
            return org.bytedeco.pytorch.global.torch.cuda_device_count();
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    private static Backend gloo(Store store, WorldInfo world, int timeoutS) {
        ProcessGroupGloo.Options o = ProcessGroupGloo.Options.create(new Milliseconds(timeoutS * 1000L));
        o.devices(new GlooDeviceVector(glooDevice(world)));
        return new ProcessGroupGloo(store, world.rank(), world.size(), o);
    }

    /** Loopback for a one-machine rendezvous; else GLOO_SOCKET_IFNAME's interface or the host name's, as PyTorch. */
    private static org.bytedeco.pytorch.gloo.Device glooDevice(WorldInfo world) {
        String ifname = System.getenv("GLOO_SOCKET_IFNAME");
        if (ifname != null && !ifname.isBlank()) {
            int comma = ifname.indexOf(',');
            return ProcessGroupGloo.createDeviceForInterface((comma < 0 ? ifname : ifname.substring(0, comma)).strip());
        }
        String addr = world.masterAddr();
        if (addr.startsWith("127.") || addr.equals("localhost") || addr.equals("::1")) {
            return ProcessGroupGloo.createDeviceForHostname(addr.equals("localhost") ? "127.0.0.1" : addr);
        }
        return ProcessGroupGloo.createDefaultDevice();
    }

    private static Backend nccl(Store store, WorldInfo world) {
        try {
            return new org.bytedeco.pytorch.nccl.ProcessGroupNCCL(
                    new PrefixStore("nccl", store), world.rank(), world.size());
        } catch (LinkageError e) {
            throw new UserInputException("dist.backend nccl needs the GPU build of mtlj (./mvnw -Pgpu) with NCCL"
                    + " installed; this installation has none (" + e.getMessage() + "); use gloo");
        }
    }

    @Override
    public int rank() {
        return world.rank();
    }

    @Override
    public int size() {
        return world.size();
    }

    @Override
    public void sum(Tensor t) {
        allreduce(t, ReduceOp.RedOpType.SUM, "an all-reduce");
    }

    @Override
    public Pending startSum(Tensor t) {
        check();
        Work w;
        try (PointerScope scope = new PointerScope()) {
            AllreduceOptions o = new AllreduceOptions();
            o.reduceOp(new ReduceOp(ReduceOp.RedOpType.SUM));
            w = group.allreduce(new TensorVector(t), o);
            w.retainReference();
        } catch (RuntimeException e) {
            throw failure("an all-reduce", e);
        }
        return () -> {
            try {
                w._wait();
            } catch (RuntimeException e) {
                throw failure("an all-reduce", e);
            } finally {
                w.close();
            }
        };
    }

    @Override
    public void max(Tensor t) {
        allreduce(t, ReduceOp.RedOpType.MAX, "an all-reduce");
    }

    private void allreduce(Tensor t, ReduceOp.RedOpType op, String what) {
        check();
        try (PointerScope scope = new PointerScope()) {
            AllreduceOptions o = new AllreduceOptions();
            o.reduceOp(new ReduceOp(op));
            Work w = group.allreduce(new TensorVector(t), o);
            w._wait();
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    @Override
    public void broadcast(Tensor t, int root) {
        check();
        try (PointerScope scope = new PointerScope()) {
            BroadcastOptions o = new BroadcastOptions();
            o.rootRank(root);
            group.broadcast(new TensorVector(t), o)._wait();
        } catch (RuntimeException e) {
            throw failure("a broadcast", e);
        }
    }

    @Override
    public String share(String key, String valueOnRankZero) {
        check();
        try {
            if (world.rank() == 0) {
                store.set("share/" + key, valueOnRankZero);
                return valueOnRankZero;
            }
            return store.get_to_str("share/" + key);
        } catch (RuntimeException e) {
            throw failure("the exchange of '" + key + "'", e);
        }
    }

    @Override
    public void fail(String cause) {
        if (closed || failed) {
            return;
        }
        failed = true;
        try {
            store.set("failed/" + world.rank(), "error: " + cause);
        } catch (RuntimeException e) {
            LOG.debug("could not post this rank's failure", e);
        }
        close(); // peers blocked on this rank see its connections close now rather than at the timeout
    }

    /**
     * What went wrong, in one line naming the rank: the rank that posted its own error, else the ranks that did not
     * report at all (dead or hung), else the store's own absence.
     */
    private RankFailedException failure(String what, RuntimeException e) {
        String seen = firstLine(e);
        failed = true;
        List<String> origins = new ArrayList<>();
        List<Integer> silent = new ArrayList<>();
        try {
            store.setTimeout(new Milliseconds(5_000));
            String own = "failed/" + world.rank();
            if (!store.check(new StringVector(own))) {
                store.set(own, "lost contact: " + seen);
            }
            Thread.sleep(REPORT_WAIT_MS);
            for (int q = 0; q < world.size(); q++) {
                if (q == world.rank()) {
                    continue;
                }
                String key = "failed/" + q;
                if (!store.check(new StringVector(key))) {
                    silent.add(q);
                } else {
                    String v = store.get_to_str(key);
                    if (v.startsWith("error: ")) {
                        origins.add("rank " + q + " failed: " + v.substring("error: ".length()));
                    }
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException storeGone) {
            return new RankFailedException("rank " + world.rank() + " lost contact with the other ranks during "
                    + what + ", and the rendezvous store at " + world.masterAddr() + ":" + world.masterPort()
                    + " is gone too (it lives in rank 0, or in torchrun's agent): rank 0 or the launcher stopped ("
                    + seen + ")");
        }
        if (!origins.isEmpty()) {
            return new RankFailedException(String.join("; ", origins) + " (rank " + world.rank() + " stopped with it)");
        }
        if (!silent.isEmpty()) {
            return new RankFailedException(
                    (silent.size() == 1 ? "rank " + silent.get(0) + " stopped" : "ranks " + silent + " stopped")
                            + " responding during " + what
                            + ": it exited, was killed or hangs (no report from it; rank "
                            + world.rank() + " saw: " + seen + ")");
        }
        return new RankFailedException("rank " + world.rank() + " lost contact with the other ranks during " + what
                + " (every rank reported the same): " + seen + "; raise dist.timeout_s if a pause between steps"
                + " (evaluation, a checkpoint) can take longer than " + timeoutS + " s");
    }

    /** The first line of a c10d error, without the source locations it starts with ("[/…/pair.cc:538] "). */
    private static String firstLine(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = m.lines().findFirst().orElse(m).strip();
        String bare = line.replaceAll("\\[+[^\\]\\s]*\\.(cc|cpp|h|hpp):\\d+\\]+\\s*", "")
                .strip();
        return line.startsWith("[[") && bare.endsWith("]") ? bare.substring(0, bare.length() - 1) : bare;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("the process group of rank " + world.rank() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            group.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("process group shutdown", e);
        }
        group.close();
        closeAll(stores);
    }
}
