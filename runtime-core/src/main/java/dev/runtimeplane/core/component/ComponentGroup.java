package dev.runtimeplane.core.component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Components in dependency order: started first to last, drained and closed last to first.
 * A failed start closes what was already started, in reverse, and from then on the component that
 * failed reports DOWN and not live ("failed to start: ..."): the process is about to exit, and no probe
 * may call it healthy meanwhile (a corrupt WAL found while opening must not answer liveness 200).
 */
public final class ComponentGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentGroup.class);

    /** How often {@link #awaitStartStopped()} interrupts a start that has not given up yet. */
    private static final Duration REINTERRUPT = Duration.ofMillis(100);

    private final List<Component> inStartOrder;
    private final List<Component> started = new ArrayList<>();
    private volatile HealthSnapshot startFailure;
    private final Object startLock = new Object();
    private Thread startingThread; // guarded by startLock: the thread inside start(), if any
    private boolean startStopped; // guarded by startLock

    public ComponentGroup(List<? extends Component> inStartOrder) {
        this.inStartOrder = List.copyOf(inStartOrder);
    }

    /**
     * Starts the components in order. Throws {@link InterruptedException} without starting the next one once
     * {@link #stopStarting()} was called, and closes what had started, as for a failed start.
     */
    public synchronized void start() throws Exception {
        synchronized (startLock) {
            startingThread = Thread.currentThread();
        }
        try {
            startInOrder();
        } finally {
            synchronized (startLock) {
                startingThread = null;
                startLock.notifyAll();
            }
        }
    }

    private void startInOrder() throws Exception {
        for (Component component : inStartOrder) {
            long begin = System.nanoTime();
            try {
                if (startStopped()) {
                    throw new InterruptedException("the start was stopped before " + component.name() + " started");
                }
                component.start();
            } catch (Exception | Error e) {
                startFailure = new HealthSnapshot(component.name(), HealthStatus.DOWN, false,
                        "failed to start: " + e.getMessage(), Map.of(), Instant.now());
                LOG.error("component {} failed to start; closing the {} already started",
                        component.name(), started.size(), e);
                close();
                throw e;
            }
            started.add(component);
            LOG.info("component {} started in {} ms", component.name(), (System.nanoTime() - begin) / 1_000_000);
        }
    }

    /**
     * Stops a start in progress and any later one: the starting thread is interrupted (a component waiting
     * for Redis without end gives up) and no further component starts. Does not wait; see
     * {@link #awaitStartStopped()}.
     */
    public void stopStarting() {
        synchronized (startLock) {
            startStopped = true;
            if (startingThread != null) {
                startingThread.interrupt();
            }
        }
    }

    /**
     * Stops a start in progress and waits until it has given up, interrupting it again every
     * {@link #REINTERRUPT}: one interrupt is not enough, as a library on the start's path may swallow it
     * (a CI run saw the one interrupt consumed while a component connected, and the next component then
     * wait for Redis without end).
     */
    public void awaitStartStopped() throws InterruptedException {
        synchronized (startLock) {
            startStopped = true;
            while (startingThread != null) {
                startingThread.interrupt();
                startLock.wait(REINTERRUPT.toMillis());
            }
        }
    }

    private boolean startStopped() {
        synchronized (startLock) {
            return startStopped;
        }
    }

    /** Each component's cached snapshot, by name, in start order. */
    public Map<String, HealthSnapshot> health() {
        Map<String, HealthSnapshot> snapshots = new LinkedHashMap<>();
        HealthSnapshot failure = startFailure;
        for (Component component : inStartOrder) {
            boolean failed = failure != null && failure.component().equals(component.name());
            snapshots.put(component.name(), failed ? failure : component.health());
        }
        return snapshots;
    }

    /** Drains the started components in reverse start order, all against one deadline. */
    public synchronized Map<String, DrainReport> drain(Instant deadline) {
        Map<String, DrainReport> reports = new LinkedHashMap<>();
        for (Component component : reversed()) {
            reports.put(component.name(), component.drain(deadline));
        }
        return reports;
    }

    /** Closes the started components in reverse start order; one failing close does not stop the others. */
    @Override
    public synchronized void close() {
        for (Component component : reversed()) {
            try {
                component.close();
            } catch (RuntimeException e) {
                LOG.error("component {} failed to close", component.name(), e);
            }
        }
        started.clear();
    }

    private List<Component> reversed() {
        List<Component> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        return reversed;
    }
}
