package dev.runtimeplane.core.component;

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
 * A failed start closes what was already started, in reverse.
 */
public final class ComponentGroup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ComponentGroup.class);

    private final List<Component> inStartOrder;
    private final List<Component> started = new ArrayList<>();

    public ComponentGroup(List<? extends Component> inStartOrder) {
        this.inStartOrder = List.copyOf(inStartOrder);
    }

    public synchronized void start() throws Exception {
        for (Component component : inStartOrder) {
            long begin = System.nanoTime();
            try {
                component.start();
            } catch (Exception | Error e) {
                LOG.error("component {} failed to start; closing the {} already started",
                        component.name(), started.size(), e);
                close();
                throw e;
            }
            started.add(component);
            LOG.info("component {} started in {} ms", component.name(), (System.nanoTime() - begin) / 1_000_000);
        }
    }

    /** Each component's cached snapshot, by name, in start order. */
    public Map<String, HealthSnapshot> health() {
        Map<String, HealthSnapshot> snapshots = new LinkedHashMap<>();
        for (Component component : inStartOrder) {
            snapshots.put(component.name(), component.health());
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
