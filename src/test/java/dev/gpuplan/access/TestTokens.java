package dev.gpuplan.access;

import java.time.Duration;
import java.util.List;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * How tests sign in: with real tokens, made through {@link ApiTokens} in the running service (so they are stored,
 * hashed and checked like any other). Before every {@code @QuarkusTest} method, REST Assured gets a filter that sends
 * a lead's token with every request that carries no {@code Authorization} header of its own; a test that wants to
 * send no credentials at all uses {@code given().noFiltersOfType(TestTokens.DefaultToken.class)}.
 */
public final class TestTokens implements QuarkusTestBeforeEachCallback {

    public static final String DEFAULT_USER = "test-lead";

    private static ArcContainer tokensMadeIn;
    private static String lead;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof DefaultToken)) {
            RestAssured.filters(new DefaultToken());
        }
    }

    /** A lead's token in the service now running (a restarted service with a fresh database gets a new one). */
    public static synchronized String lead() {
        ArcContainer container = Arc.container();
        if (container != tokensMadeIn) {
            lead = create(DEFAULT_USER, Roles.LEAD, List.of(), Duration.ofDays(1));
            tokensMadeIn = container;
        }
        return lead;
    }

    /** A new token in the running service. */
    public static String create(String user, String role, List<String> teams, Duration validFor) {
        return Arc.container().instance(ApiTokens.class).get().create(user, role, teams, validFor, "made by a test").token();
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Adds the default lead's token to requests that have no Authorization header. */
    public static final class DefaultToken implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", bearer(lead()));
            }
            return context.next(request, response);
        }
    }
}
