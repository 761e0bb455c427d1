package dev.gpuplan.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.FrontierEntity;
import dev.gpuplan.persistence.PlanEntity;

/**
 * The portfolios that plans and frontiers were solved from, as stored when they were submitted. The page needs
 * them to draw a plan (pools and their maintenance windows, the horizon, each run's team and pin).
 */
@ApplicationScoped
public class Snapshots {

    @Transactional
    public Portfolio ofPlan(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(PlanEntity::snapshotPortfolio)
                .orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
    }

    @Transactional
    public Portfolio ofFrontier(String id) {
        return FrontierEntity.<FrontierEntity>findByIdOptional(id).map(frontier -> Json.read(frontier.snapshot, Portfolio.class))
                .orElseThrow(() -> new NotFoundException("frontier \"" + id + "\" does not exist"));
    }
}
