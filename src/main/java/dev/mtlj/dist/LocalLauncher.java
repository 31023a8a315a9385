package dev.mtlj.dist;

import dev.mtlj.UserInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code mtlj train --nproc N}: starts N worker JVMs on this machine as ranks of one data-parallel run (the
 * environment torchrun would give them, on loopback), supervises them and reports the first that failed. Rank 0's
 * output passes through; the other ranks' error stream is prefixed with their rank. SIGTERM or Ctrl-C reaches every
 * worker, so the run stops after an agreed step with a checkpoint.
 */
public final class LocalLauncher {
    private final int nproc;
    private final int threadsPerWorker;
    private final int graceSeconds;
    private final PrintStream err;

    /**
     * @param nproc            workers to start (≥ 2)
     * @param threadsPerWorker libtorch threads each worker uses
     * @param graceSeconds     how long the other workers get to stop by themselves after one failed, before they are
     *                         terminated (the run's {@code dist.timeout_s} plus a margin)
     */
    public LocalLauncher(int nproc, int threadsPerWorker, int graceSeconds, PrintStream err) {
        if (nproc < 2 || nproc > 256) {
            throw new UserInputException("--nproc must be in [2, 256], got " + nproc);
        }
        this.nproc = nproc;
        this.threadsPerWorker = threadsPerWorker;
        this.graceSeconds = graceSeconds;
        this.err = err;
    }

    /**
     * Whether {@code --nproc n} asks for a local launch here: refuses a count below 1, and a launch inside a run that a
     * launcher already started (its workers would start workers).
     */
    public static boolean wanted(int n, WorldInfo world) {
        if (n < 1) {
            throw new UserInputException("--nproc must be >= 1, got " + n);
        }
        if (n > 1 && world.distributed()) {
            throw new UserInputException("--nproc starts its own workers; leave it out under torchrun or another"
                    + " launcher (WORLD_SIZE is " + world.size() + ")");
        }
        return n > 1;
    }

    /** Libtorch threads per worker: the configured (or all available) threads split between the workers. */
    public static int threadsPerWorker(int configured, int nproc) {
        int total = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
        return Math.max(1, total / nproc);
    }

    /**
     * Runs the workers with {@code args} (a {@code train} command line without {@code --nproc}) and returns the exit
     * code: 0 when every worker succeeded, else the first failing worker's.
     */
    public int run(List<String> args) {
        int port = freePort();
        List<Process> workers = new ArrayList<>();
        Thread hook = new Thread(() -> stopAll(workers), "mtlj-launcher-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int rank = 0; rank < nproc; rank++) {
                workers.add(start(rank, port, args));
            }
            return supervise(workers);
        } catch (IOException e) {
            stopAll(workers);
            throw new UserInputException("cannot start the worker JVMs: " + e.getMessage());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the workers
            }
        }
    }

    private Process start(int rank, int port, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mtlj.cli.Main");
        cmd.addAll(args);
        cmd.add("--set");
        cmd.add("threads=" + threadsPerWorker);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("MASTER_ADDR", "127.0.0.1");
        env.put("MASTER_PORT", Integer.toString(port));
        env.put("WORLD_SIZE", Integer.toString(nproc));
        env.put("RANK", Integer.toString(rank));
        env.put("LOCAL_RANK", Integer.toString(rank));
        env.put("LOCAL_WORLD_SIZE", Integer.toString(nproc));
        env.put("OMP_NUM_THREADS", Integer.toString(threadsPerWorker));
        env.remove("TORCHELASTIC_USE_AGENT_STORE");
        env.remove("TORCHELASTIC_RESTART_COUNT");
        env.remove("TORCHELASTIC_RUN_ID");
        if (rank == 0) {
            pb.inheritIO();
            return pb.start();
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Thread relay = new Thread(() -> relay(p, rank), "mtlj-rank-" + rank + "-stderr");
        relay.setDaemon(true);
        relay.start();
        return p;
    }

    private void relay(Process p, int rank) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                err.println("[rank " + rank + "] " + line);
            }
        } catch (IOException e) {
            // the worker is gone
        }
    }

    /** Waits for every worker; after the first failure the others get the grace period, then a SIGTERM. */
    private int supervise(List<Process> workers) {
        int firstRank = -1;
        int firstCode = 0;
        long deadline = Long.MAX_VALUE;
        while (workers.stream().anyMatch(Process::isAlive)) {
            for (int r = 0; r < workers.size() && firstRank < 0; r++) {
                Process p = workers.get(r);
                if (!p.isAlive() && p.exitValue() != 0) {
                    firstRank = r;
                    firstCode = p.exitValue();
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
                }
            }
            if (System.nanoTime() > deadline) {
                err.println("mtlj: workers still running " + graceSeconds + " s after rank " + firstRank
                        + " failed; stopping them");
                stopAll(workers);
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopAll(workers);
                break;
            }
        }
        if (firstRank < 0) {
            for (int r = 0; r < workers.size(); r++) {
                int code = exitCode(workers.get(r));
                if (code != 0) {
                    firstRank = r;
                    firstCode = code;
                    break;
                }
            }
        }
        if (firstRank >= 0) {
            err.println("error: worker rank " + firstRank + " (pid "
                    + workers.get(firstRank).pid() + ") failed first" + " with exit code " + firstCode
                    + describe(firstCode) + "; the run stopped");
        }
        return firstRank < 0 ? 0 : firstCode;
    }

    private static int exitCode(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String describe(int code) {
        return switch (code) {
            case 2 -> " (bad input)";
            case 3 -> " (lost a peer)";
            case 137 -> " (killed by signal 9)";
            case 143 -> " (stopped by SIGTERM)";
            default -> code > 128 ? " (killed by signal " + (code - 128) + ")" : "";
        };
    }

    /** SIGTERM to every live worker (each checkpoints and stops after an agreed step), SIGKILL after 120 s. */
    private static void stopAll(List<Process> workers) {
        List<Process> live = new ArrayList<>(workers);
        live.forEach(Process::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Process p : live) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UserInputException(
                    "cannot find a free loopback port for the workers' rendezvous: " + e.getMessage());
        }
    }
}
