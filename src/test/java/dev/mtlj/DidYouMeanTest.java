package dev.mtlj;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Edit distances worked by hand; suggestions only for likely typos. */
class DidYouMeanTest {
    @Test
    void distancesByHand() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3); // k->s, e->i, +g
        assertThat(DidYouMean.distance("steps", "stepz")).isEqualTo(1);
        assertThat(DidYouMean.distance("gradnrom", "gradnorm")).isEqualTo(1); // one swap of neighbours
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggestsOnlyCloseNames() {
        List<String> names = List.of("batch_size", "steps", "log_every", "gradnorm", "pcgrad");
        assertThat(DidYouMean.closest("stepz", names)).isEqualTo("steps");
        assertThat(DidYouMean.closest("Batch_Szie", names)).isEqualTo("batch_size");
        assertThat(DidYouMean.closest("gradnrom", names)).isEqualTo("gradnorm");
        // "zzzzz" is 5 edits from "steps"; the limit for a 5-letter word is 1
        assertThat(DidYouMean.closest("zzzzz", names)).isNull();
        assertThat(DidYouMean.closest("x", names)).isNull();
    }
}
