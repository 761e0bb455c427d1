package dev.gpuplan.rest;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gpuplan.input.Json;
import io.quarkus.jackson.ObjectMapperCustomizer;

/** REST writes JSON exactly as the CLI and the stored documents do. */
@Singleton
public class JsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
