package dev.gpuplan.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.config.Limits;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.FrontierRequest;

/** Holds every request to {@link Limits} before any work starts; each refusal names the limit's key. */
@ApplicationScoped
public class WorkLimits {

    private final Limits limits;

    public WorkLimits(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /** What one solve would hold in memory: its proposals, its pools, and slots x pools of capacity. */
    public void checkPortfolio(Portfolio portfolio) {
        checkProposalCount(portfolio.proposals().size());
        int pools = portfolio.pools().size();
        if (pools > limits.pools()) {
            throw LimitExceededException.tooLarge("pools", "pools", "the portfolio has " + pools + " pools; at most "
                    + limits.pools() + " are allowed");
        }
        long slotPools = (long) portfolio.horizon().slotCount() * Math.max(1, pools);
        if (slotPools > limits.slotPools()) {
            throw LimitExceededException.tooMuchWork("slot-pools", "horizon", "the horizon has " + portfolio.horizon().slotCount()
                    + " slots on " + pools + " pools (" + slotPools + " slot-pools); at most " + limits.slotPools()
                    + " are allowed: use longer slots, a shorter horizon or fewer pools");
        }
    }

    /** The number of proposals one solve would take, checked before they are loaded. */
    public void checkProposalCount(long proposals) {
        if (proposals > limits.proposalsPerPortfolio()) {
            throw LimitExceededException.tooLarge("proposals-per-portfolio", "proposals", "a plan would solve " + proposals
                    + " proposals; at most " + limits.proposalsPerPortfolio() + " are allowed in one plan or frontier"
                    + " (name a subset with proposals: [keys])");
        }
    }

    public void checkPlanSeconds(Integer timeLimitSeconds, PlanningConfig config) {
        long seconds = timeLimitSeconds != null ? timeLimitSeconds : config.timeLimit().toSeconds();
        if (seconds > limits.planSeconds()) {
            throw LimitExceededException.tooMuchWork("plan-seconds", "timeLimitSeconds", "a plan may solve for at most "
                    + limits.planSeconds() + " seconds, asked for " + seconds);
        }
    }

    public void checkQueuedPlans(long queued) {
        if (queued >= limits.queuedPlans()) {
            throw LimitExceededException.busy("queued-plans", queued + " plans are already waiting to be solved; at most "
                    + limits.queuedPlans() + " may wait at once: try again later", 30);
        }
    }

    /** Points, seconds per point and their product; {@code perPoint} is what the frontier will use per point. */
    public void checkFrontier(FrontierRequest request, Duration perPoint) {
        int points = request.budgets().size();
        if (points > limits.frontierPoints()) {
            throw LimitExceededException.tooMuchWork("frontier-points", "budgets", "a frontier may have at most "
                    + limits.frontierPoints() + " budgets, got " + points);
        }
        long seconds = Math.max(1, perPoint.toSeconds());
        if (seconds > limits.frontierPointSeconds()) {
            throw LimitExceededException.tooMuchWork("frontier-point-seconds", "timeLimitSeconds", "a frontier point may solve for at most "
                    + limits.frontierPointSeconds() + " seconds, asked for " + seconds);
        }
        if (seconds * points > limits.frontierSeconds()) {
            throw LimitExceededException.tooMuchWork("frontier-seconds", "budgets", "a frontier may solve for at most "
                    + limits.frontierSeconds() + " seconds in all; " + points + " points x " + seconds + " s is " + seconds * points);
        }
    }

    /** {@code resolveLimitSeconds} of an explain, as text from the query: 400 when it is no whole number >= 1, 422 above the limit. */
    public Duration explainResolveLimit(String text) {
        int seconds;
        try {
            seconds = text == null ? 2 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw dev.gpuplan.input.InvalidInputException.of("query", "", "resolveLimitSeconds", "must be a whole number of seconds, got \""
                    + dev.gpuplan.input.FieldLimits.quote(text, 40) + "\"");
        }
        if (seconds < 1) {
            throw dev.gpuplan.input.InvalidInputException.of("query", "", "resolveLimitSeconds", "must be between 1 and "
                    + limits.explainResolveSeconds() + ", got " + seconds);
        }
        if (seconds > limits.explainResolveSeconds()) {
            throw LimitExceededException.tooMuchWork("explain-resolve-seconds", "resolveLimitSeconds", "an explain re-solve may take at most "
                    + limits.explainResolveSeconds() + " seconds, asked for " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    /** Page size of a list: the default when absent, 400 when no whole number >= 1, 422 above the maximum. */
    public int pageSize(String text) {
        if (text == null || text.isBlank()) {
            return limits.pageSize();
        }
        int size;
        try {
            size = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw dev.gpuplan.input.InvalidInputException.of("query", "", "limit", "must be a whole number, got \""
                    + dev.gpuplan.input.FieldLimits.quote(text, 40) + "\"");
        }
        if (size < 1) {
            throw dev.gpuplan.input.InvalidInputException.of("query", "", "limit", "must be at least 1, got " + size);
        }
        if (size > limits.maxPageSize()) {
            throw LimitExceededException.tooMuchWork("max-page-size", "limit", "a page may hold at most " + limits.maxPageSize()
                    + " items, asked for " + size);
        }
        return size;
    }
}
