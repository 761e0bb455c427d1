package dev.gpuplan.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gpuplan token create|list|revoke}: personal API tokens, for admins. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Makes, lists and revokes API tokens on the service (admins only).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class}, footer = ExitCodes.HELP)
public final class TokenCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** --server, --token and --json, shared by the subcommands. */
    static final class ServiceOptions {
        @picocli.CommandLine.Mixin
        ServiceConnection service;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        ServiceClient client() {
            return service.client();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Makes a token and prints it. It is shown this once: the service keeps only a hash of it.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--user", required = true, paramLabel = "NAME", description = "Who the token is for (a person or an automation).")
        String user;

        @Option(names = "--team", paramLabel = "TEAM", description = "A team the holder acts for; repeat for several (researchers need one).")
        List<String> teams = new ArrayList<>();

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "researcher, lead or admin.")
        String role;

        @Option(names = "--expires", paramLabel = "WHEN", defaultValue = "90d",
                description = "Valid for 90d, 12h, 30m, or never (default: ${DEFAULT-VALUE}).")
        String expires;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the token is for, shown by 'token list'.")
        String description;

        @Mixin
        ServiceOptions service;

        @Override
        public Integer call() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("user", user);
            request.put("role", role);
            request.put("teams", teams);
            request.put("expires", expires);
            if (description != null) {
                request.put("description", description);
            }
            JsonNode issued = Json.read(service.client().post("/api/tokens", Json.write(request)), JsonNode.class);
            if (service.json) {
                System.out.println(Json.writePretty(issued));
                return ExitCodes.OK;
            }
            JsonNode info = issued.path("info");
            System.err.printf("Token %s for %s (%s%s), %s. It is shown this once; keep it somewhere safe:%n", info.path("id").asText(),
                    info.path("user").asText(), info.path("role").asText(), teamsText(info), expiryText(info));
            System.out.println(issued.path("token").asText());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = "Lists every token: holder, role, teams, expiry and whether it is active (never the token itself).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ServiceOptions service;

        @Override
        public Integer call() {
            JsonNode tokens = Json.read(service.client().get("/api/tokens"), JsonNode.class);
            if (service.json) {
                System.out.println(Json.writePretty(tokens));
                return ExitCodes.OK;
            }
            String row = "%-18s  %-20s  %-10s  %-24s  %-22s  %s%n";
            System.out.printf(row, "ID", "USER", "ROLE", "TEAMS", "EXPIRES", "STATE");
            for (JsonNode token : tokens) {
                String state = token.path("active").asBoolean() ? "active" : token.hasNonNull("revokedAt") ? "revoked" : "expired";
                System.out.printf(row, token.path("id").asText(), token.path("user").asText(), token.path("role").asText(),
                        String.join(",", texts(token.path("teams"))), token.hasNonNull("expiresAt") ? token.path("expiresAt").asText() : "never", state);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, footer = ExitCodes.HELP, description = "Revokes a token at once.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The token's id (from 'gpuplan token list').")
        String id;

        @Mixin
        ServiceOptions service;

        @Override
        public Integer call() {
            JsonNode token = Json.read(service.client().delete("/api/tokens/" + id), JsonNode.class);
            if (service.json) {
                System.out.println(Json.writePretty(token));
            } else {
                System.out.printf("Token %s of %s is revoked.%n", token.path("id").asText(), token.path("user").asText());
            }
            return ExitCodes.OK;
        }
    }

    private static String teamsText(JsonNode info) {
        List<String> teams = texts(info.path("teams"));
        return teams.isEmpty() ? "" : " of " + String.join(", ", teams);
    }

    private static String expiryText(JsonNode info) {
        return info.hasNonNull("expiresAt") ? "valid until " + info.path("expiresAt").asText() : "never expires";
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
