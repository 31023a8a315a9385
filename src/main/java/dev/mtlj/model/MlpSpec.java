package dev.mtlj.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mtlj.UserInputException;
import java.util.List;

/**
 * MLP backbone: {@code Linear → ReLU [→ Dropout]} per hidden width; the representation is the last hidden
 * layer's activation. Inputs with more than one dimension are flattened.
 *
 * @param hidden  hidden widths, at least one (default {@code [100, 100, 100, 100]}, the GradNorm toy trunk)
 * @param dropout dropout probability after each activation, in [0, 1) (default 0)
 */
public record MlpSpec(
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("dropout") Double dropout) implements BackboneSpec, ColumnStages {
    /** Fills in the defaults and checks the values; a bad one is a {@link dev.mtlj.UserInputException} naming it. */
    public MlpSpec {
        hidden = hidden == null ? List.of(100, 100, 100, 100) : List.copyOf(hidden);
        dropout = dropout == null ? 0.0 : dropout;
        if (hidden.isEmpty()) {
            throw new UserInputException("model.backbone.hidden must list at least one width");
        }
        Specs.checkWidths("model.backbone.hidden", hidden);
        Specs.checkDropout("model.backbone.dropout", dropout);
    }

    @Override
    public String typeName() {
        return "mlp";
    }

    @Override
    @dev.mtlj.NativeApi
    public Backbone build(long[] exampleShape) {
        return new MlpBackbone(this, exampleShape);
    }

    @Override
    @dev.mtlj.NativeApi
    public long[] stages(
            long[] exampleShape,
            java.util.List<org.bytedeco.pytorch.SequentialImpl> column,
            java.util.List<Long> widths,
            java.util.List<org.bytedeco.javacpp.Pointer> owned) {
        return CrossStitch.mlpStages(this, exampleShape, column, widths, owned);
    }

    @Override
    public boolean flatInput() {
        return true;
    }
}
