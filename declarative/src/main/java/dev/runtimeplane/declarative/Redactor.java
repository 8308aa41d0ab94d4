package dev.runtimeplane.declarative;

import java.util.List;

/** Masks the values of the secrets a call used in any text the runtime keeps (results, errors). */
final class Redactor {

    static final String MASK = "***";

    private final List<String> secrets;

    Redactor(List<String> secrets) {
        this.secrets = secrets.stream().filter(s -> !s.isEmpty()).toList();
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, MASK);
        }
        return redacted;
    }
}
