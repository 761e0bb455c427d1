package dev.gpuplan.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Peak heap while something runs, measured two ways:
 * <ul>
 *   <li>{@link #peakUsedBytes()}: the JVM's heap in use ({@code MemoryMXBean} heap usage), sampled every
 *       {@value #SAMPLE_MILLIS} ms by a daemon thread. It includes garbage not yet collected, so it depends on
 *       the heap size and the collector: what the process really holds at its worst.</li>
 *   <li>{@link #peakAfterGcBytes()}: the largest heap in use right after a garbage collection (from the GC
 *       MXBeans' notifications): closer to the live data the work needs. Zero when no GC ran.</li>
 * </ul>
 * Both are absolute (they include what the JVM held before the work started); {@link #start()} runs a
 * {@code System.gc()} first so that baseline is small.
 */
public final class HeapSampler implements AutoCloseable {

    static final int SAMPLE_MILLIS = 10;

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener afterGc = this::onGc;
    private volatile boolean running;
    private volatile long peakUsed;
    private volatile long peakAfterGc;
    private Thread sampler;

    public static HeapSampler start() {
        System.gc();
        HeapSampler sampler = new HeapSampler();
        sampler.begin();
        return sampler;
    }

    private void begin() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(afterGc, null, null);
                emitters.add(emitter);
            }
        }
        running = true;
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sample();
        sampler.start();
    }

    private void sample() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (used > peakUsed) {
            peakUsed = used;
        }
    }

    private void onGc(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        synchronized (this) {
            peakAfterGc = Math.max(peakAfterGc, used);
        }
    }

    public long peakUsedBytes() {
        return peakUsed;
    }

    public long peakAfterGcBytes() {
        return peakAfterGc;
    }

    @Override
    public void close() {
        running = false;
        sample();
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(afterGc);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
    }
}
