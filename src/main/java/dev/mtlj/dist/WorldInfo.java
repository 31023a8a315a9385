package dev.mtlj.dist;

import dev.mtlj.UserInputException;
import java.util.Map;

/**
 * Where this process stands in a data-parallel run, as the launchers of the PyTorch ecosystem describe it in the
 * environment: {@code torchrun}, Kubeflow's PyTorchJob and {@code mtlj train --nproc} all set {@code RANK},
 * {@code WORLD_SIZE}, {@code MASTER_ADDR} and {@code MASTER_PORT}; torchrun adds the local rank, its restart count and
 * whether its agent hosts the rendezvous store.
 *
 * @param rank         this process's rank, 0 ≤ rank &lt; size ({@code RANK})
 * @param size         number of processes ({@code WORLD_SIZE})
 * @param localRank    rank among the processes of this machine ({@code LOCAL_RANK}, default: rank)
 * @param localSize    processes on this machine ({@code LOCAL_WORLD_SIZE}, default: size)
 * @param masterAddr   host of the rendezvous store ({@code MASTER_ADDR})
 * @param masterPort   its port ({@code MASTER_PORT})
 * @param restartCount how often torchrun restarted the group ({@code TORCHELASTIC_RESTART_COUNT}, default 0)
 * @param runId        torchrun's run id ({@code TORCHELASTIC_RUN_ID}), or null outside torchrun
 * @param agentStore   whether the launcher's agent hosts the store ({@code TORCHELASTIC_USE_AGENT_STORE=True}), so
 *                     rank 0 connects to it instead of starting one
 */
public record WorldInfo(
        int rank,
        int size,
        int localRank,
        int localSize,
        String masterAddr,
        int masterPort,
        int restartCount,
        String runId,
        boolean agentStore) {
    /** One process, no rendezvous. */
    public static WorldInfo single() {
        return new WorldInfo(0, 1, 0, 1, null, 0, 0, null, false);
    }

    /** Whether more than one process trains. */
    public boolean distributed() {
        return size > 1;
    }

    /** The process's own environment. */
    public static WorldInfo fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the launch variables; without {@code WORLD_SIZE} (or with {@code WORLD_SIZE=1}) the run is a single
     * process. Bad or missing values are user errors naming the variable.
     */
    public static WorldInfo fromEnvironment(Map<String, String> env) {
        String ws = env.get("WORLD_SIZE");
        if (ws == null || ws.isBlank()) {
            return single();
        }
        int size = integer(env, "WORLD_SIZE", 1, 65_536, null);
        if (size == 1) {
            return single();
        }
        int rank = integer(env, "RANK", 0, size - 1, null);
        int localSize = integer(env, "LOCAL_WORLD_SIZE", 1, size, size);
        int localRank = integer(env, "LOCAL_RANK", 0, localSize - 1, rank % localSize);
        String addr = env.get("MASTER_ADDR");
        if (addr == null || addr.isBlank()) {
            throw new UserInputException("WORLD_SIZE is " + size + " but MASTER_ADDR is not set; set it to the host of"
                    + " rank 0 (or of the launcher's rendezvous store)");
        }
        int port = integer(env, "MASTER_PORT", 1, 65_535, null);
        int restarts = integer(env, "TORCHELASTIC_RESTART_COUNT", 0, Integer.MAX_VALUE, 0);
        String runId = env.get("TORCHELASTIC_RUN_ID");
        boolean agent = "True".equals(env.get("TORCHELASTIC_USE_AGENT_STORE"));
        return new WorldInfo(rank, size, localRank, localSize, addr.strip(), port, restarts, runId, agent);
    }

    private static int integer(Map<String, String> env, String name, int min, int max, Integer fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw new UserInputException(name + " is not set; a distributed run (WORLD_SIZE > 1) needs RANK,"
                    + " MASTER_ADDR and MASTER_PORT as torchrun sets them");
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserInputException(name + " is '" + v + "'; allowed: an integer in [" + min + ", " + max + "]");
    }
}
