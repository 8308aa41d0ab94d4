package dev.runtimeplane.service.lifecycle;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the process is in its shutdown: readiness reads {@link #draining()}, the intent API reads
 * {@link #refusingNewWork()}. Both only ever go from false to true.
 */
@Singleton
public class DrainState {

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean refusingNewWork = new AtomicBoolean();

    /** Readiness turns DOWN from now on; requests are still served normally. */
    public void beginDraining() {
        draining.set(true);
    }

    /** New intents are refused from now on (503 with Retry-After); accepted ones finish. */
    public void refuseNewWork() {
        refusingNewWork.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    public boolean refusingNewWork() {
        return refusingNewWork.get();
    }
}
