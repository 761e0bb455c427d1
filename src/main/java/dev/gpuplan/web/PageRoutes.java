package dev.gpuplan.web;

import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * The page is one HTML document that draws every view in the browser. Its deep links ({@code /plans/{id}},
 * {@code /plans/{a}/diff/{b}}, {@code /frontiers/{id}}, {@code /runs}, ...) are served that same document, so a link opened
 * in a new tab, a reload and the back button all land on the view the address names.
 */
public class PageRoutes {

    /** Paths of the page's own views; everything else (/api, /q, /static, /signin/oidc) is left to its owner. */
    static final String VIEW_PATHS = "^/(plans|frontiers|diff|runs)(/.*)?$|^/signin/?$";

    void install(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, VIEW_PATHS).order(-1).handler(context -> context.reroute("/"));
    }
}
