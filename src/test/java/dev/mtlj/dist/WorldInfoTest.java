package dev.mtlj.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launch contract: torchrun's and PyTorchJob's variables, and a clear refusal of bad ones, naming the variable. */
class WorldInfoTest {
    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void withoutAWorldSizeTheRunIsOneProcess() {
        assertThat(WorldInfo.fromEnvironment(env())).isEqualTo(WorldInfo.single());
        assertThat(WorldInfo.fromEnvironment(env("WORLD_SIZE", "1", "RANK", "0"))
                        .distributed())
                .isFalse();
    }

    /** What torchrun sets for local rank 1 of 2 on the second restart of its group. */
    @Test
    void readsTorchrunsVariables() {
        WorldInfo w = WorldInfo.fromEnvironment(env(
                "WORLD_SIZE", "4",
                "RANK", "3",
                "LOCAL_RANK", "1",
                "LOCAL_WORLD_SIZE", "2",
                "MASTER_ADDR", " 10.0.0.7 ",
                "MASTER_PORT", "29500",
                "TORCHELASTIC_RESTART_COUNT", "2",
                "TORCHELASTIC_RUN_ID", "job-1",
                "TORCHELASTIC_USE_AGENT_STORE", "True"));
        assertThat(w).isEqualTo(new WorldInfo(3, 4, 1, 2, "10.0.0.7", 29500, 2, "job-1", true));
        assertThat(w.distributed()).isTrue();
    }

    /** A PyTorchJob pod: no local variables (one process per pod), rank 0 starts the store. */
    @Test
    void defaultsWithoutTheLocalVariables() {
        WorldInfo w = WorldInfo.fromEnvironment(
                env("WORLD_SIZE", "3", "RANK", "2", "MASTER_ADDR", "job-master-0", "MASTER_PORT", "23456"));
        assertThat(w).isEqualTo(new WorldInfo(2, 3, 2, 3, "job-master-0", 23456, 0, null, false));
    }

    @Test
    void badVariablesAreNamed() {
        assertThatThrownBy(() -> WorldInfo.fromEnvironment(env("WORLD_SIZE", "two")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("WORLD_SIZE is 'two'; allowed: an integer in [1, 65536]");
        assertThatThrownBy(
                        () -> WorldInfo.fromEnvironment(env("WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")))
                .isInstanceOf(UserInputException.class)
                .hasMessage(
                        "RANK is not set; a distributed run (WORLD_SIZE > 1) needs RANK, MASTER_ADDR and MASTER_PORT"
                                + " as torchrun sets them");
        assertThatThrownBy(() -> WorldInfo.fromEnvironment(env("WORLD_SIZE", "2", "RANK", "2")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("RANK is '2'; allowed: an integer in [0, 1]");
        assertThatThrownBy(() -> WorldInfo.fromEnvironment(env("WORLD_SIZE", "2", "RANK", "1")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("WORLD_SIZE is 2 but MASTER_ADDR is not set; set it to the host of rank 0 (or of the"
                        + " launcher's rendezvous store)");
        assertThatThrownBy(() -> WorldInfo.fromEnvironment(
                        env("WORLD_SIZE", "2", "RANK", "1", "MASTER_ADDR", "h", "MASTER_PORT", "70000")))
                .isInstanceOf(UserInputException.class)
                .hasMessage("MASTER_PORT is '70000'; allowed: an integer in [1, 65535]");
    }

    @Test
    void settingsAreChecked() {
        assertThat(DistSpec.defaults()).isEqualTo(new DistSpec(CommBackend.AUTO, 300, 100));
        assertThatThrownBy(() -> new DistSpec(null, 0, null))
                .isInstanceOf(UserInputException.class)
                .hasMessage("dist.timeout_s must be in [1, 86400], got 0");
        assertThatThrownBy(() -> new DistSpec(null, null, -1))
                .isInstanceOf(UserInputException.class)
                .hasMessage("dist.check_every must be >= 0 (0 = never), got -1");
        assertThatThrownBy(() -> CommBackend.parse("mpi"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("dist.backend 'mpi' is not valid; allowed: auto, gloo, nccl");
        assertThat(CommBackend.parse(" NCCL ")).isEqualTo(CommBackend.NCCL);
    }

    /** NCCL carries CUDA tensors only: asking for it on a CPU run is refused before anything connects. */
    @Test
    void ncclOnTheCpuIsRefused() {
        WorldInfo w = new WorldInfo(0, 2, 0, 2, "127.0.0.1", 1, 0, null, false);
        assertThatThrownBy(() -> Collective.join(w, new DistSpec(CommBackend.NCCL, 5, 0), false))
                .isInstanceOf(UserInputException.class)
                .hasMessage("dist.backend nccl carries CUDA tensors only, and this run trains on the CPU; use gloo (or"
                        + " auto)");
    }

    @Test
    void nprocIsCheckedAgainstTheLaunchersWorld() {
        assertThat(LocalLauncher.wanted(1, WorldInfo.single())).isFalse();
        assertThat(LocalLauncher.wanted(2, WorldInfo.single())).isTrue();
        assertThatThrownBy(() -> LocalLauncher.wanted(0, WorldInfo.single()))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--nproc must be >= 1, got 0");
        WorldInfo torchrun = new WorldInfo(0, 2, 0, 2, "127.0.0.1", 29500, 0, null, true);
        assertThatThrownBy(() -> LocalLauncher.wanted(2, torchrun))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--nproc starts its own workers; leave it out under torchrun or another launcher"
                        + " (WORLD_SIZE is 2)");
        assertThatThrownBy(() -> new LocalLauncher(300, 1, 10, System.err))
                .isInstanceOf(UserInputException.class)
                .hasMessage("--nproc must be in [2, 256], got 300");
    }
}
