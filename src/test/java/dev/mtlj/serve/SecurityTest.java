package dev.mtlj.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtlj.UserInputException;
import dev.mtlj.serve.grpc.GrpcServer;
import dev.mtlj.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.mtlj.serve.grpc.v2.RepositoryModelUnloadRequest;
import dev.mtlj.serve.grpc.v2.ServerLiveRequest;
import dev.mtlj.serve.grpc.v2.ServerMetadataRequest;
import dev.mtlj.serve.http.InferenceServer;
import dev.mtlj.serve.http.ServerOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on the serving fleet (the probe's defect 11: any client could unload any model, no TLS, no token):
 * a bearer token for the repository routes and optionally for inference, models given on the command line pinned
 * against model control, HTTPS and gRPC over TLS with optional client certificates. The TLS material is test-only,
 * made by {@code make_test_certs.sh} beside it.
 */
class SecurityTest {
    private static final String TOKEN = "s3cr3t-t0ken-for-tests-only";
    private static final PredictorOptions CPU = PredictorOptions.defaults().withDevice("cpu");
    private static final ServerOptions CONTROL = new ServerOptions("127.0.0.1", 0, 1 << 20, 8, 5, true, 30, 256);

    private static Path tls(String name) throws Exception {
        Path dir = Files.createTempDirectory("mtlj-tls");
        try (InputStream in = SecurityTest.class.getResourceAsStream("/dev/mtlj/serve/tls/" + name)) {
            Files.copy(in, dir.resolve(name));
        }
        return dir.resolve(name);
    }

    private static ModelRepository repository() {
        ModelRepository repo = new ModelRepository();
        repo.load("toy", "1", ServedRun.dir(), CPU, BatchingOptions.defaults(), true);
        return repo;
    }

    private static HttpResponse<String> send(HttpClient client, String url, String method, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(
                method,
                method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(""));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theTokenGuardsModelControlAndPinnedModelsStay() throws Exception {
        ModelRepository repo = repository();
        repo.pin("toy");
        HttpClient client = HttpClient.newHttpClient();
        try (InferenceServer server = new InferenceServer(repo, CONTROL, CPU, new ServerSecurity(TOKEN, false, null))) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> none = send(client, base + "/v2/repository/models/toy/unload", "POST", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.body()).contains("needs the server's bearer token");
            HttpResponse<String> wrong = send(client, base + "/v2/repository/index", "POST", "x" + TOKEN);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain(TOKEN);
            HttpResponse<String> pinned = send(client, base + "/v2/repository/models/toy/unload", "POST", TOKEN);
            assertThat(pinned.statusCode()).isEqualTo(403);
            assertThat(pinned.body()).contains("model 'toy' was given on the server's command line and is pinned");
            assertThat(send(client, base + "/v2/models/toy/ready", "GET", null).statusCode())
                    .isEqualTo(200);
            assertThat(send(client, base + "/v2/health/ready", "GET", null).statusCode())
                    .isEqualTo(200);
            assertThat(send(client, base + "/v2/repository/index", "POST", TOKEN)
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void withAuthInferenceEveryRouteButHealthNeedsTheToken() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (InferenceServer server = new InferenceServer(
                repository(), CONTROL.withModelControl(false), CPU, new ServerSecurity(TOKEN, true, null))) {
            String base = "http://127.0.0.1:" + server.port();
            for (String path : List.of("/v2", "/v2/models/toy", "/v2/models/toy/ready", "/metrics")) {
                assertThat(send(client, base + path, "GET", null).statusCode())
                        .as(path)
                        .isEqualTo(401);
                assertThat(send(client, base + path, "GET", TOKEN).statusCode())
                        .as(path)
                        .isEqualTo(200);
            }
            assertThat(send(client, base + "/v2/models/toy/infer", "POST", null).statusCode())
                    .isEqualTo(401);
            assertThat(send(client, base + "/v2/health/live", "GET", null).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void badTokensAndTlsFilesAreRefusedByName() throws Exception {
        assertThatThrownBy(() -> new ServerSecurity("short", false, null))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("at least 16 printable characters");
        assertThatThrownBy(() -> new ServerSecurity(null, true, null))
                .hasMessageContaining("--auth-inference needs a token");
        Path notPem = Files.writeString(Files.createTempFile("mtlj", ".pem"), "hello");
        assertThatThrownBy(() -> TlsMaterial.read(new ServerSecurity.Tls(notPem, tls("server.key"), null)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("--tls-cert '" + notPem + "'");
        assertThatThrownBy(() -> TlsMaterial.read(new ServerSecurity.Tls(tls("server.pem"), notPem, null)))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("must be an unencrypted PKCS#8 PEM key");
    }

    /** HTTPS with the test CA trusted; with a client CA, a client without a certificate fails the handshake. */
    @Test
    void httpsAndMutualTls() throws Exception {
        ServerSecurity.Tls files = new ServerSecurity.Tls(tls("server.pem"), tls("server.key"), null);
        try (InferenceServer server =
                new InferenceServer(repository(), CONTROL, CPU, new ServerSecurity(null, false, files))) {
            String url = "https://localhost:" + server.port() + "/v2/models/toy/ready";
            assertThat(send(client(false), url, "GET", null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> send(HttpClient.newHttpClient(), url, "GET", null))
                    .as("a client that does not trust the certificate")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
        ServerSecurity.Tls mutual = new ServerSecurity.Tls(tls("server.pem"), tls("server.key"), tls("ca.pem"));
        try (InferenceServer server =
                new InferenceServer(repository(), CONTROL, CPU, new ServerSecurity(null, false, mutual))) {
            String url = "https://localhost:" + server.port() + "/v2/models/toy/ready";
            assertThat(send(client(true), url, "GET", null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> send(client(false), url, "GET", null))
                    .as("no client certificate")
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    /** gRPC: TLS, the token on the repository RPCs, pinned models refused; health needs nothing. */
    @Test
    void grpcOverTlsWithTheToken() throws Exception {
        ModelRepository repo = repository();
        repo.pin("toy");
        ServerSecurity security =
                new ServerSecurity(TOKEN, false, new ServerSecurity.Tls(tls("server.pem"), tls("server.key"), null));
        GrpcServer server =
                new GrpcServer(repo, "127.0.0.1", 0, 4, 1 << 20, 5, true, CPU, BatchingOptions.defaults(), security);
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(certificates("ca.pem"))
                        .build())
                .build();
        ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build();
        try {
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
                    .isTrue();
            assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance())
                            .getName())
                    .isNotEmpty();
            RepositoryModelUnloadRequest unload = RepositoryModelUnloadRequest.newBuilder()
                    .setModelName("toy")
                    .build();
            assertThatThrownBy(() -> stub.repositoryModelUnload(unload))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
            var authed = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
            assertThatThrownBy(() -> authed.repositoryModelUnload(unload))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            var plainStub = GRPCInferenceServiceGrpc.newBlockingStub(plain).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> plainStub.serverLive(ServerLiveRequest.getDefaultInstance()))
                    .as("plain text to a TLS port")
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            plain.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            server.close();
            repo.close();
        }
    }

    private static X509Certificate[] certificates(String name) throws Exception {
        try (InputStream in = Files.newInputStream(tls(name))) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        }
    }

    /** A client trusting the test CA, presenting the test client certificate when asked to. */
    private static HttpClient client(boolean withCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificates("ca.pem")[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            TlsMaterial client = TlsMaterial.read(new ServerSecurity.Tls(tls("client.pem"), tls("client.key"), null));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.key(), new char[0], client.chain().toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).build();
    }
}
