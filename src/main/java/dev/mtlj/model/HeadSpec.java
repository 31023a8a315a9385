package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A task head: {@code Linear → ReLU [→ Dropout]} per hidden width, then a linear output layer.
 * No hidden widths (the default) gives a single linear layer.
 *
 * @param hidden  hidden widths (default none: a linear head)
 * @param dropout dropout after each hidden activation, in [0, 1) (default 0)
 */
public record HeadSpec(
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("dropout") Double dropout) {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public HeadSpec {
        hidden = hidden == null ? List.of() : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        Specs.checkWidths("head.hidden", hidden);
        Specs.checkDropout("head.dropout", dropout);
    }

    /** A linear head. */
    public static HeadSpec linear() {
        return new HeadSpec(List.of(), 0.0);
    }
}
