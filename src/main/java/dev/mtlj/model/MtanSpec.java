package dev.mtlj.model;

/** MTAN-style attention ({@link Mtan}); its shared CNN takes the channels of the configured cnn backbone. */
public record MtanSpec() implements ArchitectureSpec {}
