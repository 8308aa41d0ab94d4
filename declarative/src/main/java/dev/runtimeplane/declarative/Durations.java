package dev.runtimeplane.declarative;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The definition format's durations: a whole number and a unit, {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
final class Durations {

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private Durations() {
    }

    /** The duration, or null when the text is not one (the format's schema reports that). */
    static Duration parse(String text) {
        Matcher m = text == null ? null : FORMAT.matcher(text);
        if (m == null || !m.matches()) {
            return null;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
