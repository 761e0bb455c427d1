package dev.gpuplan.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The one place that states how much work one request may ask of the service ({@code gpuplan.limits.*} in
 * application.properties; the README's "Limits" table says what each protects). A request beyond a limit is
 * refused before any work starts, with a problem+json naming the limit's key: 413 for a request that is too big,
 * 422 for one that asks for too much work, 503 with Retry-After while the service is busy. How long a text or how
 * large a number may be is not configurable: it follows the schema ({@code dev.gpuplan.input.FieldLimits}).
 */
@ConfigMapping(prefix = "gpuplan.limits")
public interface Limits {

    /** Request bodies larger than this are refused with 413 before they are parsed. */
    @WithDefault("16M")
    MemorySize bodySize();

    /** Proposals one plan or frontier may solve (a portfolio, or the stored proposals it names). */
    @WithDefault("20000")
    int proposalsPerPortfolio();

    /** Proposals the catalog may hold ({@code POST/PUT /api/proposals}). */
    @WithDefault("100000")
    int proposalsPerCatalog();

    /** Proposals in one {@code POST /api/proposals} batch. */
    @WithDefault("10000")
    int proposalsPerBatch();

    /** Horizon slots x pools of one solve: the size of the capacity table the solver keeps. */
    @WithDefault("1000000")
    long slotPools();

    /** Pools of a portfolio or the stored cluster. */
    @WithDefault("1000")
    int pools();

    /** Longest time limit of one plan ({@code timeLimitSeconds}). */
    @WithDefault("3600")
    int planSeconds();

    /** Plans waiting QUEUED across the service; beyond it {@code POST /api/plans} answers 503 with Retry-After. */
    @WithDefault("50")
    int queuedPlans();

    /** Budgets (points) of one frontier. */
    @WithDefault("50")
    int frontierPoints();

    /** Longest time limit of one frontier point ({@code timeLimitSeconds}). */
    @WithDefault("300")
    int frontierPointSeconds();

    /** Points x seconds per point of one frontier: its total solving time. */
    @WithDefault("3600")
    int frontierSeconds();

    /** Longest time of one explain re-solve ({@code resolveLimitSeconds}); an explain re-solves at most 18 times per threshold. */
    @WithDefault("10")
    int explainResolveSeconds();

    /** Explains running at once (each uses up to three threads); beyond it explain answers 503 with Retry-After. */
    @WithDefault("2")
    int concurrentExplains();

    /** Default page size of {@code GET /api/plans} and {@code GET /api/proposals}. */
    @WithDefault("100")
    int pageSize();

    /** Largest {@code limit} a list request may ask for. */
    @WithDefault("1000")
    int maxPageSize();
}
