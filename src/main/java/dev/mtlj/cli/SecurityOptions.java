package dev.mtlj.cli;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.ServerSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The serve command's TLS and bearer-token options (docs/security.md). */
final class SecurityOptions {
    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "Serve HTTPS and gRPC over TLS with this certificate chain (with --tls-key).")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "The certificate's private key, unencrypted PKCS#8 PEM (BEGIN PRIVATE KEY).")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "PEM",
            description = "Require client certificates that chain to these CA certificates (mutual TLS).")
    Path tlsClientCa;

    @Option(
            names = "--auth-token-file",
            paramLabel = "FILE",
            description = "A bearer token (first line of FILE; or the MTLJ_AUTH_TOKEN environment variable) that the"
                    + " repository routes, and with --auth-inference every route but health, require.")
    Path tokenFile;

    @Option(names = "--auth-inference", description = "Require the bearer token for inference and metadata too.")
    boolean authInference;

    /** The token and TLS settings the options give; a bad combination or file is exit 2. */
    ServerSecurity security() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserInputException("--tls-cert and --tls-key go together");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new UserInputException("--tls-client-ca needs --tls-cert and --tls-key");
        }
        String token = null;
        if (tokenFile != null) {
            try {
                token = Files.readAllLines(tokenFile).stream()
                        .findFirst()
                        .orElse("")
                        .strip();
            } catch (java.io.IOException e) {
                throw new UserInputException("--auth-token-file '" + tokenFile + "' cannot be read: " + e.getMessage());
            }
        } else if (System.getenv("MTLJ_AUTH_TOKEN") != null) {
            token = System.getenv("MTLJ_AUTH_TOKEN").strip();
        }
        return new ServerSecurity(
                token, authInference, tlsCert == null ? null : new ServerSecurity.Tls(tlsCert, tlsKey, tlsClientCa));
    }

    /** Whether {@code host} names a loopback address (model control there needs no token). */
    static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
