package dev.gpuplan.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.gpuplan.input.InvalidInputException;

/**
 * The service's view of {@code planning-configs/}: read at every solve so a lead's edit takes effect at once;
 * a file that breaks is refused (logged with its line and reason) and the last good version of it stays in force.
 */
@ApplicationScoped
public class ConfigCatalog {

    private static final Logger LOG = Logger.getLogger(ConfigCatalog.class);

    private final PlanningConfigs configs;
    private final Map<String, PlanningConfig> lastGood = new ConcurrentHashMap<>();

    public ConfigCatalog(@ConfigProperty(name = "gpuplan.config-dir") Optional<String> configDir) {
        this.configs = PlanningConfigs.locate(configDir.orElse(null));
        LOG.infof("Planning configs from %s: %s", configs.location(), configs.names());
    }

    public String location() {
        return configs.location();
    }

    public List<String> names() {
        return configs.names();
    }

    public Optional<String> text(String name) {
        return configs.text(name);
    }

    /** The config as it is on disk now, or its last good version if the file is now broken; unknown names are refused. */
    public PlanningConfig load(String name) {
        String configName = name == null ? PlanningConfigs.DEFAULT_NAME : name;
        if (configs.text(configName).isEmpty()) {
            throw InvalidInputException.of("request", "", "config", "names unknown config \"" + configName
                    + "\" (available: " + String.join(", ", configs.names()) + ")");
        }
        try {
            PlanningConfig config = configs.load(configName);
            lastGood.put(configName, config);
            return config;
        } catch (InvalidInputException broken) {
            PlanningConfig previous = lastGood.get(configName);
            if (previous == null) {
                throw broken;
            }
            LOG.warnf("Planning config %s is refused, the last good version stays in force:%n%s", configName, broken.getMessage());
            return previous;
        }
    }
}
