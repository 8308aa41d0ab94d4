package dev.runtimeplane.service;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
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
    /** The application is closing: a start that fails now failed because its parts are being closed. */
    private volatile boolean closing;

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
            if (closing) {
                LOG.info("the components' start ended with the application closing ({})", e.toString());
                return;
            }
            LOG.error("the runtime cannot start: {}. Stopping.", e.getMessage(), e);
            System.exit(1);
        }
    }

    /**
     * Runs before the components' own beans are closed (this bean depends on them, so it is destroyed
     * first): a start still running is stopped, and its failure is not taken for a broken replica.
     */
    @PreDestroy
    void close() {
        closing = true;
        components.stopStarting();
    }
}
