package dev.mtlj.serve.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mtlj.UserInputException;
import java.io.IOException;

/** Strict JSON reading: one value per body, each key once; anything after it is an error, not ignored. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {}

    static JsonNode read(byte[] body) throws IOException {
        return read(body, 0, body.length);
    }

    static JsonNode read(byte[] body, int offset, int length) throws IOException {
        if (length == 0) {
            throw new UserInputException("the request body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(body, offset, length);
        } catch (java.io.CharConversionException e) { // Jackson guessed UTF-16/32 from the first bytes and failed
            throw new UserInputException("the request body is not JSON text in UTF-8: " + e.getMessage());
        }
    }
}
