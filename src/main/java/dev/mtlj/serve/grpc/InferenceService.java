package dev.mtlj.serve.grpc;

import com.google.protobuf.ByteString;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.AccessDeniedException;
import dev.mtlj.serve.BatchingOptions;
import dev.mtlj.serve.ErrorText;
import dev.mtlj.serve.InferRequest;
import dev.mtlj.serve.Inference;
import dev.mtlj.serve.ModelRepository;
import dev.mtlj.serve.OverloadedException;
import dev.mtlj.serve.PredictorOptions;
import dev.mtlj.serve.ServerInfo;
import dev.mtlj.serve.ServingMetrics;
import dev.mtlj.serve.grpc.v2.DataType;
import dev.mtlj.serve.grpc.v2.GRPCInferenceServiceGrpc;
import dev.mtlj.serve.grpc.v2.InferStatistics;
import dev.mtlj.serve.grpc.v2.ModelConfig;
import dev.mtlj.serve.grpc.v2.ModelConfigRequest;
import dev.mtlj.serve.grpc.v2.ModelConfigResponse;
import dev.mtlj.serve.grpc.v2.ModelDynamicBatching;
import dev.mtlj.serve.grpc.v2.ModelInferRequest;
import dev.mtlj.serve.grpc.v2.ModelInferResponse;
import dev.mtlj.serve.grpc.v2.ModelMetadataRequest;
import dev.mtlj.serve.grpc.v2.ModelMetadataResponse;
import dev.mtlj.serve.grpc.v2.ModelOutputTensor;
import dev.mtlj.serve.grpc.v2.ModelReadyRequest;
import dev.mtlj.serve.grpc.v2.ModelReadyResponse;
import dev.mtlj.serve.grpc.v2.ModelStatistics;
import dev.mtlj.serve.grpc.v2.ModelStatisticsRequest;
import dev.mtlj.serve.grpc.v2.ModelStatisticsResponse;
import dev.mtlj.serve.grpc.v2.ModelTensor;
import dev.mtlj.serve.grpc.v2.RepositoryIndexRequest;
import dev.mtlj.serve.grpc.v2.RepositoryIndexResponse;
import dev.mtlj.serve.grpc.v2.RepositoryModelLoadRequest;
import dev.mtlj.serve.grpc.v2.RepositoryModelLoadResponse;
import dev.mtlj.serve.grpc.v2.RepositoryModelUnloadRequest;
import dev.mtlj.serve.grpc.v2.RepositoryModelUnloadResponse;
import dev.mtlj.serve.grpc.v2.ServerLiveRequest;
import dev.mtlj.serve.grpc.v2.ServerLiveResponse;
import dev.mtlj.serve.grpc.v2.ServerMetadataRequest;
import dev.mtlj.serve.grpc.v2.ServerMetadataResponse;
import dev.mtlj.serve.grpc.v2.ServerReadyRequest;
import dev.mtlj.serve.grpc.v2.ServerReadyResponse;
import dev.mtlj.serve.grpc.v2.StatisticDuration;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Open Inference Protocol's {@code inference.GRPCInferenceService} over the same {@link ModelRepository} as the
 * HTTP server: the same predictors, batchers, checks and metrics. Statuses: INVALID_ARGUMENT (bad request),
 * NOT_FOUND (unknown model or version), PERMISSION_DENIED (model control off), UNAVAILABLE (the server's overload or
 * shutdown), INTERNAL (anything else; the trace goes to the log).
 */
