package dev.mtlj.serve.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.ModelStore;
import dev.mtlj.serve.Predictions;
import dev.mtlj.serve.Predictor;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServedRun;
import dev.mtlj.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.mtlj.serve.grpc.v2.InferParameter;
import dev.mtlj.serve.grpc.v2.InferTensorContents;
import dev.mtlj.serve.grpc.v2.ModelConfigRequest;
import dev.mtlj.serve.grpc.v2.ModelInferRequest;
import dev.mtlj.serve.grpc.v2.ModelInferResponse;
import dev.mtlj.serve.grpc.v2.ModelMetadataRequest;
import dev.mtlj.serve.grpc.v2.ModelMetadataResponse;
import dev.mtlj.serve.grpc.v2.ModelReadyRequest;
import dev.mtlj.serve.grpc.v2.ModelRepositoryParameter;
import dev.mtlj.serve.grpc.v2.ModelStatisticsRequest;
import dev.mtlj.serve.grpc.v2.RepositoryIndexRequest;
import dev.mtlj.serve.grpc.v2.RepositoryModelLoadRequest;
import dev.mtlj.serve.grpc.v2.RepositoryModelUnloadRequest;
import dev.mtlj.serve.grpc.v2.ServerLiveRequest;
import dev.mtlj.serve.grpc.v2.ServerMetadataRequest;
import dev.mtlj.serve.grpc.v2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC front end with grpc-java's own client stub over loopback: every RPC of the service, answers equal to the
 * trained predictor's, and each failure's status.
 */
