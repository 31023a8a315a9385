package dev.mtlj.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
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
}
