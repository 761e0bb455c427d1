package dev.gpuplan.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the gpuplan service (HTTP on port 8080 unless QUARKUS_HTTP_PORT says otherwise) until stopped.")
public final class ServeCommand implements Runnable {

    @Override
    public void run() {
        Quarkus.run();
    }
}
