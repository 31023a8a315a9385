package dev.mtlj.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The configured intra-op thread count reaches threads that did not configure it once they adopt it. */
class EngineThreadsTest {
    @Test
    void anotherThreadAdoptsTheConfiguredCount() throws Exception {
        Engine.configureThreads(1);
        assertThat(torch.get_num_threads()).isEqualTo(1);
        AtomicInteger seen = new AtomicInteger(-1);
        Thread t = new Thread(() -> {
            Engine.adoptThreads();
            seen.set(torch.get_num_threads());
        });
        t.start();
        t.join();
        assertThat(seen.get()).isEqualTo(1);
    }

    /** Unless OPENBLAS_NUM_THREADS says otherwise, mtlj runs the presets' OpenBLAS on one thread. */
    @Test
    void openBlasIsPinnedToOneThreadUnlessTheUserChose() {
        int before = openblas.blas_get_num_threads();
        try {
            openblas.blas_set_num_threads(2);
            assertThat(openblas.blas_get_num_threads()).isEqualTo(2);
            assertThat(Engine.pinBlasThreads("4")).isFalse();
            assertThat(openblas.blas_get_num_threads()).isEqualTo(2);
            assertThat(Engine.pinBlasThreads(null)).isTrue();
            assertThat(openblas.blas_get_num_threads()).isEqualTo(1);
        } finally {
            openblas.blas_set_num_threads(before);
        }
    }
}