class GrpcServerTest {
    private static final PredictorOptions CPU = PredictorOptions.defaults().withDevice("cpu");
    private static ModelRepository repository;
    private static GrpcServer server;
    private static ManagedChannel channel;
    private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    private static Predictor reference;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createTempDirectory("mtlj-grpc-repository");
        Files.createDirectories(root.resolve("extra/3"));
        Files.copy(dev.mtlj.checkpoint.CheckpointFile.resolve(ServedRun.dir()), root.resolve("extra/3/model.ckpt"));
        repository = new ModelRepository(new ModelStore(root));
        repository.load("toy", "1", ServedRun.dir(), CPU, BatchingOptions.defaults(), true);
        server = new GrpcServer(
                repository,
                "127.0.0.1",
                0,
                8,
                16 << 20,
                5,
                true,
                CPU,
                BatchingOptions.defaults(),
                dev.mtlj.serve.ServerSecurity.none());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        reference = Predictor.open(ServedRun.dir(), CPU);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.close();
        repository.close();
        reference.close();
    }

    private static float[] input(int rows) {
        Random rnd = new Random(23);
        float[] x = new float[rows * 250];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    private static ModelInferRequest.Builder request(int rows) {
        return ModelInferRequest.newBuilder()
                .setModelName("toy")
                .setId("g-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
                        .setName("input")
                        .setDatatype("FP32")
                        .addShape(rows)
                        .addShape(250));
    }

    private static ByteString raw(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        return ByteString.copyFrom(b.array());
    }

    private static float[] floats(ByteString raw) {
        float[] out = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(out);
        return out;
    }

    @Test
    void healthAndMetadata() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
                .isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady())
                .isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("toy").build())
                        .getReady())
                .isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance())
                        .getExtensionsList())
                .contains("binary_tensor_data", "model_repository", "statistics");
        ModelMetadataResponse m = stub.modelMetadata(
                ModelMetadataRequest.newBuilder().setName("toy").build());
        assertThat(m.getInputs(0).getShapeList()).containsExactly(-1L, 250L);
        assertThat(m.getOutputsList().stream().map(ModelMetadataResponse.TensorMetadata::getName))
                .containsExactly("y1", "y2", "cls");
        assertThat(stub.modelConfig(
                                ModelConfigRequest.newBuilder().setName("toy").build())
                        .getConfig()
                        .getMaxBatchSize())
                .isEqualTo(64);
    }

    /** raw_input_contents in, raw_output_contents out: exactly the predictor's outputs. */
    @Test
    void rawContentsEqualThePredictors() {
        float[] x = input(3);
        ModelInferResponse r =
                stub.modelInfer(request(3).addRawInputContents(raw(x)).build());
        Predictions want = reference.predict(x, 3, null);
        assertThat(r.getId()).isEqualTo("g-1");
        assertThat(r.getOutputsCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            String task = r.getOutputs(i).getName();
            assertThat(floats(r.getRawOutputContents(i)))
                    .containsExactly(want.task(task).values());
        }
    }

    /** Typed contents (fp32_contents), asked outputs only, and the classification extension. */
    @Test
    void typedContentsAndClassification() {
        float[] x = input(1);
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : x) {
            c.addFp32Contents(v);
        }
        ModelInferRequest.Builder b = request(1);
        b.getInputsBuilder(0).setContents(c);
        b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName("cls")
                .putParameters(
                        "classification",
                        InferParameter.newBuilder().setInt64Param(1).build()));
        ModelInferResponse r = stub.modelInfer(b.build());
        assertThat(r.getOutputsCount()).isEqualTo(1);
        assertThat(r.getOutputs(0).getDatatype()).isEqualTo("BYTES");
        ByteBuffer bytes = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] s = new byte[bytes.getInt()];
        bytes.get(s);
        float[] p = reference.predict(x, 1, null).task("cls").values();
        int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
        assertThat(new String(s, java.nio.charset.StandardCharsets.UTF_8)).endsWith(":" + best);
    }

    /** Failures carry the protocol's statuses with the same messages as HTTP. */
    @Test
    void failuresMapToStatuses() {
        assertStatus(
                () -> stub.modelInfer(request(1).setModelName("nope").build()),
                Status.Code.NOT_FOUND,
                "model 'nope' is not loaded");
        assertStatus(
                () -> stub.modelInfer(
                        request(1).addRawInputContents(raw(new float[249])).build()),
                Status.Code.INVALID_ARGUMENT,
                "raw_input_contents[0] carries 996 bytes; 250 FP32 values take 1000");
        ModelInferRequest.Builder both = request(1).addRawInputContents(raw(input(1)));
        both.getInputsBuilder(0).setContents(InferTensorContents.newBuilder().addFp32Contents(1f));
        assertStatus(
                () -> stub.modelInfer(both.build()),
                Status.Code.INVALID_ARGUMENT,
                "inputs[0] carries both typed contents and raw_input_contents; give one");
        assertStatus(
                () -> stub.modelInfer(request(1).build()),
                Status.Code.INVALID_ARGUMENT,
                "inputs[0].contents holds 0 FP32 values; the shape needs 250");
        ModelInferRequest.Builder topk = request(1).addRawInputContents(raw(input(1)));
        topk.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                .setName("cls")
                .putParameters(
                        "classification",
                        InferParameter.newBuilder().setDoubleParam(1.5).build()));
        assertStatus(
                () -> stub.modelInfer(topk.build()),
                Status.Code.INVALID_ARGUMENT,
                "classification must be an integer 1..3");
        assertStatus(
                () -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder()
                        .setModelName("extra")
                        .putParameters(
                                "path",
                                ModelRepositoryParameter.newBuilder()
                                        .setStringParam("/etc/shadow")
                                        .build())
                        .build()),
                Status.Code.INVALID_ARGUMENT,
                "load takes no parameter 'path'");
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class).satisfies(e -> {
            Status s = ((StatusRuntimeException) e).getStatus();
            assertThat(s.getCode()).isEqualTo(code);
            assertThat(s.getDescription()).contains(message);
        });
    }

    /** The repository RPCs: load by name, index with states, unload; statistics count the calls. */
    @Test
    void repositoryAndStatistics() {
        stub.repositoryModelLoad(
                RepositoryModelLoadRequest.newBuilder().setModelName("extra").build());
        assertThat(
                        stub
                                .repositoryIndex(RepositoryIndexRequest.newBuilder()
                                        .setReady(true)
                                        .build())
                                .getModelsList()
                                .stream()
                                .map(m -> m.getName() + " " + m.getVersion() + " " + m.getState())
                                .toList())
                .contains("extra 3 READY", "toy 1 READY");
        stub.repositoryModelUnload(
                RepositoryModelUnloadRequest.newBuilder().setModelName("extra").build());
        List<String> index = stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()).getModelsList().stream()
                .map(m -> m.getName() + " " + m.getVersion() + " " + m.getState() + " " + m.getReason())
                .toList();
        assertThat(index).contains("extra 3 UNAVAILABLE unloaded");
        long before = stub.modelStatistics(
                        ModelStatisticsRequest.newBuilder().setName("toy").build())
                .getModelStats(0)
                .getInferenceStats()
                .getSuccess()
                .getCount();
        stub.modelInfer(request(2).addRawInputContents(raw(input(2))).build());
        var after = stub.modelStatistics(
                        ModelStatisticsRequest.newBuilder().setName("toy").build())
                .getModelStats(0);
        assertThat(after.getInferenceStats().getSuccess().getCount()).isEqualTo(before + 1);
        assertThat(after.getInferenceCount()).isGreaterThanOrEqualTo(2);
    }

    /**
     * A message over the limit is refused with RESOURCE_EXHAUSTED, and what gRPC logs about it is one line per event
     * (the probe's defect 10: each 100 MB message logged a 16-line trace). The events are formatted by the serve
     * command's own appender for gRPC (logback.xml, with java.util.logging bridged as ServeCommand does).
     */
    @Test
    void anOversizedMessageIsRefusedAndLoggedOnOneLine() {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        ch.qos.logback.classic.Logger grpcLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.grpc");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
                new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        grpcLog.addAppender(seen);
        try {
            ModelInferRequest big = request(70_000)
                    .addRawInputContents(ByteString.copyFrom(new byte[70_000 * 250 * 4]))
                    .build();
            assertStatus(() -> stub.modelInfer(big), Status.Code.RESOURCE_EXHAUSTED, "");
            @SuppressWarnings("unchecked")
            ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> oneLine =
                    (ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                            grpcLog.getAppender("ONE_LINE");
            assertThat(seen.list).as("gRPC's own warning about the message").isNotEmpty();
            for (ch.qos.logback.classic.spi.ILoggingEvent e : seen.list) {
                String text = new String(oneLine.getEncoder().encode(e), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text.strip()).as(text).doesNotContain("\n");
            }
        } finally {
            grpcLog.detachAppender(seen);
        }
    }
}
