package dev.runtimeplane.service;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the components once the HTTP servers listen, on a thread of its own: recovery can take a
 * while, and meanwhile liveness answers 200 and readiness 503 with what it waits for. A component
 * that cannot start at all (a corrupt WAL, an unwritable directory) stops the process with a clear
 * message: serving without a durable log would acknowledge writes it cannot keep.
 */
@Singleton
public class RuntimeStarter {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeStarter.class);

    private final RuntimeComponents components;

    public RuntimeStarter(RuntimeComponents components) {
        this.components = components;
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        Thread.ofPlatform().name("runtime-start").start(this::startComponents);
    }

    private void startComponents() {
        long begin = System.nanoTime();
        try {
            if (components.start()) {
                LOG.info("runtime components started in {} ms", (System.nanoTime() - begin) / 1_000_000);
            }
        } catch (Exception | Error e) {
            LOG.error("the runtime cannot start: {}. Stopping.", e.getMessage(), e);
            System.exit(1);
        }
    }
}
