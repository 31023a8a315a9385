package dev.mtlj.serve.http;

import io.undertow.server.HttpServerExchange;
import java.util.Deque;

/** Path parameters of a routed exchange. */
final class Params {
    private Params() {}

    /** The value of {@code key} in the route's path, or null. */
    static String of(HttpServerExchange x, String key) {
        Deque<String> v = x.getQueryParameters().get(key);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }
}
