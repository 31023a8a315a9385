package dev.mtlj.serve.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mtlj.UserInputException;
import dev.mtlj.model.ModelSignature;
import dev.mtlj.task.TaskKind;
import dev.mtlj.task.TaskSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Fuzzes the HTTP request decoders (JSON infer bodies and the binary tensor extension's tail): any body is a request or
 * a 400 ({@link UserInputException} or malformed JSON) — never another exception, which would be a 500. Seeds under
 * {@code RequestFuzzTestInputs/}: the probe's hostile requests (duplicate keys, both data forms, INT8 out of range,
 * claimed lengths past the body).
 */
class RequestFuzzTest {
    private static final ModelSignature SIGNATURE = ModelSignature.of(
            new long[] {4},
            List.of(TaskSpec.of("y", TaskKind.REGRESSION, 2), TaskSpec.of("c", TaskKind.CLASSIFICATION, 3)));

    /** The last byte says how many bytes before it are the binary tail (0..64); the rest is the JSON header. */
    @FuzzTest(maxDuration = "30s")
    void anyBodyIsARequestOrA400(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int binary = Math.min((input[input.length - 1] & 0xff) % 65, input.length - 1);
        int header = input.length - 1 - binary;
        try {
            JsonRequest.parse(
                    Json.read(java.util.Arrays.copyOf(input, header)),
                    ByteBuffer.wrap(input, header, binary).slice(),
                    SIGNATURE);
        } catch (UserInputException | JsonProcessingException expected) {
            // a 400 naming the problem
        }
    }
}
