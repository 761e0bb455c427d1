package dev.gpuplan.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --server} and {@code --token} of the commands that talk to the service, and the client they make. */
final class ServiceConnection {

    @Option(names = "--server", paramLabel = "URL", description = "The service (default: $GPUPLAN_SERVER, else http://localhost:8080).")
    String server;

    @Mixin
    TokenOption token;

    ServiceClient client() {
        return new ServiceClient(SubmitCommand.serverOrDefault(server), token.resolve());
    }
}
