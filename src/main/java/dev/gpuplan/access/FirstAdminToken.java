package dev.gpuplan.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * On the first start (no token stored at all) makes an admin token and writes it to {@code <data dir>/admin-token},
 * readable and writable by the service's user only. The log says where the file is, never what is in it.
 */
@ApplicationScoped
public class FirstAdminToken {

    private static final Logger LOG = Logger.getLogger(FirstAdminToken.class);
    public static final String FILE_NAME = "admin-token";

    private final ApiTokens tokens;
    private final Path dataDir;

    public FirstAdminToken(ApiTokens tokens, @ConfigProperty(name = "gpuplan.data-dir") Path dataDir) {
        this.tokens = tokens;
        this.dataDir = dataDir;
    }

    void onStart(@Observes StartupEvent event) {
        ApiTokens.Issued issued;
        try {
            issued = tokens.createFirstAdminToken(this::write);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            // Two replicas starting on one empty database: the other one committed the same first token first.
            LOG.infof("The first admin token was made by another replica (%s); its file is in that replica's data directory",
                    e.getClass().getSimpleName());
            return;
        }
        if (issued == null) {
            return;
        }
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        LOG.infof("No API token existed, so an admin token was made (id %s). It is in %s (readable by this user only); "
                + "use it to make tokens for people: gpuplan token create --help", issued.info().id(), file);
    }

    private void write(String token) {
        try {
            Files.createDirectories(dataDir);
            Path temporary = Files.createTempFile(dataDir, FILE_NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, token + "\n", StandardCharsets.UTF_8);
            Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first admin token to " + dataDir.resolve(FILE_NAME).toAbsolutePath()
                    + "; set gpuplan.data-dir (GPUPLAN_DATA_DIR) to a writable directory", e);
        }
    }
}