final class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    private final ModelRepository repository;
    private final BooleanSupplier accepting;
    private final boolean modelControl;
    private final PredictorOptions loadOptions;
    private final BatchingOptions loadBatching;

    InferenceService(
            ModelRepository repository,
            BooleanSupplier accepting,
            boolean modelControl,
            PredictorOptions loadOptions,
            BatchingOptions loadBatching) {
        this.repository = repository;
        this.accepting = accepting;
        this.modelControl = modelControl;
        this.loadOptions = loadOptions;
        this.loadBatching = loadBatching;
    }

    @Override
    public void serverLive(ServerLiveRequest r, StreamObserver<ServerLiveResponse> out) {
        answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest r, StreamObserver<ServerReadyResponse> out) {
        answer(
                out,
                () -> ServerReadyResponse.newBuilder()
                        .setReady(accepting.getAsBoolean() && !repository.isEmpty())
                        .build());
    }

    @Override
    public void modelReady(ModelReadyRequest r, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> {
            if (!repository.isLoaded(r.getName()) && repository.isKnown(r.getName())) {
                return ModelReadyResponse.newBuilder().setReady(false).build(); // in the index, not loaded
            }
            repository.get(r.getName(), version(r.getVersion()));
            return ModelReadyResponse.newBuilder()
                    .setReady(accepting.getAsBoolean())
                    .build();
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest r, StreamObserver<ServerMetadataResponse> out) {
        answer(
                out,
                () -> ServerMetadataResponse.newBuilder()
                        .setName(ServerInfo.NAME)
                        .setVersion(ServerInfo.VERSION)
                        .addAllExtensions(ServerInfo.EXTENSIONS)
                        .build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest r, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            ModelRepository.Served s = repository.get(r.getName(), version(r.getVersion()));
            ModelSignature sig = s.predictor().signature();
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder()
                    .setName(s.name())
                    .addAllVersions(repository.versionsOf(s.name()))
                    .setPlatform(s.predictor().platform())
                    .addInputs(tensor(InferRequest.INPUT, sig.inputShape()));
            for (ModelSignature.Task t : sig.tasks()) {
                b.addOutputs(tensor(t.name(), new long[] {t.outputs()}));
            }
            return b.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensor(String name, long[] shape) {
        ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(name)
                .setDatatype("FP32")
                .addShape(-1);
        for (long d : shape) {
            t.addShape(d);
        }
        return t.build();
    }

    @Override
    public void modelInfer(ModelInferRequest r, StreamObserver<ModelInferResponse> out) {
        long t0 = System.nanoTime();
        ModelRepository.Served[] served = new ModelRepository.Served[1];
        int status = answer(out, () -> {
            ModelRepository.Served s = repository.get(r.getModelName(), version(r.getModelVersion()));
            served[0] = s;
            if (!accepting.getAsBoolean()) {
                throw new OverloadedException("the server is shutting down");
            }
            InferRequest req = GrpcRequests.parse(r, s.predictor().signature());
            ModelInferResponse.Builder b =
                    ModelInferResponse.newBuilder().setModelName(s.name()).setModelVersion(s.version());
            if (req.id() != null) {
                b.setId(req.id());
            }
            for (Inference.Answer a : Inference.run(s, req)) {
                ModelInferResponse.InferOutputTensor.Builder t = ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName(a.tensor().name())
                        .setDatatype(a.tensor().datatype());
                for (long d : a.tensor().shape()) {
                    t.addShape(d);
                }
                b.addOutputs(t);
                b.addRawOutputContents(ByteString.copyFrom(a.tensor().raw()));
            }
            return b.build();
        });
        repository.metrics().request(served[0], status, t0);
    }

    @Override
    public void modelConfig(ModelConfigRequest r, StreamObserver<ModelConfigResponse> out) {
        answer(out, () -> {
            ModelRepository.Served s = repository.get(r.getName(), version(r.getVersion()));
            ModelSignature sig = s.predictor().signature();
            ModelConfig.Builder c = ModelConfig.newBuilder()
                    .setName(s.name())
                    .setPlatform(s.predictor().platform())
                    .setBackend("mtlj")
                    .setMaxBatchSize(s.batching().enabled() ? s.batching().maxBatchSize() : 0);
            ModelTensor.Builder in =
                    ModelTensor.newBuilder().setName(InferRequest.INPUT).setDataType(DataType.TYPE_FP32);
            for (long d : sig.inputShape()) {
                in.addDims(d);
            }
            c.addInput(in);
            for (ModelSignature.Task t : sig.tasks()) {
                c.addOutput(ModelOutputTensor.newBuilder()
                        .setName(t.name())
                        .setDataType(DataType.TYPE_FP32)
                        .addDims(t.outputs()));
            }
            if (s.batching().enabled()) {
                c.setDynamicBatching(ModelDynamicBatching.newBuilder()
                        .setMaxQueueDelayMicroseconds(s.batching().maxWaitMicros()));
            }
            return ModelConfigResponse.newBuilder().setConfig(c).build();
        });
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest r, StreamObserver<ModelStatisticsResponse> out) {
        answer(out, () -> {
            List<ModelRepository.Served> models = r.getName().isEmpty()
                    ? repository.all()
                    : r.getVersion().isEmpty()
                            ? repository.versionsOf(r.getName()).stream()
                                    .map(v -> repository.get(r.getName(), v))
                                    .toList()
                            : List.of(repository.get(r.getName(), r.getVersion()));
            ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
            for (ModelRepository.Served s : models) {
                ServingMetrics.Stats st = repository.metrics().stats(s.name(), s.version());
                b.addModelStats(ModelStatistics.newBuilder()
                        .setName(s.name())
                        .setVersion(s.version())
                        .setLastInference(st.lastInference())
                        .setInferenceCount(st.inferences())
                        .setExecutionCount(st.executions())
                        .setInferenceStats(InferStatistics.newBuilder()
                                .setSuccess(duration(st.successCount(), st.successNs()))
                                .setFail(duration(st.failCount(), st.failNs()))));
            }
            return b.build();
        });
    }

    private static StatisticDuration duration(long count, long ns) {
        return StatisticDuration.newBuilder().setCount(count).setNs(ns).build();
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest r, StreamObserver<RepositoryIndexResponse> out) {
        answer(out, () -> {
            RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
            for (ModelRepository.IndexEntry e : repository.index()) {
                if (r.getReady() && !e.state().equals("READY")) {
                    continue;
                }
                b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder()
                        .setName(e.name())
                        .setVersion(e.version())
                        .setState(e.state())
                        .setReason(e.reason()));
            }
            return b.build();
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest r, StreamObserver<RepositoryModelLoadResponse> out) {
        answer(out, () -> {
            requireModelControl();
            repository.checkControllable(r.getModelName());
            for (String k : r.getParametersMap().keySet()) {
                if (k.equals("path") || k.startsWith("file:") || k.equals("config")) {
                    throw new UserInputException("load takes no parameter '" + k + "': models are loaded by name from"
                            + " the model repository folder, never from a path or file a request names");
                }
            }
            repository.loadFromStore(r.getModelName(), loadOptions, loadBatching);
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(
            RepositoryModelUnloadRequest r, StreamObserver<RepositoryModelUnloadResponse> out) {
        answer(out, () -> {
            requireModelControl();
            repository.checkControllable(r.getModelName());
            repository.unload(r.getModelName(), null);
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    private void requireModelControl() {
        if (!modelControl) {
            throw new AccessDeniedException(
                    "model control is off; start the server with --model-control to load or unload models");
        }
    }

    private static String version(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    /** Sends the value or the failure's status; returns the HTTP-equivalent status for the metrics. */
    private static <T> int answer(StreamObserver<T> out, Callable<T> body) {
        try {
            out.onNext(body.call());
            out.onCompleted();
            return 200;
        } catch (ModelRepository.NotFoundException e) {
            out.onError(Status.NOT_FOUND
                    .withDescription(ErrorText.bounded(e.getMessage()))
                    .asRuntimeException());
            return 404;
        } catch (AccessDeniedException e) {
            out.onError(Status.PERMISSION_DENIED
                    .withDescription(ErrorText.bounded(e.getMessage()))
                    .asRuntimeException());
            return 403;
        } catch (UserInputException e) {
            out.onError(Status.INVALID_ARGUMENT
                    .withDescription(ErrorText.bounded(e.getMessage()))
                    .asRuntimeException());
            return 400;
        } catch (OverloadedException e) {
            out.onError(Status.UNAVAILABLE
                    .withDescription(ErrorText.bounded(e.getMessage()))
                    .asRuntimeException());
            return 503;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.onError(Status.UNAVAILABLE
                    .withDescription("the server is shutting down")
                    .asRuntimeException());
            return 503;
        } catch (Exception e) {
            LOG.error("gRPC call failed", e);
            out.onError(Status.INTERNAL
                    .withDescription("internal error; see the server log")
                    .asRuntimeException());
            return 500;
        }
    }
}
