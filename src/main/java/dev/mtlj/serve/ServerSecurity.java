package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Who may do what on a server (HTTP and gRPC alike), and whether the wire is encrypted. See docs/security.md for the
 * threat model.
 *
 * @param token             the bearer token clients present ({@code Authorization: Bearer <token>}); null: none is
 *                          asked for. When set, model control and the repository index always need it
 * @param tokenForInference whether inference, metadata, statistics and metrics need the token too (health never does:
 *                          orchestrators probe it)
 * @param tls               certificate, key and optional client CA; null: plain text
 */
public record ServerSecurity(String token, boolean tokenForInference, Tls tls) {
    /** Shortest token accepted: a guessable token is no protection. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /**
     * The files of a TLS listener: PEM, the key unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
     *
     * @param certificateChain the server's certificate, then its intermediates
     * @param privateKey       its private key
     * @param clientCa         CA certificates that client certificates must chain to; null: no client certificate asked
     */
    public record Tls(Path certificateChain, Path privateKey, Path clientCa) {}

    /** Checks the token. */
    public ServerSecurity {
        if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7e]+"))) {
            throw new UserInputException("the auth token must be at least " + MIN_TOKEN_LENGTH
                    + " printable characters without spaces (e.g. openssl rand -hex 32)");
        }
        if (tokenForInference && token == null) {
            throw new UserInputException("--auth-inference needs a token (--auth-token-file FILE or MTLJ_AUTH_TOKEN)");
        }
    }

    /** No token, no TLS. */
    public static ServerSecurity none() {
        return new ServerSecurity(null, false, null);
    }

    /**
     * Checks an {@code Authorization} header value (null when absent) in constant time; throws
     * {@link UnauthenticatedException} naming what needs the token, never echoing what was sent.
     */
    public void authenticate(String authorization, String what) {
        if (token == null) {
            return;
        }
        byte[] want = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        byte[] got = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(want, got)) {
            throw new UnauthenticatedException(what
                    + " needs the server's bearer token (Authorization: Bearer <token>); none or another was sent");
        }
    }
}
