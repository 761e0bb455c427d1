package dev.gpuplan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --token} of every command that talks to the service. Without it: {@code $GPUPLAN_TOKEN}, else the file
 * {@code gpuplan login} writes ({@code $XDG_CONFIG_HOME/gpuplan/token}, else {@code ~/.config/gpuplan/token}).
 * Prefer the variable or the file: a token on the command line is visible to other users in the process list.
 */
final class TokenOption {

    static final String TOKEN_ENV = "GPUPLAN_TOKEN";

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token (default: $" + TOKEN_ENV + ", else the file written by 'gpuplan login').")
    String token;

    /** The token to send, or null when none is configured (the service then answers 401 where one is needed). */
    String resolve() {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        String env = System.getenv(TOKEN_ENV);
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path file = tokenFile();
        if (Files.isReadable(file)) {
            try {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                return stored.isEmpty() ? null : stored;
            } catch (IOException e) {
                throw new ServiceClient.ServiceException(ExitCodes.BAD_INPUT, "cannot read the token file " + file + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** Where {@code gpuplan login} keeps the token. */
    static Path tokenFile() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path configHome = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return configHome.resolve("gpuplan").resolve("token");
    }
}
