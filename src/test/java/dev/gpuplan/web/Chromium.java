package dev.gpuplan.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless at 1280x800, driven through Debian's chromedriver (no browser is downloaded), with a
 * profile of its own that is removed afterwards. Without both binaries the calling test class is skipped, saying why.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of(System.getProperty("gpuplan.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("gpuplan.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Chromium start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "Browser tests skipped: no Chromium at " + BINARY + " with its driver at " + DRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
        Path profile = Files.createTempDirectory("gpuplan-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
