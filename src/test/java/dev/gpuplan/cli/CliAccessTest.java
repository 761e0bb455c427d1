package dev.gpuplan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.access.Roles;
import dev.gpuplan.access.TestTokens;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** gpuplan token, audit and login against the real service, and the exit codes for 401 and 403. */
@QuarkusTest
@TestProfile(CliAgainstServiceTest.OwnDatabase.class)
class CliAccessTest {

    @TestHTTPResource("/")
    URL service;

    @Test
    void anAdminMakesListsAndRevokesATokenAndTheRevokedTokenIsRefused() {
        String admin = TestTokens.create("cli-admin", Roles.ADMIN, List.of(), Duration.ofHours(1));

        Gpuplan.Result created = Gpuplan.run("token", "create", "--user", "cli-alice", "--team", "pretrain", "--role", "researcher",
                "--expires", "2h", "--server", service.toString(), "--token", admin);
        assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
        String token = created.out().strip();
        assertThat(token).matches("gpt_[A-Za-z0-9_-]{43}");
        assertThat(created.err()).contains("cli-alice").contains("researcher of pretrain").contains("shown this once");

        Gpuplan.Result plans = Gpuplan.run("plans", "--server", service.toString(), "--token", token);
        assertThat(plans.exitCode()).as(plans.err()).isEqualTo(ExitCodes.OK);

        Gpuplan.Result listed = Gpuplan.run("token", "list", "--json", "--server", service.toString(), "--token", admin);
        assertThat(listed.exitCode()).as(listed.err()).isEqualTo(ExitCodes.OK);
        JsonNode alice = null;
        for (JsonNode t : Json.read(listed.out(), JsonNode.class)) {
            if (t.path("user").asText().equals("cli-alice")) {
                alice = t;
            }
        }
        assertThat(alice).isNotNull();
        assertThat(alice.path("active").asBoolean()).isTrue();
        assertThat(listed.out()).doesNotContain(token).doesNotContain(token.substring(4));

        Gpuplan.Result revoked = Gpuplan.run("token", "revoke", alice.path("id").asText(), "--server", service.toString(), "--token", admin);
        assertThat(revoked.exitCode()).as(revoked.err()).isEqualTo(ExitCodes.OK);
        assertThat(revoked.out()).contains("is revoked");

        Gpuplan.Result refused = Gpuplan.run("plans", "--server", service.toString(), "--token", token);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.NOT_SIGNED_IN);
        assertThat(refused.err()).contains("not valid").contains("gpuplan login").doesNotContain(token);
    }

    @Test
    void aResearcherIsRefusedTokensAndTheAuditTrailWithItsOwnExitCode() {
        String researcher = TestTokens.create("cli-bob", Roles.RESEARCHER, List.of("vision"), Duration.ofHours(1));

        Gpuplan.Result tokens = Gpuplan.run("token", "list", "--server", service.toString(), "--token", researcher);
        assertThat(tokens.exitCode()).isEqualTo(ExitCodes.FORBIDDEN);
        assertThat(tokens.err()).contains("not allowed").contains("GET /api/tokens");

        Gpuplan.Result audit = Gpuplan.run("audit", "--server", service.toString(), "--token", researcher);
        assertThat(audit.exitCode()).isEqualTo(ExitCodes.FORBIDDEN);
    }

    @Test
    void aLeadReadsTheAuditTrail() {
        String admin = TestTokens.create("cli-auditor", Roles.ADMIN, List.of(), Duration.ofHours(1));
        Gpuplan.run("token", "create", "--user", "cli-carol", "--team", "speech", "--role", "lead", "--server", service.toString(),
                "--token", admin);

        Gpuplan.Result audit = Gpuplan.run("audit", "--entity", "token", "--actor", "cli-auditor", "--json", "--server", service.toString(),
                "--token", TestTokens.lead());
        assertThat(audit.exitCode()).as(audit.err()).isEqualTo(ExitCodes.OK);
        JsonNode entries = Json.read(audit.out(), JsonNode.class);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("action").asText()).isEqualTo("create");
        assertThat(entries.get(0).path("after").path("user").asText()).isEqualTo("cli-carol");

        Gpuplan.Result table = Gpuplan.run("audit", "--entity", "token", "--server", service.toString(), "--token", TestTokens.lead());
        assertThat(table.out()).contains("cli-auditor").contains("create");
    }

    @Test
    void loginRefusesATokenTheServiceDoesNotKnow() {
        Gpuplan.Result login = Gpuplan.run("login", "--server", service.toString(), "--token", "gpt_" + "D".repeat(43));
        assertThat(login.exitCode()).isEqualTo(ExitCodes.NOT_SIGNED_IN);
    }

    @Test
    void theStoredTokenFileIsReadableByItsOwnerOnly(@org.junit.jupiter.api.io.TempDir Path home) throws IOException {
        Path file = home.resolve("gpuplan/token");
        LoginCommand.store(file, "gpt_" + "E".repeat(43));
        LoginCommand.store(file, "gpt_" + "F".repeat(43)); // replacing keeps the permissions

        assertThat(Files.readString(file).strip()).isEqualTo("gpt_" + "F".repeat(43));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
