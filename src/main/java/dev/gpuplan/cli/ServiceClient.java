package dev.gpuplan.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanSummary;
import dev.gpuplan.domain.PlanProgress;
import dev.gpuplan.input.Json;

/** The CLI's side of the REST API: JSON over the JDK's HTTP client, every failure turned into one readable line. */
final class ServiceClient {

    /** A failure the CLI reports in one line with its own exit code. */
    static final class ServiceException extends RuntimeException {
        final int exitCode;

        ServiceException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** Items per page when the CLI lists: the most the service allows by default. */
    private static final int PAGE = 1000;
    private static final String NO_DETAILS = "(no details)";

    private final URI server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the API token to send, or null to send none */
    ServiceClient(String server, String token) {
        this.token = token;
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        try {
            this.server = URI.create(base);
            if (this.server.getScheme() == null || this.server.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ExitCodes.BAD_INPUT, "--server must be a URL such as http://localhost:8080, got '" + server + "'");
        }
    }

    URI server() {
        return server;
    }

    URI url(String path) {
        return URI.create(server + path);
    }

    void putProposal(String key, String json) {
        send(HttpRequest.newBuilder(url("/api/proposals/" + key)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    boolean hasHorizon() {
        try {
            send(HttpRequest.newBuilder(url("/api/horizon")).GET());
            return true;
        } catch (ServiceException e) {
            if (e.exitCode == ExitCodes.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    void putHorizon(String json) {
        send(HttpRequest.newBuilder(url("/api/horizon")).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    boolean hasPools() {
        return !send(HttpRequest.newBuilder(url("/api/pools")).GET()).strip().equals("[]");
    }

    void putPools(String json) {
        send(HttpRequest.newBuilder(url("/api/pools")).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Starts a plan. One Idempotency-Key per submit: when the service cannot be reached or does not answer in time,
     * the POST is sent again (up to three times) with the same key, so a request that did arrive is not a second plan.
     */
    Plan createPlan(String json) {
        String key = java.util.UUID.randomUUID().toString();
        ServiceException unreachable = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return Json.read(send(HttpRequest.newBuilder(url("/api/plans")).header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(json))), Plan.class);
            } catch (ServiceException e) {
                if (e.exitCode != ExitCodes.UNREACHABLE) {
                    throw e;
                }
                unreachable = e;
            }
        }
        throw unreachable;
    }

    Plan plan(String id) {
        return Json.read(send(HttpRequest.newBuilder(url("/api/plans/" + id)).GET()), Plan.class);
    }

    /** Every plan, newest first: follows the pages of {@code GET /api/plans} (the next page's cursor is in X-Next-Cursor). */
    List<PlanSummary> plans() {
        List<PlanSummary> plans = new ArrayList<>();
        String cursor = null;
        do {
            String query = "/api/plans?limit=" + PAGE + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HttpResponse<String> page = exchange(HttpRequest.newBuilder(url(query)).GET());
            plans.addAll(List.of(Json.read(page.body(), PlanSummary[].class)));
            cursor = page.headers().firstValue("X-Next-Cursor").orElse(null);
        } while (cursor != null);
        return plans;
    }

    /** The portfolio a plan was solved from, as JSON. */
    String planPortfolio(String id) {
        return send(HttpRequest.newBuilder(url("/api/plans/" + id + "/portfolio")).GET());
    }

    String pools() {
        return send(HttpRequest.newBuilder(url("/api/pools")).GET());
    }

    Plan stop(String id) {
        return Json.read(send(HttpRequest.newBuilder(url("/api/plans/" + id)).DELETE()), Plan.class);
    }

    /** {@code POST /api/plans/{id}/commit}: the commit result as JSON. */
    String commit(String id) {
        return send(HttpRequest.newBuilder(url("/api/plans/" + id + "/commit")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET /api/runs?status=&team=}: the runs as JSON. */
    String runs(String status, String team) {
        StringBuilder query = new StringBuilder();
        if (status != null) {
            query.append("status=").append(java.net.URLEncoder.encode(status, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (team != null) {
            query.append(query.length() == 0 ? "" : "&").append("team=").append(java.net.URLEncoder.encode(team, java.nio.charset.StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(url("/api/runs" + (query.length() == 0 ? "" : "?" + query))).GET());
    }

    /** {@code POST /api/runs/{key}/events} with one event or an array: the result as JSON. */
    String postEvents(String key, String json) {
        return send(HttpRequest.newBuilder(url("/api/runs/" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                + "/events")).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code GET /api/budget}: the ledger as JSON. */
    String ledger(String config) {
        String query = config == null ? "" : "?config=" + java.net.URLEncoder.encode(config, java.nio.charset.StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(url("/api/budget" + query)).GET());
    }

    /** {@code PUT /api/budget}: the stored period as JSON. */
    String putBudget(String json) {
        return send(HttpRequest.newBuilder(url("/api/budget")).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    String get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(url(pathAndQuery)).GET());
    }

    String post(String path, String json) {
        return send(HttpRequest.newBuilder(url(path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    String delete(String path) {
        return send(HttpRequest.newBuilder(url(path)).DELETE());
    }

    /**
     * Follows the plan's server-sent events ({@code GET /api/plans/{id}/events}), handing each progress report to
     * {@code listener}, until the {@code done} event. Returns false when the service offers no event stream or the
     * stream breaks off before {@code done}: the caller then polls instead.
     */
    boolean follow(String id, Consumer<PlanProgress> listener) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url("/api/plans/" + id + "/events"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ExitCodes.INTERRUPTED, "interrupted");
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200
                    || !response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                return false;
            }
            String event = "message";
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        PlanProgress progress = Json.read(data.toString(), PlanProgress.class);
                        listener.accept(progress);
                        if (event.equals("done")) {
                            return true;
                        }
                    }
                    event = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring("event:".length()).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring("data:".length()).stripLeading());
                }
            }
            return false;
        } catch (UncheckedIOException | IllegalStateException e) {
            return false; // the stream broke off or held something unexpected: polling takes over
        }
    }

    private String send(HttpRequest.Builder request) {
        return exchange(request).body();
    }

    /** The response of a request that succeeded (2xx); any other answer becomes a {@link ServiceException}. */
    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            response = http.send(request.header("Content-Type", "application/json").header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ServiceException(ExitCodes.UNREACHABLE, "cannot reach the gpuplan service at " + server
                    + " (connection refused): start it with 'gpuplan serve' or pass --server / set " + SubmitCommand.SERVER_ENV);
        } catch (HttpTimeoutException e) {
            throw new ServiceException(ExitCodes.UNREACHABLE, "the gpuplan service at " + server + " did not answer in time");
        } catch (IOException e) {
            throw new ServiceException(ExitCodes.UNREACHABLE, "cannot reach the gpuplan service at " + server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ExitCodes.INTERRUPTED, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String detail = problemDetail(response);
        String where = request.build().method() + " " + request.build().uri().getPath();
        if (status == 400) {
            throw new ServiceException(ExitCodes.BAD_INPUT, "the service refused the input (" + where + "): " + detail);
        }
        if (status == 401) {
            throw new ServiceException(ExitCodes.NOT_SIGNED_IN, "the service at " + server + " refused " + where + ": "
                    + (token == null ? "no token was given" : "the token is not valid (unknown, expired or revoked)")
                    + ". Pass --token, set " + TokenOption.TOKEN_ENV + ", or store one with 'gpuplan login'");
        }
        if (status == 403) {
            throw new ServiceException(ExitCodes.FORBIDDEN, "not allowed (" + where + "): "
                    + (detail.equals(NO_DETAILS) ? "the token's role does not allow this" : detail));
        }
        if (status == 404) {
            throw new ServiceException(ExitCodes.NOT_FOUND, "not found (" + where + "): " + detail);
        }
        if (status == 409) {
            throw new ServiceException(ExitCodes.SERVICE_ERROR, "refused (" + where + "): " + detail);
        }
        throw new ServiceException(ExitCodes.SERVICE_ERROR, "the service answered " + status + " to " + where + ": " + detail);
    }

    private static String problemDetail(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/problem+json") || type.startsWith("application/json")) {
            try {
                JsonNode problem = Json.mapper().readTree(response.body());
                JsonNode errors = problem.path("errors");
                if (errors.isArray() && errors.size() > 1) {
                    StringBuilder all = new StringBuilder();
                    errors.forEach(e -> all.append(all.length() == 0 ? "" : "; ").append(e.path("message").asText()));
                    return all.toString();
                }
                if (problem.hasNonNull("detail")) {
                    return problem.get("detail").asText();
                }
            } catch (IOException e) {
                // not a problem document after all: fall back to the body
            }
        }
        String body = response.body() == null ? "" : response.body().strip();
        return body.isEmpty() ? NO_DETAILS : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
