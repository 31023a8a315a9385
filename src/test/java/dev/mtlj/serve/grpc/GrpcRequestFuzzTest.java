package dev.mtlj.serve.grpc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.serve.grpc.v2.ModelInferRequest;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.util.List;

/**
 * Fuzzes the gRPC request decoder: any message bytes are a request, a protobuf decoding error (gRPC answers INTERNAL
 * before our code runs) or a {@link UserInputException} (INVALID_ARGUMENT) — never another exception. Seeds under
 * {@code GrpcRequestFuzzTestInputs/}.
 */
class GrpcRequestFuzzTest {
    private static final ModelSignature SIGNATURE = ModelSignature.of(
            new long[] {4},
            List.of(TaskSpec.of("y", TaskKind.REGRESSION, 2), TaskSpec.of("c", TaskKind.CLASSIFICATION, 3)));

    @FuzzTest(maxDuration = "30s")
    void anyMessageIsARequestOrInvalidArgument(byte[] input) {
        ModelInferRequest r;
        try {
            r = ModelInferRequest.parseFrom(input);
        } catch (InvalidProtocolBufferException notProtobuf) {
            return;
        }
        try {
            GrpcRequests.parse(r, SIGNATURE);
        } catch (UserInputException expected) {
            // INVALID_ARGUMENT naming the problem
        }
    }
}
