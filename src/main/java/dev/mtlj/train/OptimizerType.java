package dev.mtlj.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mtlj.UserInputException;
import java.util.Locale;

/**
 * The network optimizers: SGD (with momentum and optional Nesterov), Adam (D. P. Kingma, J. Ba, ICLR 2015) and AdamW
 * (I. Loshchilov, F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), as libtorch implements them.
 */
public enum OptimizerType {
    /** Stochastic gradient descent (momentum optional). */
    SGD("sgd"),
    /** Adam. */
    ADAM("adam"),
    /** AdamW (decoupled weight decay). */
    ADAMW("adamw");

    private final String configName;

    OptimizerType(String configName) {
        this.configName = configName;
    }

    /** Parses a config name; anything else is a {@link UserInputException} naming the value. */
    @JsonCreator
    public static OptimizerType parse(String value) {
        String s = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (OptimizerType t : values()) {
            if (t.configName.equals(s)) {
                return t;
            }
        }
        throw new UserInputException("train.optimizer.type '" + value + "' is not valid; allowed: sgd, adam, adamw");
    }

    @JsonValue
    @Override
    public String toString() {
        return configName;
    }
}
