package dev.gpuplan.rest;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * Installs {@link OpenApiContract} before every {@code @QuarkusTest} method (registered in
 * {@code META-INF/services}), so every REST test, present and future, checks the responses it gets against the
 * OpenAPI document.
 */
public class ContractCallback implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        OpenApiContract.install();
    }
}
