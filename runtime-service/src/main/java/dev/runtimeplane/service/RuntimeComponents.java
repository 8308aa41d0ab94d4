package dev.runtimeplane.service;

import dev.runtimeplane.core.component.Component;
import dev.runtimeplane.core.component.ComponentGroup;
import dev.runtimeplane.core.component.DrainReport;
import dev.runtimeplane.core.component.HealthSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runtime's components in start order. Health reads their cached snapshots; the shutdown
 * sequence drains and closes them in reverse order.
 */
public class RuntimeComponents implements AutoCloseable {

    private final ComponentGroup group;

    public RuntimeComponents(List<? extends Component> inStartOrder) {
        this.group = new ComponentGroup(inStartOrder);
    }

    public void start() throws Exception {
        group.start();
    }

    public Map<String, HealthSnapshot> health() {
        return group.health();
    }

    public Map<String, DrainReport> drain(Instant deadline) {
        return group.drain(deadline);
    }

    @Override
    public void close() {
        group.close();
    }
}
