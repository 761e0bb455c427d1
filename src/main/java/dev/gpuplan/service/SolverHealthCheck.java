package dev.gpuplan.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the solver threads accept plans. (Readiness includes the database check of the datasource.) */
@Liveness
@ApplicationScoped
public class SolverHealthCheck implements HealthCheck {

    private final PlanRunner runner;

    public SolverHealthCheck(PlanRunner runner) {
        this.runner = runner;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("solver").status(runner.isAcceptingWork()).build();
    }
}
