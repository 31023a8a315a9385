package dev.mtlj.serve.grpc;

import dev.mtlj.serve.ServerSecurity;
import dev.mtlj.serve.UnauthenticatedException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;

/**
 * The bearer token on gRPC: the {@code authorization} metadata entry, checked before a call's message is read. The
 * repository RPCs need it whenever a token is set, every other RPC but the health ones when it guards inference too;
 * a missing or wrong token ends the call with {@code UNAUTHENTICATED}.
 */
final class TokenCheck implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> HEALTH = Set.of("ServerLive", "ServerReady", "ModelReady");
    private final ServerSecurity security;

    TokenCheck(ServerSecurity security) {
        this.security = security;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        boolean control = method != null && method.startsWith("Repository");
        if (method != null && !HEALTH.contains(method) && (control || security.tokenForInference())) {
            try {
                security.authenticate(headers.get(AUTHORIZATION), control ? "the model repository" : method);
            } catch (UnauthenticatedException e) {
                call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        return next.startCall(call, headers);
    }
}
