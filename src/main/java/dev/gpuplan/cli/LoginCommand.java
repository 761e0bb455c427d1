package dev.gpuplan.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gpuplan login}: checks a token with the service and stores it for the other commands, readable by its owner only. */
@Command(name = "login", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Checks an API token with the service and stores it in $XDG_CONFIG_HOME/gpuplan/token (else "
                + "~/.config/gpuplan/token), readable by you only. The token is read from --token, else from the terminal "
                + "(not echoed) or standard input.")
public final class LoginCommand implements Callable<Integer> {

    @Option(names = "--server", paramLabel = "URL", description = "The service (default: $GPUPLAN_SERVER, else http://localhost:8080).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The token (default: asked for; prefer that, a token on the "
            + "command line is visible in the process list).")
    String token;

    @Override
    public Integer call() throws IOException {
        String given = token != null ? token.strip() : readToken();
        if (given == null || given.isEmpty()) {
            throw new ServiceClient.ServiceException(ExitCodes.BAD_INPUT, "no token given: pass --token or type it when asked");
        }
        JsonNode me = Json.read(new ServiceClient(SubmitCommand.serverOrDefault(server), given).get("/api/me"), JsonNode.class);
        Path file = TokenOption.tokenFile();
        store(file, given);
        System.err.printf("Signed in as %s (%s%s); the token is stored in %s.%n", me.path("user").asText(),
                me.path("roles").isEmpty() ? "no role" : me.path("roles").get(0).asText(),
                me.path("teams").isEmpty() ? "" : " of " + String.join(", ", TokenCommand.texts(me.path("teams"))), file);
        return ExitCodes.OK;
    }

    private static String readToken() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("API token: ");
            return typed == null ? null : new String(typed).strip();
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.strip();
    }

    /** Written to a new owner-only file first, then moved over the old one: the token is never readable by others. */
    static void store(Path file, String token) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), "token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
