package dev.gpuplan.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.gpuplan.access.Roles;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.service.NotFoundException;

/** The planning configs the service solves with. */
@Path("/api/configs")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class ConfigResource {

    public record Configs(String directory, List<String> names) {
    }

    /** A config as in force: its file text and the values parsed from it (or its last good version). */
    public record ConfigView(String name, String directory, String text, String algorithm, String timeLimit,
                             String unimprovedTimeLimit, Object weights, Object reservePercent, Object defaultTeamCaps,
                             Object deadlineMarginHours, Object confidence, String gatedSpend) {
    }

    private final ConfigCatalog configs;

    public ConfigResource(ConfigCatalog configs) {
        this.configs = configs;
    }

    @GET
    @APIResponse(responseCode = "200", description = "The configs' directory and names", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Configs")))
    public Configs list() {
        return new Configs(configs.location(), configs.names());
    }

    @GET
    @Path("{name}")
    @APIResponse(responseCode = "200", description = "The config", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ConfigView")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ConfigView get(@PathParam("name") String name) {
        String text = configs.text(name).orElseThrow(() -> new NotFoundException("config \"" + name + "\" does not exist in "
                + configs.location() + " (available: " + String.join(", ", configs.names()) + ")"));
        PlanningConfig config = configs.load(name);
        return new ConfigView(name, config.directory(), text, config.algorithm(), config.timeLimit().toString(),
                config.unimprovedTimeLimit() == null ? null : config.unimprovedTimeLimit().toString(), config.weights(),
                config.reservePercent(), config.defaultTeamCaps(), config.deadlineMarginHours(), config.confidence(),
                config.gatedSpend().id());
    }
}
