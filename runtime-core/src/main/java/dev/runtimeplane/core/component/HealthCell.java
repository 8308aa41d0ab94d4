package dev.runtimeplane.core.component;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a component's latest health snapshot. Background probes {@link #publish} into it and
 * readers take {@link #get} without locks or I/O.
 */
public final class HealthCell {

    private final AtomicReference<HealthSnapshot> latest;

    public HealthCell(HealthSnapshot initial) {
        this.latest = new AtomicReference<>(initial);
    }

    public HealthSnapshot get() {
        return latest.get();
    }

    public void publish(HealthSnapshot snapshot) {
        latest.set(snapshot);
    }
}
