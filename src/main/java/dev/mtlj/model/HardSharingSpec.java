package dev.mtlj.model;

/** Hard parameter sharing: one backbone, every head reads its output. No parameters. */
public record HardSharingSpec() implements ArchitectureSpec {
    @Override
    @dev.mtlj.NativeApi
    public Trunk build(BackboneSpec backbone, long[] exampleShape, int tasks) {
        Backbone b = backbone.build(exampleShape);
        return new Trunk("backbone", b.module(), new HardSharing(b, tasks));
    }
}
