package dev.runtimeplane.service.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into the shutdown sequence. The JVM's own handling would run the shutdown
 * hooks at once and exit with 143; here the first signal starts the drain (readiness DOWN first, so a
 * load balancer stops routing before anything is refused) and the process exits 0 when it is done. A
 * second signal during the drain skips the remaining waits; the WAL is still flushed.
 *
 * <p>{@link #install()} runs first thing in {@code main}, before the application context exists and so
 * before any port listens: a signal sent as soon as a port answers (a {@code docker stop} right after
 * start, the image build's training run) is always ours. A signal that arrives while the context still
 * starts is held, and its drain begins once {@link #drainWith} hands over the sequence.
 */
public final class SignalHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(SignalHandlers.class);

    private final AtomicReference<ShutdownSequence> sequence = new AtomicReference<>();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicBoolean drainStarted = new AtomicBoolean();

    private SignalHandlers() {
    }

    /** Handles SIGTERM and SIGINT from now on. */
    public static SignalHandlers install() {
        SignalHandlers handlers = new SignalHandlers();
        Signal.handle(new Signal("TERM"), handlers::onSignal);
        Signal.handle(new Signal("INT"), handlers::onSignal);
        return handlers;
    }

    /** The sequence a signal runs; starts it at once when a signal came while the context was starting. */
    public void drainWith(ShutdownSequence shutdownSequence) {
        sequence.set(shutdownSequence);
        int pending = received.get();
        if (pending > 0) {
            LOG.info("a signal arrived while the service was starting: draining now");
            if (pending > 1) {
                shutdownSequence.hurry();
            }
            startDrain(shutdownSequence);
        }
    }

    private void onSignal(Signal signal) {
        int count = received.incrementAndGet();
        ShutdownSequence current = sequence.get();
        if (current == null) {
            LOG.info("SIG{} received while the service starts: the drain begins once it has started", signal.getName());
            return;
        }
        if (count == 1) {
            LOG.info("SIG{} received: starting the drain", signal.getName());
        } else {
            LOG.warn("SIG{} received during the drain: skipping the remaining waits", signal.getName());
            current.hurry();
        }
        startDrain(current);
    }

    /** Runs the sequence on its own thread, once however many signals race here, then exits 0. */
    private void startDrain(ShutdownSequence current) {
        if (drainStarted.compareAndSet(false, true)) {
            Thread.ofPlatform().name("shutdown-sequence").start(() -> {
                current.run();
                System.exit(0);
            });
        }
    }
}
