package dev.mtlj.model;

/** Hard parameter sharing: one backbone, every head reads its output. No parameters. */
public record HardSharingSpec() implements ArchitectureSpec {}
