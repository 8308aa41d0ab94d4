package dev.runtimeplane.saga;

import dev.runtimeplane.core.log.LogContext;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Runs one attempt on a step thread (a platform thread: a CPU-bound step is time-sliced by the operating
 * system and cannot hold the virtual threads' carriers), so that a timeout, the deadline or a stop can end
 * the wait even when the attempt ignores its interrupt (it is then left to finish on its own and its
 * outcome is ignored).
 */
final class AttemptRunner {

    private AttemptRunner() {
    }

    /**
     * @param threadName    the step thread's name while it runs the attempt
     * @param timeoutNanos  the step's per-attempt timeout, or a negative value for none
     * @param deadlineNanos time left until the saga's deadline, or a negative value for none
     * @param cancellable   whether a cancel of the saga cuts this attempt short (actions yes, compensations no)
     */
    static AttemptOutcome run(SagaRuntime runtime, LiveExecution execution, String threadName, Callable<String> body,
                              CancellationSignal signal, long timeoutNanos, long deadlineNanos, boolean cancellable)
            throws InterruptedException {
        CompletableFuture<String> result = new CompletableFuture<>();
        LiveExecution.RunningAttempt attempt = new LiveExecution.RunningAttempt(signal);
        execution.attempt(attempt);
        try {
            if (execution.stopReason() != null) {
                return new AttemptOutcome.Stopped();
            }
            // A cancel committed after the driver's last look but before the attempt was registered.
            if (cancellable && execution.snapshot().cancelRequested()) {
                signal.cancel("the saga was cancelled");
            }
            try {
                runtime.stepThreads.execute(() -> runOnStepThread(runtime, execution, attempt, threadName, body, result));
            } catch (RejectedExecutionException e) {
                return new AttemptOutcome.Stopped(); // the coordinator is closed
            }
            boolean deadlineFirst = deadlineNanos >= 0 && (timeoutNanos < 0 || deadlineNanos < timeoutNanos);
            long waitNanos = deadlineFirst ? deadlineNanos : timeoutNanos;
            CompletableFuture<Object> either = CompletableFuture.anyOf(result, execution.stopped());
            try {
                if (waitNanos < 0) {
                    either.get();
                } else {
                    BoundedWait.get(either, waitNanos);
                }
            } catch (TimeoutException e) {
                String why = deadlineFirst ? "the saga's deadline passed" : "timed out after " + Duration.ofNanos(waitNanos);
                attempt.cancel(why);
                return deadlineFirst ? new AttemptOutcome.DeadlineExceeded()
                        : new AttemptOutcome.TimedOut(Duration.ofNanos(waitNanos));
            } catch (ExecutionException e) {
                // The attempt failed; handled below from the result future itself.
            }
            if (!result.isDone()) {
                return new AttemptOutcome.Stopped();
            }
            try {
                return new AttemptOutcome.Succeeded(result.getNow(null));
            } catch (RuntimeException e) {
                return new AttemptOutcome.Failed(Failures.unwrap(e));
            }
        } finally {
            execution.attempt(null);
        }
    }

    /**
     * Completing the result wakes the driver's virtual thread, which may make the virtual-thread scheduler
     * start a carrier thread from the completing thread; a carrier started from a step thread would inherit
     * its lower priority ({@code stepThreadNice}) and run the API at it. So with a lower priority the
     * completion is handed to the scheduler thread (started at normal priority); at normal priority, or if
     * the scheduler is closed, it runs here.
     */
    private static void complete(SagaRuntime runtime, Runnable completion) {
        if (runtime.options.stepThreadNice() > 0) {
            try {
                runtime.scheduler.execute(completion);
                return;
            } catch (RejectedExecutionException closed) {
                // The coordinator is closing: complete here.
            }
        }
        completion.run();
    }

    private static void runOnStepThread(SagaRuntime runtime, LiveExecution execution,
                                        LiveExecution.RunningAttempt attempt, String threadName, Callable<String> body,
                                        CompletableFuture<String> result) {
        Thread thread = Thread.currentThread();
        String poolName = thread.getName();
        thread.setName(threadName);
        execution.enterLogContext();
        attempt.began(thread);
        runtime.attempts.started();
        try {
            String value = body.call();
            complete(runtime, () -> result.complete(value));
        } catch (Throwable e) {
            complete(runtime, () -> result.completeExceptionally(e));
        } finally {
            runtime.attempts.finished();
            attempt.ended();
            LogContext.clear();
            thread.setName(poolName);
        }
    }
}
