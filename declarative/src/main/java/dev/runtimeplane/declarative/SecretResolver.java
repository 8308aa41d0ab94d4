package dev.runtimeplane.declarative;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the secrets a definition names come from. Definitions only ever hold a secret's name; its value is
 * looked up at call time (so a rotated secret is picked up) and masked in everything the runtime records.
 */
@FunctionalInterface
public interface SecretResolver {

    /** The value of the secret called {@code name}, or empty when it is not set. */
    Optional<String> resolve(String name);

    /**
     * The environment variable {@code name}, else the file {@code directory/name} (trailing line breaks
     * dropped), the way container platforms mount secrets under {@code /run/secrets}.
     */
    static SecretResolver environmentThenFiles(Map<String, String> environment, Path directory) {
        Pattern safeName = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
        return name -> {
            if (!safeName.matcher(name).matches() || name.startsWith(".")) {
                return Optional.empty();
            }
            String value = environment.get(name);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
            Path file = directory.resolve(name);
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
                return text.isEmpty() ? Optional.empty() : Optional.of(text);
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }

    /** The process environment, then {@code /run/secrets}. */
    static SecretResolver standard() {
        return environmentThenFiles(System.getenv(), Path.of("/run/secrets"));
    }
}
