package dev.runtimeplane.service.lifecycle;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into the shutdown sequence. The JVM's own handling would run the shutdown
 * hooks at once and exit with 143; here the first signal starts the drain (readiness DOWN first, so a
 * load balancer stops routing before anything is refused) and the process exits 0 when it is done. A
 * second signal during the drain skips the remaining waits; the WAL is still flushed.
 */
@Singleton
public class SignalHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(SignalHandlers.class);

    private final ShutdownSequence sequence;
    private final AtomicBoolean started = new AtomicBoolean();

    public SignalHandlers(ShutdownSequence sequence) {
        this.sequence = sequence;
    }

    public void install() {
        Signal.handle(new Signal("TERM"), this::onSignal);
        Signal.handle(new Signal("INT"), this::onSignal);
    }

    private void onSignal(Signal signal) {
        if (started.compareAndSet(false, true)) {
            LOG.info("SIG{} received: starting the drain", signal.getName());
            Thread.ofPlatform().name("shutdown-sequence").start(() -> {
                sequence.run();
                System.exit(0);
            });
        } else {
            LOG.warn("SIG{} received during the drain: skipping the remaining waits", signal.getName());
            sequence.hurry();
        }
    }
}
