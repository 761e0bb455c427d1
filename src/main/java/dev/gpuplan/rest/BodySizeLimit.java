package dev.gpuplan.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.gpuplan.config.Limits;
import dev.gpuplan.service.LimitExceededException;

/**
 * {@code gpuplan.limits.body-size}: a body that says it is bigger is refused before it is read; one sent without a
 * length (chunked) is counted as it is read and refused once it passes the limit. Either way the answer is a 413
 * problem+json naming the limit. ({@code quarkus.http.limits.max-body-size}, set above it, is only the HTTP layer's
 * backstop.)
 */
@Provider
public class BodySizeLimit implements ReaderInterceptor {

    /** Looked up at the first request: providers are built before the configuration mappings are ready. */
    @Inject
    Instance<Limits> limits;
    private volatile long maxBytes;

    private long maxBytes() {
        if (maxBytes == 0) {
            maxBytes = limits.get().bodySize().asLongValue();
        }
        return maxBytes;
    }

    @ServerRequestFilter
    public void declaredLength(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBytes()) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                // the HTTP layer refuses a malformed length itself
            }
        }
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        context.setInputStream(new Counting(context.getInputStream()));
        return context.proceed();
    }

    private LimitExceededException tooLarge() {
        return LimitExceededException.tooLarge("body-size", null, "the request body is larger than " + maxBytes() + " bytes");
    }

    private final class Counting extends FilterInputStream {
        private long read;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) {
            read += n;
            if (read > maxBytes()) {
                throw tooLarge();
            }
        }
    }
}
