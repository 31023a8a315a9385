package dev.mtlj.serve;

import dev.mtlj.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The parsed PEM files of {@link ServerSecurity.Tls}: the key, the certificate chain and the client CAs, read once at
 * start so that a bad file is an exit-2 error naming it, not a failed handshake later.
 *
 * @param key      the private key
 * @param chain    the server's certificate chain
 * @param clientCa CA certificates for client certificates; empty when none are asked for
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientCa) {
    /** Reads and checks the files. */
    public static TlsMaterial read(ServerSecurity.Tls tls) {
        List<X509Certificate> chain = certificates(tls.certificateChain(), "--tls-cert");
        PrivateKey key = privateKey(tls.privateKey());
        List<X509Certificate> ca = tls.clientCa() == null ? List.of() : certificates(tls.clientCa(), "--tls-client-ca");
        return new TlsMaterial(key, chain, ca);
    }

    /** A JDK TLS context for these files (TLS 1.2 and 1.3). */
    public SSLContext sslContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("server", key, none, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            TrustManagerFactory tmf = null;
            if (!clientCa.isEmpty()) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < clientCa.size(); i++) {
                    ts.setCertificateEntry("ca-" + i, clientCa.get(i));
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new UserInputException("the TLS key and certificate do not make a usable pair: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String option) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (out.isEmpty()) {
                throw new UserInputException(option + " '" + file + "' holds no certificate");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new UserInputException(
                    option + " '" + file + "' is not a readable PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UserInputException("--tls-key '" + file + "' cannot be read: " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int at = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (at < 0 || end < at) {
            throw new UserInputException("--tls-key '" + file + "' must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE"
                    + " KEY); convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(at + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--tls-key '" + file + "' is not valid base64 PEM", e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new UserInputException("--tls-key '" + file + "' holds no RSA, EC or Ed25519 private key");
    }
}
