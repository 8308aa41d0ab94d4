package dev.runtimeplane.declarative;

import java.util.List;

/**
 * Which outcomes of a call succeed, which are retried (under the step's retry policy) and which fail the
 * step at once. Status patterns are exact ({@code 503}) or per class ({@code 5xx}); success is checked first.
 * A status in neither list fails at once, and so does a redirect (never followed).
 *
 * @param success               default {@code [2xx]}
 * @param retry                 default {@code [408, 429, 5xx]}; {@code 503} and {@code 429} honour Retry-After
 * @param retryConnectionErrors default true: refused, reset or dropped connections are retried
 * @param retryTimeouts         default false: a call that timed out may have taken effect; like a saga step
 *                              that timed out, it fails the step (set true when the Idempotency-Key makes a
 *                              repeat safe on the service's side)
 */
public record ResponseRules(List<String> success, List<String> retry, boolean retryConnectionErrors,
                            boolean retryTimeouts) {

    public static final ResponseRules DEFAULTS = new ResponseRules(List.of("2xx"), List.of("408", "429", "5xx"),
            true, false);

    public enum Verdict { SUCCESS, RETRY, FAIL }

    public ResponseRules {
        success = List.copyOf(success);
        retry = List.copyOf(retry);
    }

    public Verdict classify(int status) {
        if (matches(success, status)) {
            return Verdict.SUCCESS;
        }
        return matches(retry, status) ? Verdict.RETRY : Verdict.FAIL;
    }

    private static boolean matches(List<String> patterns, int status) {
        String code = Integer.toString(status);
        for (String pattern : patterns) {
            if (pattern.equals(code) || pattern.endsWith("xx") && code.charAt(0) == pattern.charAt(0)) {
                return true;
            }
        }
        return false;
    }
}
