package dev.gpuplan.domain;

import java.util.List;

/** A group of identical GPUs; its capacity is 0 inside each unavailable window. */
public record Pool(String name, String gpuType, int gpus, List<TimeWindow> unavailable) {

    public Pool {
        unavailable = unavailable == null ? List.of() : List.copyOf(unavailable);
    }
}
