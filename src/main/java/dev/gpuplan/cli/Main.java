package dev.gpuplan.cli;

import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The one entry point of the jar. Commands that work on files ({@code solve}) run without starting the
 * service; {@code serve} starts Quarkus.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        System.exit(GpuplanCommand.commandLine().execute(args));
    }
}
