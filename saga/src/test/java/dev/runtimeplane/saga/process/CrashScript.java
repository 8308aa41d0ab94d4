package dev.runtimeplane.saga.process;

import dev.runtimeplane.saga.RetryPolicy;
import dev.runtimeplane.saga.SagaDefinition;
import dev.runtimeplane.saga.SagaState;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The saga the crash test runs 1,000 times. Saga {@code i} (its input is {@code i}) follows a script:
 * i % 10 == 3: step s1 always fails, so s0 is compensated; i % 10 == 7: s2 fails twice, then succeeds;
 * i % 10 == 9: s2 always fails, so s1 and s0 are compensated (s1's first compensation attempt fails).
 * Every run and every compensation writes a line to the side-effects file:
 * {@code RUN|COMP incarnation execution step attempt}.
 */
final class CrashScript {

    static final String NAME = "crash-saga";
    static final String[] STEPS = {"s0", "s1", "s2"};

    private CrashScript() {
    }

    static SagaState expectedState(int i) {
        return i % 10 == 3 || i % 10 == 9 ? SagaState.COMPENSATED : SagaState.COMPLETED;
    }

    static String expectedResult(int i, String step) {
        return "r-" + step + "-" + i;
    }

    static SagaDefinition definition(SideEffects effects, int incarnation) {
        RetryPolicy quick = RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(40)).build();
        SagaDefinition.Builder builder = SagaDefinition.builder(NAME, 1);
        for (String step : STEPS) {
            builder.step(step, ctx -> {
                        effects.line("RUN " + incarnation + " " + ctx.execution() + " " + step + " " + ctx.attempt());
                        int i = Integer.parseInt(ctx.input());
                        Thread.sleep(ThreadLocalRandom.current().nextInt(3, 13));
                        boolean fails = (i % 10 == 3 && step.equals("s1"))
                                || (i % 10 == 9 && step.equals("s2"))
                                // Attempt numbers also grow when a crash re-runs a step, so failing the
                                // attempts numbered 1 and 2 fails at most twice, whatever the crashes did.
                                || (i % 10 == 7 && step.equals("s2") && ctx.attempt() <= 2);
                        if (fails) {
                            throw new IllegalStateException("scripted failure of " + step + " for saga " + i);
                        }
                        return expectedResult(i, step);
                    }, ctx -> {
                        effects.line("COMP " + incarnation + " " + ctx.execution() + " " + step + " " + ctx.attempt());
                        int i = Integer.parseInt(ctx.input());
                        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 4));
                        if (i % 10 == 9 && step.equals("s1") && ctx.attempt() == 1) {
                            throw new IllegalStateException("scripted compensation failure");
                        }
                    })
                    .retry(quick)
                    .compensationRetry(quick);
        }
        return builder.build();
    }
}
