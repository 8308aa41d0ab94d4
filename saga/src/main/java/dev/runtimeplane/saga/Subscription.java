package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.UnavailableException;
import dev.runtimeplane.core.port.ExecutionKey;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one execution's history to a listener from a given index on, in order and each event once,
 * reading from the state store: woken at once when this replica stores new events of the execution, and
 * polling at the configured interval for an execution another replica drives. Ends after a FINISHED that is
 * the last stored entry.
 */
final class Subscription implements AutoCloseable, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final SagaRuntime runtime;
    private final SubscriptionHub hub;
    private final ExecutionKey key;
    private final SagaEventListener listener;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;
    private final long fromIndex;
    /** How many history entries have been read; the next read starts there. */
    private long position;

    Subscription(SagaRuntime runtime, SubscriptionHub hub, ExecutionKey key, long fromIndex,
                 SagaEventListener listener) {
        this.runtime = runtime;
        this.hub = hub;
        this.key = key;
        this.fromIndex = fromIndex;
        this.position = fromIndex;
        this.listener = listener;
    }

    ExecutionKey key() {
        return key;
    }

    void nudge() {
        wake.release();
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                if (deliverNew()) {
                    listener.onComplete();
                    return;
                }
                wake.tryAcquire(runtime.options.subscriptionPollInterval().toNanos(), TimeUnit.NANOSECONDS);
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("subscription to execution {} failed", key.execution(), e);
            listener.onError(e);
        } finally {
            close();
        }
    }

    /**
     * Delivers the entries stored since the last read; true when the last one delivered is FINISHED. A FINISHED
     * followed by more entries (an operator's retry re-opened a FAILED execution) does not end the subscription.
     */
    private boolean deliverNew() throws InterruptedException {
        List<byte[]> encoded;
        try {
            encoded = Failures.await(runtime.store.events(key, position), runtime.options.storeTimeout(),
                    "reading an execution's history");
        } catch (UnavailableException e) {
            return false;
        }
        boolean finished = false;
        for (byte[] bytes : encoded) {
            if (closed) {
                return false;
            }
            position++;
            SagaEvent event = EventCodec.decode(bytes);
            if (event.index() < fromIndex) {
                continue;
            }
            listener.onEvent(event);
            finished = event.type() == SagaEventType.FINISHED;
        }
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        hub.remove(this);
        wake.release();
    }
}
