package dev.mtlj.serve;

import java.util.List;

/** What both front ends (HTTP and gRPC) report as server metadata. */
public final class ServerInfo {
    /** The server's name. */
    public static final String NAME = "mtlj";

    /** The server's version. */
    public static final String VERSION = "0.2.0";

    /** The Open Inference Protocol extensions implemented on both front ends. */
    public static final List<String> EXTENSIONS =
            List.of("classification", "binary_tensor_data", "model_repository", "model_configuration", "statistics");

    private ServerInfo() {}
}
