package dev.mtlj.model;

/** MTAN-style attention ({@link Mtan}); its shared CNN takes the channels of the configured cnn backbone. */
public record MtanSpec() implements ArchitectureSpec {
    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        Mtan mtan = new Mtan(backbone, exampleShape, tasks);
        return new Trunk("mtan", mtan, mtan);
    }
}
