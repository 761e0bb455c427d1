package dev.gpuplan.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A personal API token presented as a bearer token, for {@link ApiTokenIdentityProvider} to check. */
public final class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenRequest[token hidden]";
    }
}
